package dev.unroll.spark;

import dev.unroll.nn.optim.Optimizer;
import dev.unroll.nn.optim.OptimizerState;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's state ({@link OptimizerState}) in a form Spark can ship, and the sum of several
 * replicas' states, added left to right, whose mean the driver's optimizer loads after a round of
 * parameter averaging.
 */
final class OptimizerValues implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String type;
    private final double learningRate;
    private final List<String> parameterNames;
    private final long[] parameterSteps;
    private final List<String> bufferNames;
    private final int[][] bufferShapes;
    private final double[][] buffers;
    private long step;
    private int summed = 1;

    private OptimizerValues(OptimizerState state) {
        this.type = state.type();
        this.learningRate = state.learningRate();
        this.step = state.step();
        this.parameterNames = List.copyOf(state.parameterSteps().keySet());
        this.parameterSteps = state.parameterSteps().values().stream().mapToLong(Integer::longValue).toArray();
        this.bufferNames = List.copyOf(state.buffers().keySet());
        this.bufferShapes = new int[bufferNames.size()][];
        this.buffers = new double[bufferNames.size()][];
        for (int i = 0; i < bufferNames.size(); i++) {
            OptimizerState.Buffer b = state.buffers().get(bufferNames.get(i));
            bufferShapes[i] = new int[] {b.rows(), b.cols()};
            buffers[i] = b.values().clone();
        }
    }

    /**
     * @param optimizer an optimizer
     * @return a copy of its state
     */
    static OptimizerValues of(Optimizer optimizer) {
        return new OptimizerValues(optimizer.state());
    }

    /**
     * Adds another replica's optimizer state into this one.
     *
     * @param other the state of an optimizer of the same type over the same parameters
     * @return this
     */
    OptimizerValues add(OptimizerValues other) {
        if (!other.type.equals(type) || !other.bufferNames.equals(bufferNames)
                || !other.parameterNames.equals(parameterNames)) {
            throw new IllegalArgumentException("parameter averaging: a replica's optimizer is " + other.type + " over "
                    + other.parameterNames.size() + " parameters, another's " + type + " over " + parameterNames.size()
                    + "; the optimizer factory must build the same optimizer for every replica");
        }
        for (int i = 0; i < buffers.length; i++) {
            double[] mine = buffers[i];
            double[] theirs = other.buffers[i];
            for (int k = 0; k < mine.length; k++) {
                mine[k] += theirs[k];
            }
        }
        for (int i = 0; i < parameterSteps.length; i++) {
            parameterSteps[i] += other.parameterSteps[i];
        }
        step += other.step;
        summed += other.summed;
        return this;
    }

    /**
     * @return the state itself (of one optimizer), or the mean of those summed: buffers divided
     *     by their number, step counts averaged and rounded, the first one's learning rate
     */
    OptimizerState toState() {
        Map<String, Integer> steps = new LinkedHashMap<>();
        for (int i = 0; i < parameterNames.size(); i++) {
            steps.put(parameterNames.get(i), (int) Math.round((double) parameterSteps[i] / summed));
        }
        Map<String, OptimizerState.Buffer> means = new LinkedHashMap<>();
        for (int i = 0; i < bufferNames.size(); i++) {
            double[] mean = buffers[i].clone();
            for (int k = 0; k < mean.length; k++) {
                mean[k] /= summed;
            }
            means.put(bufferNames.get(i), new OptimizerState.Buffer(bufferShapes[i][0], bufferShapes[i][1], mean));
        }
        return new OptimizerState(type, learningRate, (int) Math.round((double) step / summed), steps, means);
    }
}
