package dev.unroll.nn.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole state of an optimizer as one value, for checkpoints: its stable type name (e.g.
 * {@code Adam}), step counts (overall and per parameter), parameter groups (their parameters,
 * learning rates and options) and buffers (as {@code <parameter>.<slot>}, each the parameter's
 * shape). {@link Optimizer#state()} takes one, {@link Optimizer#loadState} restores one after
 * validating all of it.
 */
public final class OptimizerState {

    /**
     * One parameter group, as an entry of PyTorch's {@code state_dict()['param_groups']}.
     *
     * @param parameters the names of its parameters
     * @param learningRate its current learning rate ({@code lr})
     * @param options its options as text ({@link OptimizerOptions#settings()}), the rate it was
     *     built with as {@code initial_lr}
     */
    public record Group(List<String> parameters, double learningRate, Map<String, String> options) {

        /**
         * Copies the names and options, keeping their order.
         *
         * @param parameters the names of its parameters
         * @param learningRate its current learning rate
         * @param options its options as text
         */
        public Group {
            parameters = List.copyOf(parameters);
            options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }
    }

    /**
     * One state buffer.
     *
     * @param rows the parameter's rows
     * @param cols the parameter's columns
     * @param values rows x cols values, row-major
     */
    public record Buffer(int rows, int cols, double[] values) {

        /**
         * Checks that the values fill the shape.
         *
         * @param rows the parameter's rows
         * @param cols the parameter's columns
         * @param values the values
         */
        public Buffer {
            if (rows < 0 || cols < 0 || (long) rows * cols != values.length) {
                throw new IllegalArgumentException("OptimizerState.Buffer: " + values.length + " values do not fill "
                        + rows + "x" + cols);
            }
        }
    }

    private final String type;
    private final int step;
    private final List<Group> groups;
    private final Map<String, Integer> parameterSteps;
    private final Map<String, Buffer> buffers;

    /**
     * @param type the optimizer's stable type name ({@link Optimizer#type()})
     * @param step how many steps the optimizer had taken
     * @param groups its parameter groups, in order
     * @param parameterSteps how many updates each parameter had received, by parameter name
     * @param buffers the buffers by {@code <parameter>.<slot>}
     */
    public OptimizerState(String type, int step, List<Group> groups, Map<String, Integer> parameterSteps,
            Map<String, Buffer> buffers) {
        this.type = type;
        this.step = step;
        this.groups = List.copyOf(groups);
        this.parameterSteps = Collections.unmodifiableMap(new LinkedHashMap<>(parameterSteps));
        this.buffers = Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
    }

    /** @return the optimizer's stable type name, e.g. {@code Adam} */
    public String type() {
        return type;
    }

    /** @return the parameter groups, in order */
    public List<Group> groups() {
        return groups;
    }

    /** @return how many steps the optimizer had taken */
    public int step() {
        return step;
    }

    /** @return update counts by parameter name, in the optimizer's order */
    public Map<String, Integer> parameterSteps() {
        return parameterSteps;
    }

    /** @return the buffers by {@code <parameter>.<slot>} */
    public Map<String, Buffer> buffers() {
        return buffers;
    }
}
