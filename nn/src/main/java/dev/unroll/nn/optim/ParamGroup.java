package dev.unroll.nn.optim;

import dev.unroll.nn.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One parameter group of an optimizer, as an entry of PyTorch's {@code optimizer.param_groups}:
 * its parameters, its options and its current learning rate, which schedules change
 * ({@link LearningRateSchedule#apply}) from the rate the group was built with.
 */
public final class ParamGroup {

    private final int index;
    private final Map<String, Parameter> parameters;
    private OptimizerOptions<?, ?> options;
    private double learningRate;

    ParamGroup(int index, OptimizerOptions<?, ?> options, Map<String, Parameter> parameters) {
        this.index = index;
        this.options = options;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.learningRate = options.lr();
    }

    /** @return the group's position in {@link Optimizer#groups()}; 0 holds the parameters no filter chose */
    public int index() {
        return index;
    }

    /** @return the group's parameters by name, unmodifiable */
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** @return the group's options (cast to the optimizer's, e.g. {@code Adam.Options}, to read its own) */
    public OptimizerOptions<?, ?> options() {
        return options;
    }

    /** @return the learning rate the next step uses */
    public double learningRate() {
        return learningRate;
    }

    /** @return the learning rate the group was built with ({@code initial_lr}; schedules scale it) */
    public double initialLearningRate() {
        return options.lr();
    }

    /**
     * Changes the group's learning rate, as {@code param_groups[i]['lr'] = rate} (schedules call
     * this; cosine annealing may end at 0).
     *
     * @param rate the new rate, from 0 to {@value Optimizer#MAX_LEARNING_RATE}
     */
    public void setLearningRate(double rate) {
        Optimizer.checkLearningRate(getClass().getSimpleName() + " " + index, rate);
        this.learningRate = rate;
    }

    /** Takes restored options and rate (checked by {@link Optimizer#loadState}). */
    void restore(OptimizerOptions<?, ?> restored, double rate) {
        this.options = restored;
        this.learningRate = rate;
    }

    /** @return e.g. {@code lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weightDecay=0.0; 4 parameters} */
    @Override
    public String toString() {
        return "lr=" + learningRate + ", " + options.describe() + "; " + parameters.size() + " parameters";
    }
}
