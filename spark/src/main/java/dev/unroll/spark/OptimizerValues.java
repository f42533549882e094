package dev.unroll.spark;

import dev.unroll.nn.optim.Optimizer;
import dev.unroll.nn.optim.OptimizerState;
import java.io.Serializable;
import java.util.ArrayList;
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
    /** Each group's parameter names, learning rate and options, as {@link OptimizerState.Group} holds them. */
    private final List<List<String>> groupParameters = new ArrayList<>();
    private final List<Double> groupRates = new ArrayList<>();
    private final List<Map<String, String>> groupOptions = new ArrayList<>();
    private final List<String> parameterNames;
    private final long[] parameterSteps;
    private final List<String> bufferNames;
    private final int[][] bufferShapes;
    private final double[][] buffers;
    private long step;
    private int summed = 1;

    private OptimizerValues(OptimizerState state) {
        this.type = state.type();
        for (OptimizerState.Group g : state.groups()) {
            groupParameters.add(new ArrayList<>(g.parameters()));
            groupRates.add(g.learningRate());
            groupOptions.add(new LinkedHashMap<>(g.options()));
        }
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
                || !other.parameterNames.equals(parameterNames) || !sameGroups(other)) {
            throw new IllegalArgumentException("parameter averaging: a replica's optimizer is " + other.type + " over "
                    + other.parameterNames.size() + " parameters in " + other.groupParameters.size()
                    + " groups, another's " + type
                    + " over " + parameterNames.size() + " in " + groupParameters.size()
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
     *     by their number, step counts averaged and rounded, the first one's groups (their
     *     learning rates and options)
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
        List<OptimizerState.Group> groups = new ArrayList<>();
        for (int g = 0; g < groupParameters.size(); g++) {
            groups.add(new OptimizerState.Group(groupParameters.get(g), groupRates.get(g), groupOptions.get(g)));
        }
        return new OptimizerState(type, (int) Math.round((double) step / summed), groups, steps, means);
    }

    /** Whether another replica's optimizer has the same groups of the same parameters and options (rates aside). */
    private boolean sameGroups(OptimizerValues other) {
        return other.groupParameters.equals(groupParameters) && other.groupOptions.equals(groupOptions);
    }
}
