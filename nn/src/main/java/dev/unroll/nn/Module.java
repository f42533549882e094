package dev.unroll.nn;

import dev.unroll.autograd.DType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A building block with named parameters and named submodules, as PyTorch's {@code nn.Module}.
 *
 * <p>Subclasses register their parameters and submodules in their constructor; names join into
 * dotted paths ({@code decoder.proj.weight}) in registration order, which is the order of
 * {@link #namedParameters()} and of checkpoints. A parameter registered in two places (tied
 * weights) is listed once, under the first path that reaches it.
 */
public abstract class Module {

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Creates a module with no parameters or submodules; a subclass registers its own in its constructor. */
    protected Module() {
    }

    /**
     * Registers a parameter under {@code name}.
     *
     * @param name a name without dots, unique within this module
     * @param parameter the parameter
     * @param <P> the parameter's type
     * @return {@code parameter}, for assignment to a field
     */
    protected <P extends Parameter> P registerParameter(String name, P parameter) {
        checkName(name);
        parameters.put(name, parameter);
        return parameter;
    }

    /**
     * Registers a submodule under {@code name}; its parameters appear as {@code name.<path>}.
     *
     * @param name a name without dots, unique within this module
     * @param module the submodule
     * @param <M> the submodule's type
     * @return {@code module}, for assignment to a field
     */
    protected <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name
                    + "' must be non-empty and contain no dot (dots join names into paths)");
        }
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name
                    + "' is already registered; give each parameter and submodule its own name");
        }
    }

    /** @return this module's own parameters by name (not its submodules'), unmodifiable */
    public Map<String, Parameter> localParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** @return the direct submodules by name, unmodifiable */
    public Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * Every parameter of this module and its submodules, by dotted path, in registration order,
     * each distinct parameter once.
     *
     * @return an ordered map from path to parameter
     */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    /**
     * Every path that reaches a parameter, in registration order: like {@link #namedParameters()},
     * but a tied parameter appears under each of its paths (as PyTorch's
     * {@code named_parameters(remove_duplicate=False)} and its state_dict list it).
     *
     * @return an ordered map from path to parameter, possibly with one parameter under several paths
     */
    public Map<String, Parameter> namedParametersWithDuplicates() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, null);
        return out;
    }

    /** Adds this module's parameters under {@code prefix}; with {@code seen}, each distinct one once. */
    private void collect(String prefix, Map<String, Parameter> out, Set<Parameter> seen) {
        parameters.forEach((name, p) -> {
            if (seen == null || seen.add(p)) {
                out.put(prefix + name, p);
            }
        });
        children.forEach((name, child) -> child.collect(prefix + name + ".", out, seen));
    }

    /** @return every distinct parameter, in the order of {@link #namedParameters()} */
    public List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** @return the total number of scalar values in all distinct parameters */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) {
            n += p.size();
        }
        return n;
    }

    /** Sets every parameter's gradient to zero (call before each backward). */
    public void zeroGrad() {
        for (Parameter p : namedParameters().values()) {
            p.zeroGrad();
        }
    }

    /**
     * Converts every parameter to {@code dtype} in place, as PyTorch's {@code module.to(dtype)}:
     * the model then computes in that precision (its inputs and states follow its parameters).
     * Convert before building the optimizer, outside any tape; gradients are dropped.
     *
     * @param dtype the precision, {@link DType#F32} or {@link DType#F64}
     * @return this module
     */
    public Module to(DType dtype) {
        for (Parameter p : namedParameters().values()) {
            p.convert(dtype);
        }
        return this;
    }

    /** @return the precision of the parameters (float64 for a module without any) */
    public DType dtype() {
        for (Parameter p : namedParameters().values()) {
            return p.dtype();
        }
        return DType.F64;
    }

    /**
     * Sets training mode (dropout active) or evaluation mode on this module and all submodules.
     *
     * @param on true for training, false for evaluation
     * @return this module
     */
    public Module train(boolean on) {
        training = on;
        for (Module child : children.values()) {
            child.train(on);
        }
        return this;
    }

    /** @return this module, switched to evaluation mode (dropout off) recursively */
    public Module eval() {
        return train(false);
    }

    /** @return whether the module is in training mode */
    public boolean isTraining() {
        return training;
    }

    /**
     * A tree of the module, its submodules and each parameter's shape, with the total count
     * (grouped by commas in every locale, e.g. {@code total: 1,234 parameters}).
     *
     * @return the summary text
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        describe(sb, getClass().getSimpleName(), "", Collections.newSetFromMap(new IdentityHashMap<>()));
        sb.append("total: ").append(String.format(Locale.ROOT, "%,d", parameterCount())).append(" parameters");
        return sb.toString();
    }

    private void describe(StringBuilder sb, String label, String indent, Set<Parameter> seen) {
        sb.append(indent).append(label).append(describeSelf().isEmpty() ? "" : " " + describeSelf()).append('\n');
        parameters.forEach((name, p) -> sb.append(indent).append("  ").append(name).append(' ').append(p.shape())
                .append(seen.add(p) ? "" : " (shared)").append('\n'));
        children.forEach((name, child) ->
                child.describe(sb, name + ": " + child.getClass().getSimpleName(), indent + "  ", seen));
    }

    /**
     * Extra text shown after the module's name in {@link #summary()}, e.g. its sizes.
     *
     * @return a short description, or the empty string
     */
    protected String describeSelf() {
        return "";
    }

    @Override
    public String toString() {
        return summary();
    }
}
