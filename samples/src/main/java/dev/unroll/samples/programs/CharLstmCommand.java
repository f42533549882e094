package dev.unroll.samples.programs;

import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.nn.clip.GradClipping;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.LossAndState;
import dev.unroll.rnn.State;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.rnn.sample.Sampler;
import dev.unroll.rnn.tbptt.ParallelStreams;
import dev.unroll.samples.common.Corpus;
import dev.unroll.samples.common.OptionChecks;
import dev.unroll.samples.common.PrecisionOption;
import dev.unroll.samples.common.RunOptions;
import dev.unroll.samples.common.TrainingRun;
import dev.unroll.train.parallel.DataParallel;
import dev.unroll.train.parallel.ShardLoss;
import dev.unroll.train.parallel.Shards;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
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
    PrecisionOption precision = new PrecisionOption();

    @Option(names = "--workers", defaultValue = "1", description = "data-parallel shards of each batch, one thread and "
            + "model replica each; the mean gradient over all of them is stepped (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--spark", paramLabel = "MASTER", description = "train the --workers shards on Apache Spark with "
            + "this master URL, e.g. local[2] (under spark-submit its --master wins); Spark must be on the class path: "
            + "./unroll adds it when given --spark, spark-submit brings its own")
    String sparkMaster;

    @Option(names = "--text", description = "a UTF-8 text file (default: the bundled tiny-shakespeare)")
    Path text;

    @Option(names = "--iterations", defaultValue = "400",
            description = "updates in all, each batch x steps characters; a total that counts the iterations of a "
                    + "--resume checkpoint, so pass a larger one to train on (default: ${DEFAULT-VALUE}, a few minutes on 2 cores)")
    int iterations;

    @Option(names = "--batch", defaultValue = "32", description = "parallel streams (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--steps", defaultValue = "64", description = "characters per update per stream (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--embedding", defaultValue = "64", description = "embedding width (default: ${DEFAULT-VALUE})")
    int embedding;

    @Option(names = "--hidden", defaultValue = "256", description = "LSTM hidden units (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--layers", defaultValue = "2", description = "stacked LSTM layers (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--lr", defaultValue = "0.002", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--clip", defaultValue = "5", description = "global gradient-norm limit (default: ${DEFAULT-VALUE})")
    double clip;

    @Option(names = "--eval-every", defaultValue = "100",
            description = "iterations between validation losses (default: ${DEFAULT-VALUE})")
    int evalEvery;

    @Option(names = "--eval-chunks", defaultValue = "0",
            description = "validation chunks of batch x steps characters; 0: the whole validation split (default: ${DEFAULT-VALUE})")
    int evalChunks;

    @Option(names = "--temperature", defaultValue = "0.8", description = "sampling temperature (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--prime", defaultValue = "ROMEO:", description = "text to start the sample from (default: ${DEFAULT-VALUE})")
    String prime;

    @Option(names = "--length", defaultValue = "600", description = "characters to sample (default: ${DEFAULT-VALUE})")
    int length;

    PrintStream out = System.out;
    double trainLoss;
    double validationLoss = Double.NaN;
    String sample;

    /** Refuses, before anything is loaded or trained, an option that would fail later. */
    private void checkOptions() {
        OptionChecks.iterations(iterations);
        OptionChecks.positive("--batch", batch);
        OptionChecks.positive("--steps", steps);
        OptionChecks.positive("--embedding", embedding);
        OptionChecks.positive("--hidden", hidden);
        OptionChecks.positive("--layers", layers);
        OptionChecks.positive("--lr", learningRate);
        OptionChecks.positive("--clip", clip);
        OptionChecks.notNegative("--eval-every", evalEvery);
        OptionChecks.notNegative("--eval-chunks", evalChunks);
        OptionChecks.positive("--workers", workers);
        if (workers > batch) {
            throw new IllegalArgumentException("--workers " + workers + " is more than the " + batch
                    + " streams of a batch; each worker needs at least one (lower --workers or raise --batch)");
        }
        if (sparkMaster != null) {
            OptionChecks.sparkOnClassPath();
        }
        OptionChecks.positive("--temperature", temperature);
        OptionChecks.notNegative("--length", length);
    }

    @Override
    public Integer call() {
        checkOptions();
        Corpus corpus = Corpus.load(text);
        int[] primed = corpus.encode(prime);
        int[] ids = corpus.ids();
        int split = (int) (ids.length * 0.9);
        ParallelStreams train = new ParallelStreams(Arrays.copyOf(ids, split), batch);
        ParallelStreams validation = new ParallelStreams(Arrays.copyOfRange(ids, split, ids.length), batch);
        int chunksPerEpoch = train.length() / steps;
        if (chunksPerEpoch < 1 || validation.length() < steps) {
            throw new IllegalArgumentException("the text is too short for " + batch + " streams of " + steps
                    + " steps; use a longer text or smaller --batch/--steps");
        }
        CharModelSpec spec = new CharModelSpec(corpus.vocabulary(), embedding, hidden, layers);
        LanguageModel model = spec.build(run.seed);
        model.to(precision.dtype());
        Adam adam = new Adam(model, learningRate);
        Sampler sampler = Sampler.temperature(model, temperature, Randomness.seeded(run.seed));
        out.printf(Locale.ROOT, "%d characters (%d unique), %d for training, %d for validation; model: %,d parameters%n",
                ids.length, corpus.vocabularySize(), split, ids.length - split, model.parameterCount());
        TrainingRun training = new TrainingRun("char-lstm", run, model, adam, spec::metadata, out);
        // a resumed run continues at the checkpoint's data position, with a fresh state for its first chunk
        AtomicReference<List<State>> carried = new AtomicReference<>(model.initialState(batch));
        double tokensPerSecond;
        if (sparkMaster != null) {
            tokensPerSecond = trainOnSpark(model, spec, adam, training, train, validation, chunksPerEpoch);
        } else if (workers > 1) {
            tokensPerSecond = trainSharded(model, spec, adam, training, train, validation, chunksPerEpoch);
        } else {
            tokensPerSecond = trainAlone(model, adam, training, train, validation, chunksPerEpoch, carried);
        }
        trainLoss = training.recentLoss();
        if (Double.isNaN(validationLoss)) {
            // none this session (the checkpoint had reached --iterations, or Ctrl-C came first): measured, not logged
            validationLoss = validate(model, validation);
        }
        out.printf(Locale.ROOT, "after %d iterations: training loss %.3f (%s), validation loss %.3f nats/char (over %,d "
                + "validation characters); %.0f chars/s%n", training.iteration(), trainLoss, training.recentIterations() == 0
                ? "the checkpoint's" : "mean of the last " + training.recentIterations(), validationLoss,
                validationCharacters(validation), tokensPerSecond);
        sample = prime + corpus.decode(sampler.generate(primed, length, Sampler.NO_END));
        out.println("---- sample (temperature " + temperature + ") ----");
        out.println(sample);
        out.println("----");
        training.printFiles();
        return 0;
    }

    /** Trains on one thread, recording on one tape cleared after every iteration. */
    private double trainAlone(LanguageModel model, Adam adam, TrainingRun training, ParallelStreams train,
            ParallelStreams validation, int chunksPerEpoch, AtomicReference<List<State>> carried) {
        // one tape for the whole run, cleared after every iteration: each iteration reuses the storage of the last
        try (Tape tape = Tape.record()) {
            return training.train(iterations, n -> {
                int chunk = n % chunksPerEpoch;
                if (chunk == 0) {
                    carried.set(model.initialState(batch));
                }
                int from = chunk * steps;
                model.zeroGrad();
                LossAndState result = model.loss(train.inputs(from, from + steps), train.targets(from, from + steps),
                        carried.get(), Reduction.MEAN);
                tape.backward(result.loss());
                double loss = result.loss().item();
                carried.set(result.finalState().stream().map(State::detach).toList());
                tape.clear();
                GradClipping.clipGradNorm(model.parameters(), clip);
                adam.step();
                return new TrainingRun.Result(loss, (long) batch * steps);
            }, () -> validationReport(model, training, validation), evalEvery);
        }
    }

    /**
     * Trains data-parallel: each of the {@code --workers} shards takes its columns of the
     * streams on its own replica and thread, carrying its own state; the mean gradient over all
     * shards' characters is clipped and stepped on the model.
     */
    private double trainSharded(LanguageModel model, CharModelSpec spec, Adam adam, TrainingRun training,
            ParallelStreams train, ParallelStreams validation, int chunksPerEpoch) {
        List<List<State>> carried = new ArrayList<>(Collections.nCopies(workers, null));
        try (DataParallel<LanguageModel> parallel = DataParallel.onThreads(model, () -> spec.build(run.seed), workers)) {
            return training.train(iterations, n -> {
                int chunk = n % chunksPerEpoch;
                int from = chunk * steps;
                int[][] inputs = train.inputs(from, from + steps);
                int[][] targets = train.targets(from, from + steps);
                model.zeroGrad();
                double loss = parallel.step((replica, shard, shards) -> {
                    int[][] x = Shards.columns(inputs, shard, shards);
                    List<State> start = chunk == 0 || carried.get(shard) == null
                            ? replica.initialState(x[0].length) : carried.get(shard);
                    LossAndState r = replica.loss(x, Shards.columns(targets, shard, shards), start, Reduction.SUM);
                    carried.set(shard, r.finalState().stream().map(State::detach).toList());
                    return new ShardLoss.Result(r.loss(), (double) x.length * x[0].length);
                });
                GradClipping.clipGradNorm(model.parameters(), clip);
                adam.step();
                return new TrainingRun.Result(loss, (long) batch * steps);
            }, () -> validationReport(model, training, validation), evalEvery);
        }
    }

    /**
     * Trains data-parallel on Spark: as {@link #trainSharded}, with partition s holding shard s's
     * streams and carrying its state on its executor.
     */
    private double trainOnSpark(LanguageModel model, CharModelSpec spec, Adam adam, TrainingRun training,
            ParallelStreams train, ParallelStreams validation, int chunksPerEpoch) {
        try (SparkCharLstm spark = SparkCharLstm.start(sparkMaster, model, spec, run.seed, train, workers)) {
            return training.train(iterations, n -> {
                int from = (n % chunksPerEpoch) * steps;
                model.zeroGrad();
                double loss = spark.step(n, from, steps);
                GradClipping.clipGradNorm(model.parameters(), clip);
                adam.step();
                return new TrainingRun.Result(loss, (long) batch * steps);
            }, () -> validationReport(model, training, validation), evalEvery);
        }
    }

    private void validationReport(LanguageModel model, TrainingRun training, ParallelStreams validation) {
        training.status("validating");
        validationLoss = validate(model, validation);
        training.log().add("validation", training.iteration(), validationLoss);
        training.report(String.format(Locale.ROOT, "iteration %d: validation loss %.3f nats/char",
                training.iteration(), validationLoss));
    }

    /**
     * Mean loss per character over the validation streams from their start, the state carried
     * from chunk to chunk, without recording: the whole split by default (the last chunk may be
     * shorter), else the first {@code --eval-chunks} chunks.
     */
    private double validate(LanguageModel model, ParallelStreams validation) {
        try (Tape.Paused paused = Tape.pause()) {
            List<State> state = model.initialState(batch);
            double sum = 0;
            int end = validationSteps(validation);
            for (int from = 0; from < end; from += steps) {
                int to = Math.min(end, from + steps);
                LossAndState r = model.loss(validation.inputs(from, to), validation.targets(from, to), state, Reduction.SUM);
                sum += r.loss().item();
                state = r.finalState();
            }
            return sum / ((double) end * batch);
        }
    }

    /** @return how many steps of each validation stream {@link #validate} reads */
    private int validationSteps(ParallelStreams validation) {
        return evalChunks > 0 ? Math.min(validation.length(), evalChunks * steps) : validation.length();
    }

    private long validationCharacters(ParallelStreams validation) {
        return (long) validationSteps(validation) * batch;
    }
}
