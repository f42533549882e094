package dev.unroll.samples.programs;

import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Reduction;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.LossAndState;
import dev.unroll.rnn.State;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.rnn.sample.Sampler;
import dev.unroll.rnn.tbptt.ParallelStreams;
import dev.unroll.samples.common.Corpus;
import dev.unroll.samples.common.TrainingRun;
import dev.unroll.train.GradientStep;
import dev.unroll.train.StreamTbpttStep;
import dev.unroll.train.Trainer;
import dev.unroll.train.TrainingCallback;
import dev.unroll.train.parallel.DataParallel;
import dev.unroll.train.parallel.ShardLoss;
import dev.unroll.train.parallel.Shards;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Trains a character model the char-rnn way, for char-lstm and custom-cell: a 90/10 split of the
 * text, B parallel streams, truncated BPTT over chunks of k steps with the state carried
 * (detached) from chunk to chunk, Adam with global-norm clipping, recorded on one tape cleared
 * after every update; the validation loss over the validation streams, without recording.
 */
final class CharTraining {

    private final CharTrainingOptions options;
    private final Corpus corpus;
    private final ParallelStreams train;
    private final ParallelStreams validation;
    private final int chunksPerEpoch;
    private double validationLoss = Double.NaN;

    /**
     * Loads and splits the text.
     *
     * @param options the text, batch, steps and validation options
     */
    CharTraining(CharTrainingOptions options) {
        options.check();
        this.options = options;
        this.corpus = Corpus.load(options.text);
        corpus.encode(options.prime);
        int[] ids = corpus.ids();
        int split = (int) (ids.length * 0.9);
        train = new ParallelStreams(Arrays.copyOf(ids, split), options.batch);
        validation = new ParallelStreams(Arrays.copyOfRange(ids, split, ids.length), options.batch);
        chunksPerEpoch = train.length() / options.steps;
        if (chunksPerEpoch < 1 || validation.length() < options.steps) {
            throw new IllegalArgumentException("the text is too short for " + options.batch + " streams of " + options.steps
                    + " steps; use a longer text or smaller --batch/--steps");
        }
    }

    /** @return the text */
    Corpus corpus() {
        return corpus;
    }

    /**
     * Says how much text there is and how large the model is.
     *
     * @param out where to print
     * @param model the model to train
     */
    void describe(PrintStream out, LanguageModel model) {
        int[] ids = corpus.ids();
        int split = (int) (ids.length * 0.9);
        out.printf(Locale.ROOT, "%d characters (%d unique), %d for training, %d for validation; model: %,d parameters%n",
                ids.length, corpus.vocabularySize(), split, ids.length - split, model.parameterCount());
    }

    /**
     * Trains until {@code --iterations} updates in all, validating every {@code --eval-every}: on
     * this thread, or data-parallel over {@code --workers} replicas.
     *
     * @param training the run (progress, checkpoints, resume)
     * @param model the model, already in the precision of {@code --dtype}
     * @param adam its optimizer
     * @param replicas builds a model of the same structure (for {@code --workers} above 1)
     * @return the characters per second of this session
     */
    double train(TrainingRun training, LanguageModel model, Adam adam, Supplier<LanguageModel> replicas) {
        if (options.workers == 1) {
            return fit(training, model, adam, new StreamTbpttStep(train, options.steps, model::initialState,
                    (x, y, state) -> model.loss(x, y, state, Reduction.MEAN)));
        }
        try (DataParallel<LanguageModel> parallel = DataParallel.onThreads(model, replicas, options.workers)) {
            return fit(training, model, adam, sharded(parallel));
        }
    }

    /**
     * Trains with the run's trainer: the step, global-norm clipping, the validation loss every
     * {@code --eval-every} shown above the progress bar as soon as it is measured.
     */
    private double fit(TrainingRun training, LanguageModel model, Adam adam, GradientStep step) {
        Trainer.Builder trainer = Trainer.builder(model, adam).step(step).clipNorm(options.clip)
                .validateEvery(options.evalEvery, () -> validate(model)).callback(new TrainingCallback() {
                    @Override
                    public void onValidation(Validation v) {
                        validationLoss = v.figure();
                        training.report(String.format(Locale.ROOT, "iteration %d: validation loss %.3f nats/char",
                                v.iteration(), validationLoss));
                    }
                });
        return training.fit(trainer, options.iterations, "loss (nats per character)").tokensPerSecond();
    }

