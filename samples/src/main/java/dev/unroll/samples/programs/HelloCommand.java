package dev.unroll.samples.programs;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.rnn.sample.Sampler;
import dev.unroll.samples.common.Corpus;
import dev.unroll.samples.common.OptionChecks;
import dev.unroll.samples.common.PrecisionOption;
import dev.unroll.samples.common.RunOptions;
import dev.unroll.samples.common.TrainingRun;
import dev.unroll.train.GradientStep;
import dev.unroll.train.Trainer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The notes' first example: a vanilla RNN over the vocabulary h, e, l, o learns to continue "h"
 * with "ello". Shows the output scores at each step before and after training, then the word it
 * generates.
 */
@Command(name = "hello", mixinStandardHelpOptions = true,
        description = "A vanilla RNN learns \"hello\" (vocabulary h, e, l, o).")
public final class HelloCommand implements Callable<Integer> {

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Option(names = "--hidden", defaultValue = "8", description = "hidden units (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--iterations", defaultValue = "200",
            description = "training steps in all, counting those of a --resume checkpoint (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--lr", defaultValue = "0.05", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    PrintStream out = System.out;
    String word;

    @Override
    public Integer call() {
        OptionChecks.iterations(iterations);
        OptionChecks.positive("--hidden", hidden);
        OptionChecks.positive("--lr", learningRate);
        Corpus corpus = new Corpus("hello", "helo");
        LanguageModel model = LanguageModel.vanilla(4, hidden, run.seed);
        model.to(precision.dtype());
        Adam adam = new Adam(model, learningRate);
        int[][] inputs = column(corpus.encode("hell"));
        int[][] targets = column(corpus.encode("ello"));
        TrainingRun training = new TrainingRun("hello", run, model, adam, () -> Map.of("vocabulary", corpus.vocabulary()), out);
        out.println("output scores (logits) per step, input -> scores for " + List.of('h', 'e', 'l', 'o') + ", "
                + (training.iteration() == 0 ? "before training:" : "at iteration " + training.iteration() + " (resumed):"));
        printScores(model, inputs, corpus);
        training.fit(Trainer.builder(model, adam).step((i, tape) -> {
            Tensor loss = model.loss(inputs, targets, null, Reduction.SUM).loss();
            tape.backward(loss);
            return new GradientStep.Result(loss.item(), 4);
        }), iterations, "loss (nats per word, summed over its 4 steps)");
        out.println("after " + training.iteration() + " iterations:");
        printScores(model, inputs, corpus);
        word = "h" + corpus.decode(Sampler.argmax(model).generate(corpus.encode("h"), 4, Sampler.NO_END));
        out.println("generated from 'h': " + word);
        training.printFiles();
        return 0;
    }

    private void printScores(LanguageModel model, int[][] inputs, Corpus corpus) {
        Tensor logits = model.forward(inputs, null).logits();
        for (int t = 0; t < inputs.length; t++) {
            List<String> scores = new ArrayList<>();
            for (int j = 0; j < 4; j++) {
                scores.add(String.format(Locale.ROOT, "%6.2f", logits.get(t, j)));
            }
            out.println("  '" + corpus.decode(inputs[t][0]) + "' -> " + scores);
        }
    }

    private static int[][] column(int[] ids) {
        int[][] out = new int[ids.length][1];
        for (int t = 0; t < ids.length; t++) {
            out[t][0] = ids[t];
        }
        return out;
    }
}
