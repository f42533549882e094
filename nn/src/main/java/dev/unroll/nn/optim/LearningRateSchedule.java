package dev.unroll.nn.optim;

/**
 * A learning rate as a function of the epoch (or step) count, relative to an initial rate. Call
 * {@link #apply(Optimizer, int)} at the start of each epoch or step: as PyTorch's schedulers, it
 * scales each parameter group's own rate (its {@code initial_lr}), so groups keep their ratios.
 */
public interface LearningRateSchedule {

    /**
     * @param initial the initial learning rate
     * @param epoch the epoch or step number, from 0
     * @return the learning rate to use then
     */
    double rate(double initial, int epoch);

    /**
     * Sets the learning rate of each of the optimizer's groups for {@code epoch}, from the rate
     * that group was built with.
     *
     * @param optimizer the optimizer
     * @param epoch the epoch or step number, from 0
     */
    default void apply(Optimizer optimizer, int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("learning-rate schedule: epoch " + epoch + " is negative");
        }
        for (ParamGroup group : optimizer.groups()) {
            group.setLearningRate(rate(group.initialLearningRate(), epoch));
        }
    }

    /**
     * Step decay (PyTorch's StepLR): the rate is multiplied by gamma every stepSize epochs,
     * lr = initial * gamma^floor(epoch / stepSize).
     *
     * @param stepSize epochs between decays, positive
     * @param gamma the factor, in (0, 1]
     * @return the schedule
     */
    static LearningRateSchedule stepDecay(int stepSize, double gamma) {
        if (stepSize <= 0 || !(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("stepDecay: step size " + stepSize + " must be positive and gamma "
                    + gamma + " in (0, 1]");
        }
        return (initial, epoch) -> initial * Math.pow(gamma, epoch / stepSize);
    }

    /**
     * Exponential decay (PyTorch's ExponentialLR): lr = initial * gamma^epoch.
     *
     * @param gamma the factor per epoch, in (0, 1]
     * @return the schedule
     */
    static LearningRateSchedule exponentialDecay(double gamma) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("exponentialDecay: gamma " + gamma + " must be in (0, 1]");
        }
        return (initial, epoch) -> initial * Math.pow(gamma, epoch);
    }

    /**
     * Cosine annealing (PyTorch's CosineAnnealingLR, closed form):
     * lr = min + (initial - min) (1 + cos(pi * epoch / period)) / 2, held at min after the period.
     *
     * @param period epochs to anneal over, positive
     * @param minimum the final learning rate, zero (PyTorch's default eta_min) or positive, and
     *     at most the initial one
     * @return the schedule
     */
    static LearningRateSchedule cosine(int period, double minimum) {
        if (period <= 0 || !(minimum >= 0) || Double.isInfinite(minimum)) {
            throw new IllegalArgumentException("cosine: period " + period + " must be positive and minimum "
                    + minimum + " zero or positive");
        }
        return (initial, epoch) -> minimum
                + (initial - minimum) * (1 + Math.cos(Math.PI * Math.min(epoch, period) / period)) / 2;
    }
}
