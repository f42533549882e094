package dev.unroll.samples.programs;

import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.layers.Embedding;
import dev.unroll.nn.layers.Linear;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.layer.RecurrentLayer;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.loss.SequenceLoss;
import dev.unroll.samples.common.CellChoice;
import dev.unroll.samples.common.HeldOut;
import dev.unroll.samples.common.OptionChecks;
import dev.unroll.samples.common.PrecisionOption;
import dev.unroll.samples.common.RunOptions;
import dev.unroll.samples.common.TrainingRun;
import dev.unroll.train.Trainer;
import dev.unroll.train.BatchStep;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import java.util.Arrays;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Many-to-one classification of variable-length sequences: which of the symbols a, b, c occurs
 * most often in a string of 5 to 25 symbols. Batches are padded; the recurrent layer masks the
 * padding with per-sequence lengths, starts from a learned initial state, and each sequence is
 * classified from its own last step.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Many-to-one: classify variable-length strings by their most frequent symbol.")
public final class ClassifyCommand implements Callable<Integer> {

    private static final int SYMBOLS = 3;
    private static final int PAD = SYMBOLS;

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Mixin
    CellChoice cell = new CellChoice();

    @Option(names = "--hidden", defaultValue = "32", description = "hidden units (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--iterations", defaultValue = "400",
            description = "training steps of 32 sequences in all, counting those of a --resume checkpoint (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--min-length", defaultValue = "5", description = "shortest sequence (default: ${DEFAULT-VALUE})")
    int minLength;

    @Option(names = "--max-length", defaultValue = "25", description = "longest sequence (default: ${DEFAULT-VALUE})")
    int maxLength;

    PrintStream out = System.out;
    double accuracy;

    /** A padded batch: tokens[t][b], each sequence's length, its class. */
    record Batch(int[][] tokens, int[] lengths, int[] labels) {
    }

    /** Embedding, a recurrent layer with a learned initial state, a linear classifier on the last step. */
    static final class Classifier extends Module {
        private final Embedding embedding;
        private final RecurrentLayer rnn;
        private final Linear head;

        Classifier(CellChoice cell, int hidden, long seed) {
            embedding = registerModule("embedding", new Embedding(SYMBOLS + 1, 8, PAD, Randomness.seeded(seed)));
            rnn = registerModule("rnn", cell.layer(8, hidden, RecurrentOptions.defaults().learnedInitialState(), seed + 1));
            head = registerModule("head", new Linear(rnn.outputSize(), SYMBOLS, seed + 2));
        }

        Tensor logits(Batch batch) {
            List<Tensor> inputs = new ArrayList<>();
            for (int[] step : batch.tokens()) {
                inputs.add(embedding.forward(step));
            }
            return head.forward(SequenceLoss.lastOutputs(rnn.forward(inputs, null, batch.lengths()).outputs(),
                    batch.lengths()));
        }
    }

    /** A batch of training sequences ({@code heldOut} false) or of held-out ones: the two never share a sequence. */
    Batch batch(int size, RandomGenerator rng, boolean heldOut) {
        int[] lengths = new int[size];
        int[] labels = new int[size];
        List<int[]> sequences = new ArrayList<>();
        int longest = 0;
        for (int b = 0; b < size; b++) {
            int[] seq;
            int label;
            do {
                seq = new int[minLength + rng.nextInt(maxLength - minLength + 1)];
                int[] counts = new int[SYMBOLS];
                for (int i = 0; i < seq.length; i++) {
                    seq[i] = rng.nextInt(SYMBOLS);
                    counts[seq[i]]++;
                }
                label = 0;
                boolean tie = false;
                for (int s = 1; s < SYMBOLS; s++) {
                    if (counts[s] > counts[label]) {
                        label = s;
                        tie = false;
                    } else if (counts[s] == counts[label]) {
                        tie = true;
                    }
                }
                if (!tie && HeldOut.contains(seq) == heldOut) {
                    break;
                }
            } while (true);
            sequences.add(seq);
            lengths[b] = seq.length;
            labels[b] = label;
            longest = Math.max(longest, seq.length);
        }
        int[][] tokens = new int[longest][size];
        for (int t = 0; t < longest; t++) {
            for (int b = 0; b < size; b++) {
                tokens[t][b] = t < lengths[b] ? sequences.get(b)[t] : PAD;
            }
        }
        return new Batch(tokens, lengths, labels);
    }

    @Override
    public Integer call() {
        OptionChecks.iterations(iterations);
        OptionChecks.positive("--hidden", hidden);
        OptionChecks.positive("--min-length", minLength);
        if (maxLength < minLength) {
            throw new IllegalArgumentException("--max-length " + maxLength + " must be at least --min-length " + minLength);
        }
        if (minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException("need 1 <= --min-length <= --max-length");
        }
        Classifier model = new Classifier(cell, hidden, run.seed);
        model.to(precision.dtype());
        Adam adam = new Adam(model, 0.01);
        RandomGenerator data = Randomness.seeded(run.seed + 1);
        TrainingRun training = new TrainingRun("classify", run, model, adam, () -> Map.of("cell", cell.describe()), out);
        training.fit(Trainer.builder(model, adam).clipNorm(5).step(new BatchStep<>(
                Stream.generate(() -> batch(32, data, false)).iterator(),
                batch -> LossOps.softmaxCrossEntropy(model.logits(batch), batch.labels(), Reduction.MEAN),
                batch -> Arrays.stream(batch.lengths()).sum())), iterations, "loss (nats per sequence)");
        Batch test = batch(1000, Randomness.seeded(run.seed + 999), true);
        Tensor logits;
        model.eval();
        try (Tape.Paused paused = Tape.pause()) {
            logits = model.logits(test);
        }
        int correct = 0;
        for (int b = 0; b < test.labels().length; b++) {
            int best = 0;
            for (int s = 1; s < SYMBOLS; s++) {
                best = logits.get(b, s) > logits.get(b, best) ? s : best;
            }
            correct += best == test.labels()[b] ? 1 : 0;
        }
        accuracy = correct / (double) test.labels().length;
        out.printf(Locale.ROOT, "%s, lengths %d-%d, learned initial state: held-out accuracy %.1f%% on %d sequences "
                + "never trained on (chance about 33%%)%n", cell.describe(), minLength, maxLength, 100 * accuracy, test.labels().length);
        training.printFiles();
        return 0;
    }
}
