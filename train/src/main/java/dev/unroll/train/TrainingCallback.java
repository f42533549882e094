package dev.unroll.train;

import java.nio.file.Path;

/**
 * Hooks a {@link Trainer} calls while it trains, as Keras' {@code Callback}: every method has an
 * empty default, so a callback overrides what it needs. Callbacks run on the training thread in
 * the order they were added. A callback that throws stops training: the trainer still writes its
 * checkpoint (the model is at an iteration boundary) and then rethrows.
 */
public interface TrainingCallback {

    /**
     * Training starts (or resumes).
     *
     * @param start where it starts and what it reaches
     */
    default void onStart(Start start) {
    }

    /**
     * An iteration has updated the parameters.
     *
     * @param step what it measured
     */
    default void onStep(Step step) {
    }

    /**
     * A validation is about to run (a progress display says so).
     *
     * @param iteration iterations done
     */
    default void beforeValidation(int iteration) {
    }

    /**
     * A validation figure was measured.
     *
     * @param validation the figure and whether it is the best so far
     */
    default void onValidation(Validation validation) {
    }

    /**
     * A checkpoint file has been written (atomically), before the callbacks hear of it.
     *
     * @param checkpoint which file, at which iteration
     */
    default void onCheckpoint(Checkpointed checkpoint) {
    }

    /**
     * Training has ended, for the given reason.
     *
     * @param end what the session did
     */
    default void onEnd(Trainer.Outcome end) {
    }

    /**
     * @param iteration iterations done before this session (0 for a fresh run)
     * @param total the iteration count this session trains up to
     * @param resumed whether the trainer resumed from a checkpoint
     */
    record Start(int iteration, int total, boolean resumed) {
    }

    /**
     * @param iteration iterations done, counting this one (from 1)
     * @param loss its training loss
     * @param tokens tokens it processed
     * @param learningRate the learning rate it stepped with (of the first parameter group, when there are several)
     */
    record Step(int iteration, double loss, long tokens, double learningRate) {
    }

    /**
     * @param iteration iterations done when it was measured
     * @param figure the measured figure
     * @param best whether it is the best so far (always false without early stopping or a best checkpoint)
     */
    record Validation(int iteration, double figure, boolean best) {
    }

    /**
     * @param iteration iterations the checkpoint holds
     * @param file the file written
     * @param best whether it is the best model's checkpoint rather than the latest
     */
    record Checkpointed(int iteration, Path file, boolean best) {
    }
}
