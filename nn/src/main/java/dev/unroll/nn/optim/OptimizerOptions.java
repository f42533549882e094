package dev.unroll.nn.optim;

import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The settings of an optimizer, named as PyTorch's constructor arguments, and the optimizer
 * built from them. Immutable: each setter returns changed options, so a chain reads as the
 * PyTorch call, e.g. {@code Adam.options().lr(1e-3).weightDecay(0.01).amsgrad(true).build(model)}
 * for {@code torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=0.01, amsgrad=True)}.
 * Each value is checked when it is set, the combination (e.g. SGD's {@code nesterov} with its
 * momentum) when the optimizer is built.
 *
 * <p><b>Parameter groups</b>, PyTorch's list of dicts: {@link #group} takes the parameters a
 * {@link ParameterFilter} chooses into a group of their own whose options are these changed, e.g.
 * {@code .group(ParameterFilter.vectors(), g -> g.weightDecay(0))} for no weight decay on biases
 * and normalization gains. Group 0 holds the parameters no filter chose, with these options;
 * group k the k-th filter's. A parameter chosen by two filters, and a filter that chooses
 * nothing, are refused.
 *
 * @param <O> the options' own type, which the setters return
 * @param <T> the optimizer they build
 */
public abstract class OptimizerOptions<O extends OptimizerOptions<O, T>, T extends Optimizer> implements Cloneable {

    /** One group's filter and how its options differ from the defaults. */
    private record GroupRule<O>(ParameterFilter filter, UnaryOperator<O> change) {
    }

    private final String optimizer;
    private double lr;
    private double weightDecay;
    private boolean maximize;
    private List<GroupRule<O>> groups = List.of();

    /**
     * @param optimizer the optimizer's name, for messages (e.g. {@code AdamW})
     * @param lr its default learning rate, or NaN when the user must give one (SGD)
     */
    protected OptimizerOptions(String optimizer, double lr) {
        this.optimizer = optimizer;
        this.lr = lr;
    }

    /**
     * @param rate the learning rate ({@code lr}), from 0 (which freezes the parameters, as in
     *     PyTorch) to {@value Optimizer#MAX_LEARNING_RATE}
     * @return these options with that rate
     */
    public final O lr(double rate) {
        Optimizer.checkLearningRate(optimizer, rate);
        return withBase(o -> o.lr = rate);
    }

    /** @return the learning rate the optimizer starts with (schedules scale it), NaN when not set */
    public final double lr() {
        return lr;
    }

    /**
     * @param factor {@code weight_decay}: the L2 penalty added to the gradient ({@code g + factor * w}),
     *     or AdamW's decoupled shrinking of the weights; from 0 to {@value Optimizer#MAX_WEIGHT_DECAY}
     * @return these options with that weight decay
     */
    public final O weightDecay(double factor) {
        double checked = nonNegative("weight_decay", factor);
        require(checked <= Optimizer.MAX_WEIGHT_DECAY, "weight_decay " + factor + " must be at most "
                + Optimizer.MAX_WEIGHT_DECAY + " (a larger factor overflows the update to infinity)");
        return withBase(o -> o.weightDecay = checked);
    }

    /** @return the weight decay factor */
    public final double weightDecay() {
        return weightDecay;
    }

    /**
     * @param on {@code maximize}: step up the gradient instead of down (the objective is
     *     maximised), as PyTorch's optimizers do by negating the gradient first
     * @return these options with that direction
     */
    public final O maximize(boolean on) {
        return withBase(o -> o.maximize = on);
    }

    /** @return whether the objective is maximised */
    public final boolean maximize() {
        return maximize;
    }

    /**
     * Adds a parameter group: the parameters {@code filter} chooses get these options changed by
     * {@code change} (applied when the optimizer is built, to the options as they are then).
     *
     * @param filter which parameters the group takes
     * @param change how its options differ, e.g. {@code g -> g.weightDecay(0)} or {@code g -> g.lr(1e-4)}
     * @return these options with one more group
     */
    public final O group(ParameterFilter filter, UnaryOperator<O> change) {
        if (filter == null || change == null) {
            throw new IllegalArgumentException(optimizer + ": group needs a filter and a change of the options, e.g. "
                    + "group(ParameterFilter.vectors(), g -> g.weightDecay(0))");
        }
        List<GroupRule<O>> more = new ArrayList<>(groups);
        more.add(new GroupRule<>(filter, change));
        List<GroupRule<O>> added = List.copyOf(more);
        return withBase(o -> o.groups = added);
    }

