package dev.unroll.train;

import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.checkpoint.Printable;
import dev.unroll.nn.clip.GradClipping;
import dev.unroll.nn.optim.LearningRateSchedule;
import dev.unroll.nn.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The training loop of any model with a loss, as Keras' {@code fit} or a Lightning trainer: each
 * iteration zeroes the gradients, lets a {@link GradientStep} record and backpropagate its loss,
 * clears the tape, clips the gradients, sets the scheduled learning rate and steps the optimizer;
 * between iterations it validates, stops early, writes checkpoints and calls its
 * {@link TrainingCallback}s. It prints nothing itself: a progress bar, a CSV log or a plot are
 * callbacks ({@link dev.unroll.train.callback}).
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model, adam)
 *         .step(new StreamTbpttStep(streams, 64, model::initialState,
 *                 (x, y, state) -> model.loss(x, y, state, Reduction.MEAN)))
 *         .clipNorm(5)
 *         .validateEvery(100, () -> validationLoss(model))
 *         .earlyStopping(EarlyStopping.min(5))
 *         .checkpointEvery(500, Path.of("runs/lm.safetensors"))
 *         .keepBest(Path.of("runs/lm-best.safetensors"), EarlyStopping.Mode.MIN)
 *         .callback(new ConsoleProgress("lm"))
 *         .build();
 * trainer.resume(Path.of("runs/lm.safetensors"));   // optional: continue an interrupted run
 * trainer.fit(10_000);                               // the total to reach, counted from the first run
 * }</pre>
 *
 * <p>Resuming restores the parameters, the optimizer's state (moments, step counts, learning
 * rate), the iteration, the data position ({@link GradientStep#resumeAt}), what the step carries
 * ({@link GradientStep#carried}, e.g. the TBPTT state), the early-stopping state; the schedule is a function of the iteration, so it continues too. A run that is
 * interrupted and resumed trains exactly the bits of one that was not. A Ctrl-C during
 * {@link #fit} stops at the next iteration boundary and writes the checkpoint before the JVM exits
 * ({@link SafeStop}); {@link #requestStop()} does the same from code.
 *
 * <p>Checkpoints are safetensors files written atomically ({@link Checkpoint#save}); their
 * metadata holds the user's entries, {@value #ITERATION}, {@value #RECENT_LOSS} and, when a
 * figure is monitored, {@value #BEST} and {@value #SINCE_BEST}.
 */
public final class Trainer {

    /** Metadata key of the number of iterations done. */
    public static final String ITERATION = "iteration";
    /** Metadata key of the mean training loss over the last iterations before the checkpoint. */
    public static final String RECENT_LOSS = "recent_loss";
    /** Metadata key of the best validation figure so far (when monitored). */
    public static final String BEST = "best_validation";
    /** Metadata key of the validations since the best one (when monitored). */
    public static final String SINCE_BEST = "validations_since_best";

    /** Why a {@link #fit} session ended. */
    public enum StopReason {
        /** It reached the total iterations. */
        COMPLETED,
        /** The monitored figure stopped improving. */
        EARLY_STOPPED,
        /** Ctrl-C or {@link #requestStop()}. */
        INTERRUPTED
    }

    /**
     * What a {@link #fit} session did.
     *
     * @param iteration iterations done in all
     * @param sessionIterations iterations this session ran
     * @param tokensPerSecond this session's throughput (NaN when it ran none)
     * @param reason why it ended
     */
    public record Outcome(int iteration, int sessionIterations, double tokensPerSecond, StopReason reason) {
    }

    /** Measures a validation figure (a loss, an accuracy), called with no tape recording. */
    @FunctionalInterface
    public interface Validation {
        /** @return the figure */
        double measure();
    }

    private final Builder config;
    private final EarlyStopping monitor;
    private final RecentLoss recent = new RecentLoss();
    private int iteration;
    private int lastValidated = -1;
    private Map<String, String> resumed = Map.of();
    private Map<String, Tensor> resumedCarried = Map.of();
    private boolean positioned;
    private volatile boolean stopRequested;
    private volatile SafeStop active;

    private Trainer(Builder config) {
        this.config = config;
        this.monitor = config.earlyStopping != null ? config.earlyStopping
                : config.bestMode != null ? new EarlyStopping(config.bestMode, Integer.MAX_VALUE, 0) : null;
    }

    /**
     * @param model the model trained and checkpointed
     * @param optimizer its optimizer (over the model's parameters)
     * @return a builder; give it at least a {@link Builder#step}
     */
    public static Builder builder(Module model, Optimizer optimizer) {
        return new Builder(model, optimizer);
    }

    /**
     * Continues from a checkpoint this trainer (or one like it) wrote: loads the parameters and
     * the optimizer state strictly, the iteration and the early-stopping state. Call before
     * {@link #fit}.
     *
     * @param checkpoint the file
     * @return the checkpoint's metadata (the user's entries and the trainer's)
     * @throws UncheckedIOException if it cannot be read
     * @throws IllegalArgumentException if its metadata is not the trainer's
     */
    public Map<String, String> resume(Path checkpoint) {
        Map<String, String> meta;
        try {
            meta = Map.copyOf(Checkpoint.load(checkpoint, config.model, config.optimizer, true).metadata());
            resumedCarried = Checkpoint.carried(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
        iteration = (int) number(checkpoint, meta, ITERATION, 0);
        if (iteration < 0 || iteration != number(checkpoint, meta, ITERATION, 0)) {
            throw new IllegalArgumentException(checkpoint + ": its metadata '" + ITERATION + "' is '"
                    + Printable.of(meta.get(ITERATION)) + "', not an iteration count; was the file written by a Trainer?");
        }
        if (monitor != null && meta.containsKey(BEST)) {
            monitor.restore(number(checkpoint, meta, BEST, Double.NaN), (int) number(checkpoint, meta, SINCE_BEST, 0));
        }
        resumed = meta;
        return meta;
    }

    private static double number(Path file, Map<String, String> meta, String key, double missing) {
        String text = meta.get(key);
        if (text == null) {
            return missing;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": its metadata '" + key + "' is '" + Printable.of(text)
                    + "', not a number; was the file written by a Trainer?");
        }
    }

    /**
     * Trains until {@code total} iterations are done in all (counting those of the checkpoint
     * resumed from), validation says stop, or a stop is requested; then validates once more unless
     * the last iteration was just validated (or it was interrupted), writes the checkpoint and
     * calls {@link TrainingCallback#onEnd}. An exception from the step, the validation or a
     * callback still writes the checkpoint before it propagates.
     *
     * @param total the iteration count to reach, at least 1
     * @return what the session did
     */
    public Outcome fit(int total) {
        if (total < 1) {
            throw new IllegalArgumentException("fit: total iterations " + total + " must be at least 1");
        }
        int start = iteration;
        if (!positioned) {
            config.step.resumeAt(start);
            config.step.restore(resumedCarried);
            positioned = true;
        }
        stopRequested = false;
        StopReason reason = StopReason.COMPLETED;
        long tokens = 0;
        long began = System.nanoTime();
        SafeStop stop = config.stopOnInterrupt ? new SafeStop(config.interruptPatience) : null;
        active = stop;
        try {
            each(c -> c.onStart(new TrainingCallback.Start(start, total, !resumed.isEmpty())));
            try (Tape tape = Tape.record()) {
                while (iteration < total && !stopped(stop)) {
                    tokens += iterate(tape);
                    if (config.validateEvery > 0 && iteration % config.validateEvery == 0 && validate()) {
                        reason = StopReason.EARLY_STOPPED;
                        break;
                    }
                    if (config.checkpointEvery > 0 && iteration % config.checkpointEvery == 0) {
                        save(true);
                    }
                }
            }
            if (stopped(stop)) {
                reason = StopReason.INTERRUPTED;
            } else if (config.validation != null && iteration > start && lastValidated != iteration && validate()) {
                reason = StopReason.EARLY_STOPPED;
            }
            save(true);
            double seconds = (System.nanoTime() - began) / 1e9;
            Outcome outcome = new Outcome(iteration, iteration - start,
                    iteration == start ? Double.NaN : tokens / Math.max(seconds, 1e-9), reason);
            each(c -> c.onEnd(outcome));
            return outcome;
        } catch (RuntimeException | Error failure) {
            saveAfter(failure);
            throw failure;
        } finally {
            active = null;
            if (stop != null) {
                stop.saved();
                stop.close();
            }
        }
    }

    private boolean stopped(SafeStop stop) {
        return stopRequested || (stop != null && stop.stopRequested());
    }

    /** One iteration: zero, gradients, clip, schedule, step; returns its tokens. */
    private long iterate(Tape tape) {
        config.optimizer.zeroGrad();
        GradientStep.Result r = config.step.compute(iteration, tape);
        tape.clear();
        try (Tape.Paused paused = Tape.pause()) {
            if (config.clipValue > 0) {
                GradClipping.clipGradValue(config.optimizer.parameters().values(), config.clipValue);
            }
            if (config.clipNorm > 0) {
                GradClipping.clipGradNorm(config.optimizer.parameters().values(), config.clipNorm);
            }
            if (config.schedule != null) {
                config.schedule.apply(config.optimizer, iteration);
            }
            config.optimizer.step();
            recent.add(r.loss());
            iteration++;
            each(c -> c.onStep(new TrainingCallback.Step(iteration, r.loss(), r.tokens(),
                    config.optimizer.groups().get(0).learningRate())));
        }
        return r.tokens();
    }

    /** Validates, saves the best model, and returns whether early stopping says stop. */
    private boolean validate() {
        try (Tape.Paused paused = Tape.pause()) {
            each(c -> c.beforeValidation(iteration));
            double figure = config.validation.measure();
            lastValidated = iteration;
            boolean best = monitor != null && monitor.record(figure);
            each(c -> c.onValidation(new TrainingCallback.Validation(iteration, figure, best)));
            if (best && config.bestFile != null) {
                write(config.bestFile);
                each(c -> c.onCheckpoint(new TrainingCallback.Checkpointed(iteration, config.bestFile, true)));
            }
            return config.earlyStopping != null && monitor.shouldStop();
        }
    }

    /** Writes the latest checkpoint (if one is configured), then tells the callbacks. */
    private void save(boolean notify) {
        if (config.checkpointFile == null) {
            return;
        }
        write(config.checkpointFile);
        if (notify) {
            each(c -> c.onCheckpoint(new TrainingCallback.Checkpointed(iteration, config.checkpointFile, false)));
        }
    }

    /** After a failure: the checkpoint first, then each callback on its own, their failures suppressed. */
    private void saveAfter(Throwable failure) {
        try {
            save(false);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            return;
        }
        if (config.checkpointFile == null) {
            return;
        }
        TrainingCallback.Checkpointed saved = new TrainingCallback.Checkpointed(iteration, config.checkpointFile, false);
        for (TrainingCallback c : config.callbacks) {
            try {
                c.onCheckpoint(saved);
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private void write(Path file) {
        Map<String, String> meta = new LinkedHashMap<>(config.metadata.get());
        meta.put(ITERATION, Integer.toString(iteration));
        double loss = recentLoss();
        if (!Double.isNaN(loss)) {
            meta.put(RECENT_LOSS, Double.toString(loss));
        }
        if (monitor != null && !Double.isNaN(monitor.best())) {
            meta.put(BEST, Double.toString(monitor.best()));
            meta.put(SINCE_BEST, Integer.toString(monitor.sinceBest()));
        }
        try {
            Checkpoint.save(file, config.model, config.optimizer, meta, config.step.carried());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private void each(Consumer<TrainingCallback> call) {
        for (TrainingCallback c : config.callbacks) {
            call.accept(c);
        }
    }

    /**
     * Asks a running {@link #fit} to stop at the next iteration boundary (and write its
     * checkpoint), as Ctrl-C does; callable from a callback or another thread.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * What Ctrl-C does, callable without a signal: asks the running {@link #fit} to stop at the
     * next iteration boundary and waits (at most a minute) until it has written its checkpoint and
     * told the callbacks.
     *
     * @return whether a fit with the Ctrl-C handler on was running and saved in time
     */
    public boolean interrupt() {
        SafeStop stop = active;
        return stop != null && stop.stopAndAwaitSave();
    }

    /** @return iterations done so far (from the checkpoint when resumed) */
    public int iteration() {
        return iteration;
    }

    /** @return the early-stopping or best-model monitor, or null when no figure is monitored */
    public EarlyStopping monitor() {
        return monitor;
    }

    /**
     * @return the mean training loss of the last (up to {@value RecentLoss#RECENT}) iterations this trainer
     *     ran; when it ran none, the figure of the checkpoint resumed from, else NaN
     */
    public double recentLoss() {
        return recent.mean(Double.parseDouble(resumed.getOrDefault(RECENT_LOSS, "NaN")));
    }

    /** @return how many iterations {@link #recentLoss()} averages (0: it is the checkpoint's figure) */
    public int recentIterations() {
        return recent.size();
    }

    /** Collects a {@link Trainer}'s parts; only the step is required. */
    public static final class Builder {
        private final Module model;
        private final Optimizer optimizer;
        private GradientStep step;
        private double clipNorm;
        private double clipValue;
        private LearningRateSchedule schedule;
        private Validation validation;
        private int validateEvery;
        private EarlyStopping earlyStopping;
        private EarlyStopping.Mode bestMode;
        private Path bestFile;
        private Path checkpointFile;
        private int checkpointEvery;
        private Supplier<Map<String, String>> metadata = Map::of;
        private final List<TrainingCallback> callbacks = new ArrayList<>();
        private boolean stopOnInterrupt = true;
        private Duration interruptPatience = Duration.ofSeconds(60);

        private Builder(Module model, Optimizer optimizer) {
            this.model = model;
            this.optimizer = optimizer;
        }

        /**
         * @param step computes each iteration's gradients (required)
         * @return this builder
         */
        public Builder step(GradientStep step) {
            this.step = step;
            return this;
        }

        /**
         * @param maxNorm clip the gradients' global L2 norm to this before each step (PyTorch's
         *     {@code clip_grad_norm_}); positive
         * @return this builder
         */
        public Builder clipNorm(double maxNorm) {
            this.clipNorm = clippingBound("clipNorm", maxNorm);
            return this;
        }

        /**
         * @param bound clip every gradient element into [-bound, bound] before each step (PyTorch's
         *     {@code clip_grad_value_}, min-char-rnn's {@code np.clip}); positive. With
         *     {@link #clipNorm} too, the values are clipped first, then the norm.
         * @return this builder
         */
        public Builder clipValue(double bound) {
            this.clipValue = clippingBound("clipValue", bound);
            return this;
        }

        private static double clippingBound(String option, double bound) {
            if (!(bound > 0) || Double.isInfinite(bound)) {
                throw new IllegalArgumentException(option + ": " + bound + " must be a positive number; leave clipping "
                        + "out to train without it");
            }
            return bound;
        }

        /**
         * @param schedule the learning rate of each iteration, applied before its step (the
         *     iteration number is the schedule's epoch)
         * @return this builder
         */
        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * @param every validate after every this many iterations and after the last; 0 validates
         *     only after the last
         * @param validation measures the figure on a held-out source
         * @return this builder
         */
        public Builder validateEvery(int every, Validation validation) {
            if (every < 0) {
                throw new IllegalArgumentException("validateEvery: " + every + " must be 0 (only after the last "
                        + "iteration) or more");
            }
            this.validateEvery = every;
            this.validation = validation;
            return this;
        }

        /**
         * @param stopping stop when the validation figure has not improved for its patience
         *     (needs {@link #validateEvery})
         * @return this builder
         */
        public Builder earlyStopping(EarlyStopping stopping) {
            this.earlyStopping = stopping;
            return this;
        }

        /**
         * @param file where the best model so far is written, after each validation that improves on it
         * @param mode whether a lower or a higher figure is better (the early stopping's, if given)
         * @return this builder
         */
        public Builder keepBest(Path file, EarlyStopping.Mode mode) {
            this.bestFile = file;
            this.bestMode = mode;
            return this;
        }

        /**
         * @param every write the checkpoint after every this many iterations; 0 writes it only at
         *     the end, on interruption and on failure
         * @param file the latest checkpoint, replaced atomically each time
         * @return this builder
         */
        public Builder checkpointEvery(int every, Path file) {
            if (every < 0) {
                throw new IllegalArgumentException("checkpointEvery: " + every + " must be 0 (only at the end) or more");
            }
            this.checkpointEvery = every;
            this.checkpointFile = file;
            return this;
        }

        /**
         * @param entries what to store in each checkpoint's metadata besides the trainer's (e.g. a vocabulary)
         * @return this builder
         */
        public Builder metadata(Supplier<Map<String, String>> entries) {
            this.metadata = entries;
            return this;
        }

        /**
         * @param callback called while training, after those added before
         * @return this builder
         */
        public Builder callback(TrainingCallback callback) {
            callbacks.add(callback);
            return this;
        }

        /**
         * @param enabled whether Ctrl-C during {@link #fit} stops at the next iteration and saves
         *     (the default) or kills the JVM as usual
         * @return this builder
         */
        public Builder stopOnInterrupt(boolean enabled) {
            this.stopOnInterrupt = enabled;
            return this;
        }

        /**
         * @return the trainer
         * @throws IllegalArgumentException if a part is missing or parts contradict each other
         */
        public Trainer build() {
            if (step == null) {
                throw new IllegalArgumentException("Trainer: no step; give one with step(new BatchStep<>(...)) or "
                        + "step(new StreamTbpttStep(...))");
            }
            if ((earlyStopping != null || bestFile != null) && validation == null) {
                throw new IllegalArgumentException("Trainer: early stopping and keepBest watch the validation figure; "
                        + "give one with validateEvery(n, validation)");
            }
            if (earlyStopping != null && bestMode != null
                    && earlyStopping.mode() != bestMode) {
                throw new IllegalArgumentException("Trainer: keepBest(" + bestMode + ") and earlyStopping("
                        + earlyStopping.mode() + ") disagree on which direction is better; give both the same mode");
            }
            return new Trainer(this);
        }
    }
}