    /**
     * Each of the {@code --workers} shards takes its columns of the streams on its own replica
     * and thread, carrying its own state (a resumed run starts each shard's from the initial
     * state); the trainer clips and steps the mean gradient over all shards' characters.
     */
    private GradientStep sharded(DataParallel<LanguageModel> parallel) {
        int steps = options.steps;
        List<List<State>> carried = new ArrayList<>(Collections.nCopies(options.workers, null));
        return (n, tape) -> {
            int chunk = n % chunksPerEpoch;
            int from = chunk * steps;
            int[][] inputs = train.inputs(from, from + steps);
            int[][] targets = train.targets(from, from + steps);
            double loss = parallel.step((replica, shard, shards) -> {
                int[][] x = Shards.columns(inputs, shard, shards);
                List<State> start = chunk == 0 || carried.get(shard) == null
                        ? replica.initialState(x[0].length) : carried.get(shard);
                LossAndState r = replica.loss(x, Shards.columns(targets, shard, shards), start, Reduction.SUM);
                carried.set(shard, r.finalState().stream().map(State::detach).toList());
                return new ShardLoss.Result(r.loss(), (double) x.length * x[0].length);
            });
            return new GradientStep.Result(loss, (long) options.batch * steps);
        };
    }

    /**
     * Trains data-parallel on Apache Spark: as with {@code --workers} on threads, with partition s
     * holding shard s's streams and carrying its state on its executor.
     *
     * @param training the run (progress, checkpoints, resume)
     * @param model the model
     * @param adam its optimizer
     * @param master Spark's master URL, e.g. {@code local[2]}
     * @param spec how the replicas are built (serializable, shipped to the executors)
     * @param seed the replicas' seed
     * @return the characters per second of this session
     */
    double trainOnSpark(TrainingRun training, LanguageModel model, Adam adam, String master, CharModelSpec spec,
            long seed) {
        int steps = options.steps;
        try (SparkCharLstm spark = SparkCharLstm.start(master, model, spec, seed, train, options.workers)) {
            return fit(training, model, adam, (n, tape) -> new GradientStep.Result(
                    spark.step(n, (n % chunksPerEpoch) * steps, steps), (long) options.batch * steps));
        }
    }

    /**
     * Reports the session: the training loss (mean of its last iterations, or the checkpoint's
     * when it ran none), the validation loss (the session's last, or one measured now when it
     * ran none), the speed, then a sample.
     *
     * @param out where to print
     * @param training the run
     * @param model the trained model
     * @param charactersPerSecond the session's speed, from {@link #train}
     * @param seed the sampling seed
     * @return the losses and the sample
     */
    Outcome finish(PrintStream out, TrainingRun training, LanguageModel model, double charactersPerSecond, long seed) {
        double trainLoss = training.recentLoss();
        if (Double.isNaN(validationLoss)) {
            validationLoss = validate(model);
        }
        out.printf(Locale.ROOT, "after %d iterations: training loss %.3f (%s), validation loss %.3f nats/char (over %,d "
                + "validation characters); %.0f chars/s%n", training.iteration(), trainLoss, training.recentIterations() == 0
                ? "the checkpoint's" : "mean of the last " + training.recentIterations(), validationLoss,
                (long) validationSteps() * options.batch, charactersPerSecond);
        String sample = sample(model, seed);
        out.println("---- sample (temperature " + options.temperature + ") ----");
        out.println(sample);
        out.println("----");
        return new Outcome(trainLoss, validationLoss, sample);
    }

    /**
     * What a session ended with.
     *
     * @param trainLoss the training loss, nats/char
     * @param validationLoss the validation loss, nats/char
     * @param sample --prime and the text generated after it
     */
    record Outcome(double trainLoss, double validationLoss, String sample) {
    }

    /**
     * Mean loss per character over the validation streams from their start, the state carried
     * from chunk to chunk, without recording: the whole split by default (the last chunk may be
     * shorter), else the first {@code --eval-chunks} chunks.
     */
    private double validate(LanguageModel model) {
        return StreamValidation.meanLoss(model, validation, options.steps, validationSteps());
    }

    /** @return how many steps of each validation stream {@link #validate} reads */
    private int validationSteps() {
        return options.evalChunks > 0 ? Math.min(validation.length(), options.evalChunks * options.steps) : validation.length();
    }

    /**
     * @param model the model
     * @param seed the sampling seed
     * @return --prime and --length characters generated after it at --temperature
     */
    String sample(LanguageModel model, long seed) {
        Sampler sampler = Sampler.temperature(model, options.temperature, Randomness.seeded(seed));
        return options.prime + corpus.decode(sampler.generate(corpus.encode(options.prime), options.length, Sampler.NO_END));
    }
}