    /**
     * @param module the module whose parameters to update
     * @return the optimizer over its named parameters, grouped as these options say
     */
    public final T build(Module module) {
        return build(module.namedParameters());
    }

    /**
     * @param parameters the parameters to update, by name, in a fixed order
     * @return the optimizer over them, grouped as these options say
     */
    public final T build(Map<String, Parameter> parameters) {
        return create(resolve(parameters));
    }

    /** Sorts the parameters into groups and settles each group's options. */
    final List<ParamGroup> resolve(Map<String, Parameter> parameters) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException(optimizer + ": no parameters to optimise");
        }
        O defaults = withBase(o -> o.groups = List.of());
        List<Map<String, Parameter>> members = new ArrayList<>();
        for (int g = 0; g <= groups.size(); g++) {
            members.add(new LinkedHashMap<>());
        }
        parameters.forEach((name, p) -> members.get(groupOf(name, p)).put(name, p));
        List<ParamGroup> resolved = new ArrayList<>();
        resolved.add(new ParamGroup(0, validated(defaults), members.get(0)));
        for (int g = 1; g <= groups.size(); g++) {
            if (members.get(g).isEmpty()) {
                throw new IllegalArgumentException(optimizer + ": group " + g + " chose none of the " + parameters.size()
                        + " parameters; check its filter (names are dotted paths such as '"
                        + parameters.keySet().iterator().next() + "')");
            }
            OptimizerOptions<O, T> options = groups.get(g - 1).change().apply(defaults);
            if (!options.groups.isEmpty()) {
                throw new IllegalArgumentException(optimizer + ": group " + g + "'s options define groups of their own; "
                        + "add every group to the optimizer's options instead");
            }
            resolved.add(new ParamGroup(g, validated(options), members.get(g)));
        }
        return resolved;
    }

    private int groupOf(String name, Parameter p) {
        int chosen = 0;
        for (int g = 1; g <= groups.size(); g++) {
            if (groups.get(g - 1).filter().test(name, p)) {
                if (chosen != 0) {
                    throw new IllegalArgumentException(optimizer + ": parameter '" + name + "' is chosen by groups "
                            + chosen + " and " + g + "; a parameter belongs to one group, so make the filters exclusive");
                }
                chosen = g;
            }
        }
        return chosen;
    }

    private static <O extends OptimizerOptions<O, T>, T extends Optimizer> O validated(OptimizerOptions<O, T> options) {
        if (Double.isNaN(options.lr)) {
            throw new IllegalArgumentException(options.optimizer + ": no learning rate; set one with lr(...), e.g. lr(0.1)");
        }
        options.validate();
        return options.self();
    }

    /** Checks the combination of the options (each value was checked when set); throws naming the fix. */
    protected void validate() {
    }

    /**
     * @param groups the parameter groups, resolved and validated
     * @return the optimizer over them
     */
    protected abstract T create(List<ParamGroup> groups);

    /** @return the state buffers a parameter of a group with these options keeps, e.g. Adam's {@code exp_avg} */
    protected abstract List<StateSlot> slots();

    /**
     * @param slot one of {@link #slots()}
     * @return the value its buffer starts at (0, or Adagrad's {@code initial_accumulator_value})
     */
    protected double initialValue(StateSlot slot) {
        return 0;
    }

    /** @return the settings but the learning rate for {@code toString()}, e.g. {@code momentum=0.9, weightDecay=0.0} */
    protected abstract String describe();

    /**
     * Every option as text under PyTorch's name, the learning rate as {@code initial_lr} (a
     * group's current rate is its {@link ParamGroup#learningRate()}): what checkpoints store.
     *
     * @return the settings, in a fixed order
     */
    public final Map<String, String> settings() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("initial_lr", Double.toString(lr));
        out.put("weight_decay", Double.toString(weightDecay));
        out.put("maximize", Boolean.toString(maximize));
        write(out);
        return out;
    }

    /**
     * Options equal to these but for the values in {@code settings} (as {@link #settings()}
     * writes them), each checked as its setter checks it, and the combination validated.
     *
     * @param settings every option of this optimizer, by PyTorch's name
     * @return the options
     * @throws IllegalArgumentException naming an option that is missing, unknown or out of range
     */
    public final O withSettings(Map<String, String> settings) {
        O read = self().lr(number(settings, "initial_lr")).weightDecay(number(settings, "weight_decay"))
                .maximize(flag(settings, "maximize"));
        read = read.read(settings);
        for (String key : settings.keySet()) {
            if (!read.settings().containsKey(key)) {
                throw new IllegalArgumentException("'" + key + "' is not an option of " + optimizer);
            }
        }
        return validated(read);
    }

    /**
     * Adds this optimizer's own options to {@code out}, as {@link #settings()} describes.
     *
     * @param out the settings so far
     */
    protected abstract void write(Map<String, String> out);

    /**
     * @param in settings as {@link #write} writes them
     * @return these options with this optimizer's own options read from {@code in} (with
     *     {@link #number}, {@link #flag} and {@link #pair})
     */
    protected abstract O read(Map<String, String> in);

    /**
     * @param in settings
     * @param key an option's name
     * @return its value as a number
     */
    protected static double number(Map<String, String> in, String key) {
        String text = present(in, key);
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' is '" + text + "', not a number", e);
        }
    }

    /**
     * @param in settings
     * @param key an option's name
     * @return its value as a boolean ({@code true} or {@code false})
     */
    protected static boolean flag(Map<String, String> in, String key) {
        String text = present(in, key);
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException("'" + key + "' is '" + text + "', not true or false");
        }
        return Boolean.parseBoolean(text);
    }

    /**
     * @param in settings
     * @param key an option's name
     * @return its value as two numbers, written {@code [a, b]}
     */
    protected static double[] pair(Map<String, String> in, String key) {
        String text = present(in, key);
        String[] parts = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1).split(",") : null;
        if (parts == null || parts.length != 2) {
            throw new IllegalArgumentException("'" + key + "' is '" + text + "', not two numbers [a, b]");
        }
        return new double[] {number(Map.of(key, parts[0].trim()), key), number(Map.of(key, parts[1].trim()), key)};
    }

    /**
     * @param a the first number
     * @param b the second
     * @return them as {@link #pair} reads them, e.g. {@code [0.9, 0.999]}
     */
    protected static String pairText(double a, double b) {
        return "[" + a + ", " + b + "]";
    }

    private static String present(Map<String, String> in, String key) {
        String text = in.get(key);
        if (text == null) {
            throw new IllegalArgumentException("the settings lack '" + key + "'");
        }
        return text;
    }

    /**
     * @param name the option's PyTorch name
     * @param value its value
     * @return the value, when it is positive and finite (refused otherwise, naming the option)
     */
    protected final double positive(String name, double value) {
        require(value > 0 && value < Double.POSITIVE_INFINITY, name + " " + value + " must be positive");
        return value;
    }

    /**
     * @param name the option's PyTorch name
     * @param value its value
     * @return the value, when it is zero or positive and finite (refused otherwise, naming the option)
     */
    protected final double nonNegative(String name, double value) {
        require(value >= 0 && value < Double.POSITIVE_INFINITY, name + " " + value + " must be zero or positive");
        return value;
    }

    /**
     * @param name the option's PyTorch name
     * @param value its value
     * @return the value, when it is in [0, 1) (refused otherwise, naming the option)
     */
    protected final double fraction(String name, double value) {
        require(value >= 0 && value < 1, name + " " + value + " must be in [0, 1)");
        return value;
    }

    /**
     * Refuses a value, naming the optimizer.
     *
     * @param ok whether the value is acceptable
     * @param problem what is wrong otherwise, e.g. {@code "eps -1.0 must be positive"}
     */
    protected final void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(optimizer + ": " + problem);
        }
    }

    /**
     * A copy of these options changed by {@code change}: how setters return new options.
     *
     * @param change sets fields of the copy
     * @return the changed copy
     */
    protected final O with(Consumer<O> change) {
        O copy = copy();
        change.accept(copy);
        return copy;
    }

    private O withBase(Consumer<OptimizerOptions<O, T>> change) {
        O copy = copy();
        change.accept(copy);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private O copy() {
        try {
            return (O) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    private O self() {
        return (O) this;
    }

    /** @return e.g. {@code Adam(lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weightDecay=0.0)} */
    @Override
    public String toString() {
        return optimizer + "(lr=" + lr + ", " + describe() + (groups.isEmpty() ? "" : "; " + groups.size() + " more groups")
                + ")";
    }
}
