package dev.unroll.nn.optim;

import dev.unroll.nn.Parameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The checks {@link Optimizer#loadState} makes of restored state before it changes anything:
 * the groups match, the step counts fit, each buffer has its parameter's shape and its slot's range.
 */
final class StateCheck {

    private StateCheck() {
    }

    /**
     * @return each group's options as the state sets them
     * @throws IllegalArgumentException when the groups differ in number or parameters, or an option is refused
     */
    static List<OptimizerOptions<?, ?>> groups(String me, List<ParamGroup> groups, List<OptimizerState.Group> saved) {
        if (saved.size() != groups.size()) {
            throw new IllegalArgumentException(me + "the state has " + saved.size() + " parameter groups, this optimizer "
                    + groups.size() + "; build the optimizer with the groups it was saved with");
        }
        List<OptimizerOptions<?, ?>> restored = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            OptimizerState.Group state = saved.get(g);
            if (!new HashSet<>(state.parameters()).equals(group.parameters().keySet())) {
                throw new IllegalArgumentException(me + "the state's group " + g + " holds " + names(state.parameters())
                        + ", this optimizer's " + names(List.copyOf(group.parameters().keySet()))
                        + "; build the optimizer with the groups it was saved with");
            }
            try {
                Optimizer.checkLearningRate("lr", state.learningRate());
                restored.add(group.options().withSettings(state.options()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(me + "group " + g + ": " + e.getMessage(), e);
            }
        }
        return restored;
    }

    private static String names(List<String> names) {
        return names.size() + " parameters " + (names.size() <= 4 ? names : names.subList(0, 4) + " ...");
    }

    static void parameterSteps(String me, List<String> names, OptimizerState state) {
        for (String name : names) {
            Integer count = state.parameterSteps().get(name);
            if (count == null) {
                throw new IllegalArgumentException(me + "the state lacks the step count of '" + name
                        + "'; was it saved from a different model?");
            }
            if (count < 0 || count > state.step()) {
                throw new IllegalArgumentException(me + "the step count of '" + name + "' is " + count
                        + ", outside [0, " + state.step() + "] (the optimizer's steps)");
            }
        }
        if (state.parameterSteps().size() != names.size()) {
            throw new IllegalArgumentException(me + "the state has step counts of " + state.parameterSteps().size()
                    + " parameters, this optimizer " + names.size() + "; was it saved from a different model?");
        }
    }

    static void buffer(String me, OptimizerState.Buffer buffer, String key, Parameter p, StateSlot slot) {
        if (buffer == null) {
            throw new IllegalArgumentException(me + "the state lacks '" + key
                    + "'; was it saved from a different optimizer or model?");
        }
        if (buffer.rows() != p.rows() || buffer.cols() != p.cols()) {
            throw new IllegalArgumentException(me + "'" + key + "' is " + buffer.rows() + "x" + buffer.cols()
                    + " but the parameter is " + p.rows() + "x" + p.cols());
        }
        double[] v = buffer.values();
        for (int k = 0; k < v.length; k++) {
            if (!Double.isFinite(v[k]) || (slot.nonNegative() && v[k] < 0)) {
                throw new IllegalArgumentException(me + "'" + key + "' holds " + v[k] + " at index " + k + ", but "
                        + slot.name() + " must be finite" + (slot.nonNegative() ? " and not negative" : "")
                        + "; the state is corrupt");
            }
        }
    }
}
