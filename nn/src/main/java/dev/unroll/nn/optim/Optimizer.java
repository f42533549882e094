package dev.unroll.nn.optim;

import dev.unroll.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Updates parameters in place from their gradients. Built from an optimizer's options
 * ({@link OptimizerOptions#build}) over a module's named parameters, sorted into
 * {@linkplain #groups() parameter groups} of their own options and learning rate;
 * {@link #step()} applies the update rule to every parameter that has a gradient and leaves the
 * others alone (no momentum, no weight decay, no step counted: PyTorch's rule for a parameter
 * whose {@code grad is None}), {@link #zeroGrad()} forgets the gradients. Per-parameter state
 * (momentum, moments) is allocated once, so steps allocate nothing; the whole state, groups
 * included, is one value for checkpoints ({@link #state()}, {@link #loadState}), identified by a
 * stable {@link #type()}.
 */
public abstract class Optimizer {

    /** The largest learning rate an optimizer takes (larger ones overflow the update to infinity). */
    public static final double MAX_LEARNING_RATE = 1e6;

    /**
     * The largest weight decay an optimizer takes: PyTorch takes any, but a factor like 1e308
     * (a poisoned checkpoint's) turns the next update into infinity.
     */
    public static final double MAX_WEIGHT_DECAY = 1e6;

    private final List<ParamGroup> groups;
    private final List<String> names = new ArrayList<>();
    private final List<Parameter> params = new ArrayList<>();
    private final List<ParamGroup> groupOf = new ArrayList<>();
    private final StateSlot[] slots;
    private final double[][][] buffers;
    private final int[] paramSteps;
    private int steps;
    private final double[][] wideValues;
    private final double[][] wideGradients;
    private final double[][] decayedGradients;

    /**
     * @param groups the parameter groups, as {@link OptimizerOptions} resolves them
     * @param slots every per-parameter state buffer this kind of optimizer may keep (e.g.
     *     {@code exp_avg}), each the parameter's shape; a parameter has those its group's
     *     {@linkplain OptimizerOptions#slots() options use}
     */
    protected Optimizer(List<ParamGroup> groups, StateSlot... slots) {
        this.groups = List.copyOf(groups);
        for (ParamGroup g : this.groups) {
            g.parameters().forEach((name, p) -> {
                names.add(name);
                params.add(p);
                groupOf.add(g);
            });
        }
        this.slots = slots.clone();
        this.buffers = new double[slots.length][params.size()][];
        this.paramSteps = new int[params.size()];
        this.wideValues = new double[params.size()][];
        this.wideGradients = new double[params.size()][];
        this.decayedGradients = new double[params.size()][];
        allocateBuffers();
    }

    /** Gives each parameter the buffers its group's options use, at their initial values; drops the others. */
    private void allocateBuffers() {
        for (int i = 0; i < params.size(); i++) {
            OptimizerOptions<?, ?> options = groupOf.get(i).options();
            for (int s = 0; s < slots.length; s++) {
                boolean used = options.slots().contains(slots[s]);
                if (used && buffers[s][i] == null) {
                    buffers[s][i] = new double[params.get(i).size()];
                    Arrays.fill(buffers[s][i], options.initialValue(slots[s]));
                } else if (!used) {
                    buffers[s][i] = null;
                }
            }
        }
    }

    static void checkLearningRate(String who, double rate) {
        if (!(rate >= 0 && rate <= MAX_LEARNING_RATE)) {
            throw new IllegalArgumentException(who + ": learning rate " + rate + " must be a number from 0 to "
                    + MAX_LEARNING_RATE);
        }
    }

    /** Applies one update to every parameter that has a gradient; the others are left as they are. */
    public final void step() {
        steps++;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            DMatrixRMaj g = p.gradMatrix();
            if (g != null) {
                paramSteps[i]++;
                update(i, p.data(), g.data, paramSteps[i], groupOf.get(i));
            } else if (p.gradMatrixF32() != null) {
                paramSteps[i]++;
                updateFloat32(i, p, paramSteps[i]);
            }
        }
    }

    /**
     * Updates a float32 parameter with the same rule, in double: its values and gradient are
     * widened, the rule runs against the (double) state, and the values are rounded back. One
     * rule per optimizer serves both precisions, and the state keeps double accuracy, as the
     * master copy of mixed-precision training does.
     */
    private void updateFloat32(int i, Parameter p, int step) {
        float[] w = p.dataF32();
        float[] g = p.gradMatrixF32().data;
        if (wideValues[i] == null) {
            wideValues[i] = new double[w.length];
            wideGradients[i] = new double[w.length];
        }
        double[] wide = wideValues[i];
        double[] wideG = wideGradients[i];
        for (int k = 0; k < w.length; k++) {
            wide[k] = w[k];
            wideG[k] = g[k];
        }
        update(i, wide, wideG, step, groupOf.get(i));
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) wide[k];
        }
    }

    /**
     * The update rule for one parameter.
     *
     * @param index the parameter's index, for {@link #buffer(int, int)}
     * @param w the parameter's values, updated in place
     * @param g its gradient (read only)
     * @param step how many updates this parameter has received, counting this one (from 1)
     * @param group its group: the options and the learning rate to use
     */
    protected abstract void update(int index, double[] w, double[] g, int step, ParamGroup group);

    /**
     * @param slot the slot's position in the constructor's slots
     * @param index the parameter's index
     * @return that parameter's state buffer for that slot (live), or {@code null} when its
     *     group's options do not use the slot
     */
    protected final double[] buffer(int slot, int index) {
        return buffers[slot][index];
    }

    /**
     * The gradient as PyTorch's optimizers first change it: negated for {@code maximize}, plus
     * {@code weightDecay * w} (L2 weight decay). Without either it is {@code g} itself; otherwise
     * a buffer of this parameter's, allocated on first use.
     *
     * @param index the parameter's index
     * @param w its values
     * @param g its gradient
     * @param weightDecay the L2 factor, 0 for none
     * @param maximize whether to negate the gradient
     * @return the changed gradient (read only)
     */
    protected final double[] decayedGradient(int index, double[] w, double[] g, double weightDecay, boolean maximize) {
        if (weightDecay == 0 && !maximize) {
            return g;
        }
        if (decayedGradients[index] == null) {
            decayedGradients[index] = new double[g.length];
        }
        double[] d = decayedGradients[index];
        double sign = maximize ? -1 : 1;
        for (int k = 0; k < g.length; k++) {
            d[k] = sign * g[k] + weightDecay * w[k];
        }
        return d;
    }

    /** Forgets every parameter's gradient ({@link Parameter#zeroGrad()}): a step before the next backward changes nothing. */
    public void zeroGrad() {
        for (Parameter p : params) {
            p.zeroGrad();
        }
    }

    /** @return the parameter groups, in order (one, group 0, unless the options added groups) */
    public List<ParamGroup> groups() {
        return groups;
    }

    /** @return how many times {@link #step()} has run */
    public int stepCount() {
        return steps;
    }

    /** @return the parameters by name, group by group, unmodifiable */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), params.get(i));
        }
        return Collections.unmodifiableMap(out);
    }

    /** @return every state buffer this kind of optimizer may keep for a parameter (checkpoints look for these) */
    public final List<StateSlot> slots() {
        return List.of(slots);
    }

    /**
     * The stable name of this kind of optimizer, stored in checkpoints and checked when state is
     * restored; unlike the class name it never changes (e.g. {@code Adam}, {@code Sgd}).
     *
     * @return the type name
     */
    public abstract String type();

    /**
     * A copy of the optimizer's whole state, for checkpoints.
     *
     * @return the type name, step counts, groups (parameters, learning rate, options) and every buffer
     */
    public final OptimizerState state() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            counts.put(names.get(i), paramSteps[i]);
        }
        Map<String, OptimizerState.Buffer> copies = new LinkedHashMap<>();
        for (int s = 0; s < slots.length; s++) {
            for (int i = 0; i < params.size(); i++) {
                if (buffers[s][i] != null) {
                    Parameter p = params.get(i);
                    copies.put(key(i, s), new OptimizerState.Buffer(p.rows(), p.cols(), buffers[s][i].clone()));
                }
            }
        }
        List<OptimizerState.Group> saved = new ArrayList<>();
        for (ParamGroup g : groups) {
            saved.add(new OptimizerState.Group(List.copyOf(g.parameters().keySet()), g.learningRate(),
                    g.options().settings()));
        }
        return new OptimizerState(type(), steps, saved, counts, copies);
    }

    /**
     * Restores state saved from an optimizer of the same type over parameters of the same names
     * and shapes in the same groups, after checking all of it; when it refuses, nothing has
     * changed. As PyTorch's {@code load_state_dict}, the groups' options and learning rates come
     * from the state. Besides the type, groups, names and shapes it checks what each value may be:
     * every option as its setter does, the learning rates finite, zero or positive and at most
     * {@value #MAX_LEARNING_RATE}; the step counts zero or positive, no parameter's above the
     * optimizer's; exactly the buffers the restored options use, every one finite, and the sums
     * and averages of squares ({@link StateSlot#nonNegative()}) not negative. State outside these
     * ranges would write NaN or infinity into the parameters at the next step.
     *
     * @param state the state to restore
     * @throws IllegalArgumentException naming the first entry that does not fit
     */
    public final void loadState(OptimizerState state) {
        String me = getClass().getSimpleName() + ".loadState: ";
        if (!state.type().equals(type())) {
            throw new IllegalArgumentException(me + "the state is " + state.type() + " state, this optimizer is "
                    + type() + "; restore it into a " + state.type());
        }
        if (state.step() < 0) {
            throw new IllegalArgumentException(me + "the step count " + state.step() + " is negative");
        }
        List<OptimizerOptions<?, ?>> restored = StateCheck.groups(me, groups, state.groups());
        StateCheck.parameterSteps(me, names, state);
        int needed = 0;
        for (int i = 0; i < params.size(); i++) {
            OptimizerOptions<?, ?> options = restored.get(groupOf.get(i).index());
            for (int s = 0; s < slots.length; s++) {
                if (options.slots().contains(slots[s])) {
                    StateCheck.buffer(me, state.buffers().get(key(i, s)), key(i, s), params.get(i), slots[s]);
                    needed++;
                }
            }
        }
        if (state.buffers().size() != needed) {
            throw new IllegalArgumentException(me + "the state holds " + state.buffers().size() + " buffers, this "
                    + type() + " with the state's options " + needed + "; was it saved from a different model?");
        }
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).restore(restored.get(g), state.groups().get(g).learningRate());
        }
        allocateBuffers();
        for (int s = 0; s < slots.length; s++) {
            for (int i = 0; i < params.size(); i++) {
                if (buffers[s][i] != null) {
                    double[] src = state.buffers().get(key(i, s)).values();
                    System.arraycopy(src, 0, buffers[s][i], 0, buffers[s][i].length);
                }
            }
        }
        for (int i = 0; i < names.size(); i++) {
            paramSteps[i] = state.parameterSteps().get(names.get(i));
        }
        this.steps = state.step();
    }

    private String key(int index, int slot) {
        return names.get(index) + "." + slots[slot].name();
    }

    /**
     * @return e.g. {@code Adam(lr=0.002, betas=(0.9, 0.999), eps=1.0E-8, weightDecay=0.0; 12 parameters, step 40)},
     *     with groups {@code AdamW(group 0: lr=...; 8 parameters | group 1: ...; 4 parameters; step 40)}
     */
    @Override
    public String toString() {
        if (groups.size() == 1) {
            return type() + "(" + groups.get(0) + ", step " + steps + ")";
        }
        StringBuilder out = new StringBuilder(type()).append('(');
        for (ParamGroup g : groups) {
            out.append("group ").append(g.index()).append(": ").append(g).append(" | ");
        }
        out.setLength(out.length() - 3);
        return out.append("; step ").append(steps).append(')').toString();
    }
}
