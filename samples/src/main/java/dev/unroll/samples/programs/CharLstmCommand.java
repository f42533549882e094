package dev.unroll.samples.programs;

import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.samples.common.RunOptions;
import dev.unroll.samples.common.TrainingRun;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The headline sample, char-rnn style: Embedding 64 -> 2-layer LSTM 256 -> Linear over the
 * characters of a text, batch 32 parallel streams, 64 steps of truncated BPTT with the state
 * carried, Adam 2e-3, global-norm clipping at 5, a 90/10 train/validation split. Reports losses
 * in nats per character, then samples text with a temperature from a priming string.
 */
@Command(name = "char-lstm", mixinStandardHelpOptions = true,
        description = "Train a character-level LSTM on tiny-shakespeare (or any text), then sample from it.")
public final class CharLstmCommand implements Callable<Integer> {

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    CharTrainingOptions options = new CharTrainingOptions();

    @Option(names = "--spark", paramLabel = "MASTER", description = "train the --workers shards on Apache Spark with "
            + "this master URL, e.g. local[2] (under spark-submit its --master wins); Spark must be on the class path: "
            + "./unroll adds it when given --spark, spark-submit brings its own")
    String sparkMaster;

    PrintStream out = System.out;
    CharTraining.Outcome outcome;

    @Override
    public Integer call() {
        CharTraining text = new CharTraining(options);
        CharModelSpec spec = new CharModelSpec(text.corpus().vocabulary(), options.embedding, options.hidden, options.layers);
        LanguageModel model = spec.build(run.seed);
        model.to(options.precision.dtype());
        Adam adam = new Adam(model, options.learningRate);
        text.describe(out, model);
        TrainingRun training = new TrainingRun("char-lstm", run, model, adam, spec::metadata, out);
        double charactersPerSecond = sparkMaster != null
                ? text.trainOnSpark(training, model, adam, sparkMaster, spec, run.seed)
                : text.train(training, model, adam, () -> spec.build(run.seed));
        outcome = text.finish(out, training, model, charactersPerSecond, run.seed);
        training.printFiles();
        return 0;
    }
}
