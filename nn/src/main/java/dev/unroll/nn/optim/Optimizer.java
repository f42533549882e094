package dev.unroll.nn.optim;

import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Updates parameters in place from their gradients. Built over a module's named parameters (or
 * a list, named "0", "1", ...); {@link #step()} applies the update rule to every parameter that
 * has a gradient, {@link #zeroGrad()} clears the gradients. Per-parameter state (momentum,
 * moments) is allocated once, so steps allocate nothing; the whole state is one value for
 * checkpoints ({@link #state()}, {@link #loadState}), identified by a stable {@link #type()}.
 */
public abstract class Optimizer {

    /** The largest learning rate an optimizer takes (larger ones overflow the update to infinity). */
    public static final double MAX_LEARNING_RATE = 1e6;

    private final List<String> names;
    private final List<Parameter> params;
    private final StateSlot[] slots;
    private final double[][][] buffers;
    private final int[] paramSteps;
    private final double initialLearningRate;
    private double learningRate;
    private int steps;
    private final double[][] wideValues;
    private final double[][] wideGradients;

    /**
     * @param parameters the parameters by name, in a fixed order
     * @param learningRate the initial learning rate, zero or positive (0 freezes the parameters,
     *     as in PyTorch)
     * @param slots the per-parameter state buffers (e.g. {@code exp_avg}), each the parameter's
     *     shape, zero-initialised
     */
    protected Optimizer(Map<String, Parameter> parameters, double learningRate, StateSlot... slots) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters to optimise");
        }
        checkLearningRate(learningRate);
        this.names = List.copyOf(parameters.keySet());
        this.params = List.copyOf(parameters.values());
        this.slots = slots.clone();
        this.buffers = new double[slots.length][params.size()][];
        for (int s = 0; s < slots.length; s++) {
            for (int i = 0; i < params.size(); i++) {
                buffers[s][i] = new double[params.get(i).size()];
            }
        }
        this.paramSteps = new int[params.size()];
        this.wideValues = new double[params.size()][];
        this.wideGradients = new double[params.size()][];
        this.initialLearningRate = learningRate;
        this.learningRate = learningRate;
    }

    /**
     * Names a list of parameters "0", "1", ... for optimizers built without a module.
     *
     * @param parameters the parameters
     * @return an ordered map from index to parameter
     */
    protected static Map<String, Parameter> indexed(List<? extends Parameter> parameters) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            named.put(Integer.toString(i), parameters.get(i));
        }
        return named;
    }

    /**
     * @param module a module
     * @return its named parameters, for the constructors taking a module
     */
    protected static Map<String, Parameter> of(Module module) {
        return module.namedParameters();
    }

    private void checkLearningRate(double rate) {
        if (!(rate >= 0 && rate <= MAX_LEARNING_RATE)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate " + rate
                    + " must be a number from 0 to " + MAX_LEARNING_RATE);
        }
    }

    /** Applies one update to every parameter that has a gradient. */
    public final void step() {
        steps++;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            DMatrixRMaj g = p.gradMatrix();
            if (g != null) {
                paramSteps[i]++;
                update(i, p.data(), g.data, paramSteps[i]);
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
        update(i, wide, wideG, step);
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
     */
    protected abstract void update(int index, double[] w, double[] g, int step);

    /**
     * @param slot the slot's position in the constructor's slot names
     * @param index the parameter's index
     * @return that parameter's state buffer for that slot (live)
     */
    protected final double[] buffer(int slot, int index) {
        return buffers[slot][index];
    }

    /** Sets every parameter's gradient to zero. */
    public void zeroGrad() {
        for (Parameter p : params) {
            p.zeroGrad();
        }
    }

    /** @return the current learning rate */
    public double learningRate() {
        return learningRate;
    }

    /** @return the learning rate the optimizer was built with (schedules scale it) */
    public double initialLearningRate() {
        return initialLearningRate;
    }

    /**
     * Changes the learning rate (schedules call this; cosine annealing may end at 0).
     *
     * @param rate the new rate, zero or positive and finite
     */
    public void setLearningRate(double rate) {
        checkLearningRate(rate);
        this.learningRate = rate;
    }

    /** @return how many times {@link #step()} has run */
    public int stepCount() {
        return steps;
    }

    /** @return the parameters by name, in optimisation order, unmodifiable */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), params.get(i));
        }
        return Collections.unmodifiableMap(out);
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
     * @return the type name, learning rate, step counts and every buffer
     */
    public final OptimizerState state() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            counts.put(names.get(i), paramSteps[i]);
        }
        Map<String, OptimizerState.Buffer> copies = new LinkedHashMap<>();
        for (int s = 0; s < slots.length; s++) {
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                copies.put(key(i, s), new OptimizerState.Buffer(p.rows(), p.cols(), buffers[s][i].clone()));
            }
        }
        return new OptimizerState(type(), learningRate, steps, counts, copies);
    }

    /**
     * Restores state saved from an optimizer of the same type over parameters of the same names
     * and shapes, after checking all of it; when it refuses, nothing has changed. Besides the
     * type, names and shapes it checks what each value may be: the learning rate finite, zero or
     * positive and at most {@value #MAX_LEARNING_RATE}; the step counts zero or positive, no
     * parameter's above the optimizer's; every buffer finite, and the sums and averages of squares
     * ({@link StateSlot#nonNegative()}) not negative. State outside these ranges would write NaN
     * or infinity into the parameters at the next step.
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
        checkLearningRate(state.learningRate());
        if (state.step() < 0) {
            throw new IllegalArgumentException(me + "the step count " + state.step() + " is negative");
        }
        checkParameterSteps(me, state);
        for (int s = 0; s < slots.length; s++) {
            for (int i = 0; i < params.size(); i++) {
                checkBuffer(me, state.buffers().get(key(i, s)), key(i, s), params.get(i), slots[s]);
            }
        }
        if (state.buffers().size() != slots.length * params.size()) {
            throw new IllegalArgumentException(me + "the state holds " + state.buffers().size() + " buffers, this "
                    + type() + " " + slots.length * params.size() + "; was it saved from a different model?");
        }
        for (int s = 0; s < slots.length; s++) {
            for (int i = 0; i < params.size(); i++) {
                double[] src = state.buffers().get(key(i, s)).values();
                System.arraycopy(src, 0, buffers[s][i], 0, buffers[s][i].length);
            }
        }
        for (int i = 0; i < names.size(); i++) {
            paramSteps[i] = state.parameterSteps().get(names.get(i));
        }
        this.steps = state.step();
        this.learningRate = state.learningRate();
    }

    private String key(int index, int slot) {
        return names.get(index) + "." + slots[slot].name();
    }

    private void checkParameterSteps(String me, OptimizerState state) {
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

    private static void checkBuffer(String me, OptimizerState.Buffer buffer, String key, Parameter p, StateSlot slot) {
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

    /** @return the settings shown by {@link #toString()}, e.g. {@code momentum=0.9} */
    protected abstract String settings();

    /** @return e.g. {@code Adam(lr=0.002, betas=(0.9, 0.999), eps=1e-08; 12 parameters, step 40)} */
    @Override
    public String toString() {
        return type() + "(lr=" + learningRate + (settings().isEmpty() ? "" : ", " + settings())
                + "; " + params.size() + " parameters, step " + steps + ")";
    }
}
