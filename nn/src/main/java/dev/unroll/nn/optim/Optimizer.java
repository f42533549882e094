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
 * moments) is allocated once, so steps allocate nothing; it can be read and restored by name for
 * checkpoints ({@link #state()}, {@link #loadState}).
 */
public abstract class Optimizer {

    private final List<String> names;
    private final List<Parameter> params;
    private final String[] slots;
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
     * @param slots the names of the per-parameter state buffers (e.g. {@code exp_avg}), each
     *     the parameter's shape, zero-initialised
     */
    protected Optimizer(Map<String, Parameter> parameters, double learningRate, String... slots) {
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
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate " + rate
                    + " must be a finite number, zero or positive");
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
     * A copy of the optimizer's state: every buffer as {@code <parameter>.<slot>} with the
     * parameter's shape, for checkpoints.
     *
     * @return buffers by key
     */
    public Map<String, DMatrixRMaj> state() {
        Map<String, DMatrixRMaj> out = new LinkedHashMap<>();
        for (int s = 0; s < slots.length; s++) {
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                out.put(names.get(i) + "." + slots[s], new DMatrixRMaj(p.rows(), p.cols(), true, buffers[s][i]));
            }
        }
        return out;
    }

    /**
     * A copy of the per-parameter update counts, by parameter name (Adam's bias correction
     * depends on them).
     *
     * @return update counts
     */
    public Map<String, Integer> parameterSteps() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), paramSteps[i]);
        }
        return out;
    }

    /**
     * The keys {@link #state()} returns, with their shapes, so that a checkpoint can be
     * validated before anything is restored.
     *
     * @return rows and columns by key
     */
    public Map<String, int[]> stateShapes() {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (String slot : slots) {
            for (int i = 0; i < params.size(); i++) {
                out.put(names.get(i) + "." + slot, new int[] {params.get(i).rows(), params.get(i).cols()});
            }
        }
        return out;
    }

    /**
     * Checks that saved state fits this optimizer, without changing anything.
     *
     * @param state buffers by key, as {@link #state()} returns
     * @param parameterSteps update counts by parameter name
     * @param rate the learning rate to restore
     * @throws IllegalArgumentException naming the first missing or mis-shaped entry
     */
    public void checkState(Map<String, DMatrixRMaj> state, Map<String, Integer> parameterSteps, double rate) {
        for (Map.Entry<String, int[]> e : stateShapes().entrySet()) {
            DMatrixRMaj m = state.get(e.getKey());
            if (m == null) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": saved state lacks '" + e.getKey()
                        + "'; was it saved from a different optimizer or model?");
            }
            int expected = e.getValue()[0] * e.getValue()[1];
            if (m.getNumElements() != expected) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": saved state '" + e.getKey() + "' has "
                        + m.getNumElements() + " values but the parameter has " + expected);
            }
        }
        for (String name : names) {
            if (!parameterSteps.containsKey(name)) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": saved state lacks the step count of '"
                        + name + "'");
            }
        }
        checkLearningRate(rate);
    }

    /**
     * Restores state saved from an optimizer of the same kind over the same parameters, after
     * {@linkplain #checkState checking} all of it.
     *
     * @param state buffers by key, as {@link #state()} returns
     * @param parameterSteps update counts by parameter name
     * @param stepCount the value of {@link #stepCount()} to restore
     * @param rate the learning rate to restore
     */
    public void loadState(Map<String, DMatrixRMaj> state, Map<String, Integer> parameterSteps, int stepCount,
            double rate) {
        checkState(state, parameterSteps, rate);
        for (int s = 0; s < slots.length; s++) {
            for (int i = 0; i < params.size(); i++) {
                double[] src = state.get(names.get(i) + "." + slots[s]).data;
                System.arraycopy(src, 0, buffers[s][i], 0, buffers[s][i].length);
            }
        }
        for (int i = 0; i < names.size(); i++) {
            paramSteps[i] = parameterSteps.get(names.get(i));
        }
        this.steps = stepCount;
        this.learningRate = rate;
    }

    /** @return the settings shown by {@link #toString()}, e.g. {@code momentum=0.9} */
    protected abstract String settings();

    /** @return e.g. {@code Adam(lr=0.002, betas=(0.9, 0.999), eps=1e-08; 12 parameters, step 40)} */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "(lr=" + learningRate + (settings().isEmpty() ? "" : ", " + settings())
                + "; " + params.size() + " parameters, step " + steps + ")";
    }
}
