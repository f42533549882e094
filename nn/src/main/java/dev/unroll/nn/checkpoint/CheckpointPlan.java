package dev.unroll.nn.checkpoint;

import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.optim.Optimizer;
import dev.unroll.nn.optim.OptimizerState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How one checkpoint file maps onto a module (and optimizer): which tensor fills which
 * parameter, what is missing or unexpected; then the checks of the values and the reading, one
 * tensor at a time, that {@link Checkpoint#load} performs in that order.
 */
final class CheckpointPlan {

    private static final int CHUNK = 8192;
    private static final String PREFIX = Checkpoint.OPTIMIZER_PREFIX;

    /** A parameter, the tensor to read into it, and further copies of it (other paths of a tied parameter). */
    private record Assignment(Parameter parameter, TensorEntry entry, List<TensorEntry> copies) {
    }

    private final SafeTensorsFile in;
    private final Map<String, TensorEntry> byName;
    private final List<Assignment> assignments = new ArrayList<>();
    private final List<String> missing = new ArrayList<>();
    private final List<String> unexpected = new ArrayList<>();
    /** Every buffer the optimizer may keep, {@code <parameter>.<slot>}, and its parameter; null without an optimizer. */
    private final Map<String, Parameter> optimizerBuffers;

    private CheckpointPlan(SafeTensorsFile in, Map<String, TensorEntry> byName, Map<String, Parameter> optimizerBuffers) {
        this.in = in;
        this.byName = byName;
        this.optimizerBuffers = optimizerBuffers;
    }

    private static Map<String, Parameter> possibleBuffers(Optimizer optimizer) {
        Map<String, Parameter> keys = new LinkedHashMap<>();
        optimizer.parameters().forEach((name, p) -> optimizer.slots().forEach(slot -> keys.put(name + "." + slot.name(), p)));
        return keys;
    }

    /**
     * Matches the file's tensors, their names mapped by the options, to the module's parameters
     * by name and shape.
     *
     * @throws IllegalArgumentException when a shape differs, tied copies are misplaced, two keys
     *     map to one name, or the options refuse a missing or unexpected key
     */
    static CheckpointPlan match(SafeTensorsFile in, Module module, Optimizer optimizer, LoadOptions options) {
        if (optimizer != null) {
            checkOptimizerType(in, optimizer);
        }
        Map<String, Parameter> buffers = optimizer == null ? null : possibleBuffers(optimizer);
        Map<String, TensorEntry> mapped = new LinkedHashMap<>();
        List<String> unexpectedKeys = new ArrayList<>();
        Map<String, List<String>> paths = Checkpoint.pathsByParameter(module);
        for (TensorEntry t : in.header().tensors()) {
            if (t.name().startsWith(Checkpoint.CARRIED_PREFIX)) {
                continue;
            }
            if (t.name().startsWith(PREFIX)) {
                mapped.put(t.name(), t);
                boolean expected = buffers == null || buffers.containsKey(t.name().substring(PREFIX.length()));
                if (!expected) {
                    unexpectedKeys.add(t.name());
                }
                continue;
            }
            String name = options.mapping().map(t.name());
            if (name == null) {
                continue;
            }
            if (optimizer != null && !name.equals(t.name())) {
                throw new IllegalArgumentException("Checkpoint.load: the key mapping renames '" + Printable.of(t.name())
                        + "', but optimizer state is stored under the names the file has; load the optimizer with "
                        + "names as they are, or load the module alone with the mapping");
            }
            TensorEntry before = mapped.put(name, t);
            if (before != null) {
                throw new IllegalArgumentException("Checkpoint.load: " + in.source() + ": the key mapping maps both '"
                        + Printable.of(before.name()) + "' and '" + Printable.of(t.name()) + "' to '" + Printable.of(name)
                        + "'; map each tensor to a name of its own");
            }
            if (!paths.containsKey(name)) {
                unexpectedKeys.add(t.name());
            }
        }
        CheckpointPlan plan = new CheckpointPlan(in, mapped, buffers);
        plan.unexpected.addAll(unexpectedKeys);
        module.namedParameters().forEach((name, p) -> plan.assign(name, p, paths.get(name)));
        if (options.requireAll() && !plan.missing.isEmpty()) {
            throw new IllegalArgumentException("Checkpoint.load: " + in.source() + " has no tensor '"
                    + plan.missing.get(0) + "' for the module's parameter of that name" + more(plan.missing)
                    + "; load non-strict (LoadOptions.nonStrict()) to skip what is missing");
        }
        if (options.refuseUnexpected() && !plan.unexpected.isEmpty()) {
            throw new IllegalArgumentException("Checkpoint.load: " + in.source() + " has a tensor '"
                    + Printable.of(plan.unexpected.get(0)) + "' that the module" + (optimizer == null ? "" : " or optimizer")
                    + " does not have" + more(plan.unexpected) + "; load with LoadOptions.strict().allowingUnexpected() "
                    + "to skip such tensors");
        }
        return plan;
    }

    private static String more(List<String> keys) {
        return keys.size() == 1 ? "" : " (and " + (keys.size() - 1) + " more)";
    }

    private void assign(String name, Parameter p, List<String> pathsOfParameter) {
        List<TensorEntry> found = new ArrayList<>();
        for (String path : pathsOfParameter) {
            TensorEntry t = byName.get(path);
            if (t != null) {
                checkShape(t.name(), t, p.rows(), p.cols());
                found.add(t);
            }
        }
        if (found.isEmpty()) {
            missing.add(name);
        } else {
            assignments.add(new Assignment(p, found.get(0), found.subList(1, found.size())));
        }
    }

    private void checkShape(String key, TensorEntry t, int rows, int cols) {
        long[] s = t.shape();
        boolean matrix = s.length == 2 && s[0] == rows && s[1] == cols;
        boolean vector = s.length == 1 && rows == 1 && s[0] == cols;
        if (!matrix && !vector) {
            throw new IllegalArgumentException("Checkpoint.load: tensor '" + key + "' has shape " + t.shapeText()
                    + " but the module's parameter is " + rows + "x" + cols
                    + (rows == 1 ? " (stored as [" + cols + "] or [1, " + cols + "])" : ""));
        }
    }

    /** @return the module's parameters the file does not hold */
    List<String> missing() {
        return missing;
    }

    /** @return the file's tensors nothing reads */
    List<String> unexpected() {
        return unexpected;
    }

    /**
     * Reads the optimizer's state from the file (its metadata and the buffers it holds of those
     * the optimizer may keep), for {@link Optimizer#loadState} to validate and apply.
     */
    OptimizerState readOptimizerState(Optimizer optimizer) throws IOException {
        Map<String, String> meta = in.header().metadata();
        Map<String, OptimizerState.Buffer> buffers = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : optimizerBuffers.entrySet()) {
            TensorEntry t = byName.get(PREFIX + e.getKey());
            if (t != null) {
                Parameter p = e.getValue();
                checkShape(PREFIX + e.getKey(), t, p.rows(), p.cols());
                OptimizerState.Buffer b = new OptimizerState.Buffer(p.rows(), p.cols(), new double[p.size()]);
                in.read(t, 0, b.values(), 0, b.values().length);
                buffers.put(e.getKey(), b);
            }
        }
        Map<String, Integer> steps = new LinkedHashMap<>();
        for (String name : optimizer.parameters().keySet()) {
            steps.put(name, integer(meta, PREFIX + "steps." + name));
        }
        return new OptimizerState(optimizer.type(), integer(meta, PREFIX + "step"), groups(meta, optimizer), steps, buffers);
    }

    /** The parameter groups the metadata describes: {@code groups}, {@code groups.<g>.<option>}, {@code group_of.<parameter>}. */
    private List<OptimizerState.Group> groups(Map<String, String> meta, Optimizer optimizer) {
        if (!meta.containsKey(PREFIX + "groups") && meta.containsKey(PREFIX + "lr")) {
            return List.of(groupSavedBeforeGroups(meta, optimizer));
        }
        int count = integer(meta, PREFIX + "groups");
        if (count < 1 || count > meta.size()) {
            throw new IllegalArgumentException("Checkpoint.load: " + in.source() + ": metadata '" + PREFIX
                    + "groups' is " + count + ", not a number of parameter groups");
        }
        List<List<String>> members = new ArrayList<>();
        List<Map<String, String>> options = new ArrayList<>();
        for (int g = 0; g < count; g++) {
            members.add(new ArrayList<>());
            options.add(new LinkedHashMap<>());
        }
        meta.forEach((key, value) -> {
            if (key.startsWith(PREFIX + "group_of.")) {
                int g = integer(meta, key);
                if (g < 0 || g >= count) {
                    throw new IllegalArgumentException("Checkpoint.load: " + in.source() + ": metadata '"
                            + Printable.of(key) + "' is " + g + ", outside the " + count + " parameter groups");
                }
                members.get(g).add(key.substring((PREFIX + "group_of.").length()));
            } else if (key.startsWith(PREFIX + "groups.")) {
                String rest = key.substring((PREFIX + "groups.").length());
                int dot = rest.indexOf('.');
                int g = dot < 0 ? -1 : parsed(Map.of(key, rest.substring(0, dot)), key, Integer::parseInt, "a group");
                if (g < 0 || g >= count) {
                    throw new IllegalArgumentException("Checkpoint.load: " + in.source() + ": metadata '"
                            + Printable.of(key) + "' names no group of the " + count);
                }
                options.get(g).put(rest.substring(dot + 1), value);
            }
        });
        List<OptimizerState.Group> groups = new ArrayList<>();
        for (int g = 0; g < count; g++) {
            String lr = options.get(g).remove("lr");
            double rate = number(lr == null ? Map.of() : Map.of(PREFIX + "groups." + g + ".lr", lr),
                    PREFIX + "groups." + g + ".lr");
            groups.add(new OptimizerState.Group(members.get(g), rate, options.get(g)));
        }
        return groups;
    }

    /**
     * The one group of a file saved before parameter groups existed: its learning rate
     * ({@code lr}) over every parameter, with the options the optimizer was built with, since such
     * a file stores none (they were the constructor's arguments, as they are now the options').
     * Its moments and step counts then resume as they were saved.
     */
    private OptimizerState.Group groupSavedBeforeGroups(Map<String, String> meta, Optimizer optimizer) {
        if (optimizer.groups().size() != 1) {
            throw new IllegalArgumentException("Checkpoint.load: " + in.source() + " holds optimizer state saved before "
                    + "parameter groups ('" + PREFIX + "lr', no '" + PREFIX + "groups'), one learning rate for all "
                    + "parameters, but the optimizer has " + optimizer.groups().size() + " groups; resume it with an "
                    + "optimizer of one group, or load it without the optimizer (the parameters load)");
        }
        return new OptimizerState.Group(List.copyOf(optimizer.parameters().keySet()), number(meta, PREFIX + "lr"),
                optimizer.groups().get(0).options().settings());
    }

    private static void checkOptimizerType(SafeTensorsFile in, Optimizer optimizer) {
        String type = in.header().metadata().get(PREFIX + "type");
        if (type == null) {
            throw new IllegalArgumentException("Checkpoint.load: " + in.source() + " holds no optimizer state; "
                    + "load it without an optimizer, or save with one");
        }
        if (!type.equals(optimizer.type())) {
            throw new IllegalArgumentException("Checkpoint.load: " + in.source() + " holds " + Printable.of(type)
                    + " state but the optimizer is " + optimizer.type());
        }
    }

    private int integer(Map<String, String> meta, String key) {
        return parsed(meta, key, Integer::parseInt, "an integer");
    }

    private double number(Map<String, String> meta, String key) {
        return parsed(meta, key, Double::parseDouble, "a number");
    }

    private <T> T parsed(Map<String, String> meta, String key, Function<String, T> parse, String kind) {
        String text = meta.get(key);
        try {
            return parse.apply(text == null ? "" : text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Checkpoint.load: " + in.source() + ": metadata '" + key + "' is "
                    + (text == null ? "missing" : "'" + Printable.of(text) + "', not " + kind));
        }
    }

    /**
     * Reads every tensor to be loaded without keeping it: refuses NaN and infinities (unless
     * allowed) and tied copies that differ.
     */
    void checkParameters(boolean allowNonFinite) throws IOException {
        long largest = assignments.stream().mapToLong(a -> a.entry().count()).max().orElse(0);
        double[] chunk = new double[(int) Math.min(CHUNK, largest)];
        double[] copy = new double[chunk.length];
        for (Assignment a : assignments) {
            long count = a.entry().count();
            for (long from = 0; from < count; from += CHUNK) {
                int n = (int) Math.min(CHUNK, count - from);
                in.read(a.entry(), from, chunk, 0, n);
                if (!allowNonFinite) {
                    checkFinite(a.entry(), chunk, n, from);
                }
                for (TensorEntry other : a.copies()) {
                    in.read(other, from, copy, 0, n);
                    checkEqual(a.entry(), other, chunk, copy, n);
                }
            }
        }
    }

    private void checkFinite(TensorEntry t, double[] values, int n, long offset) {
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("Checkpoint.load: " + in.source() + ": tensor '" + t.name()
                        + "' holds " + values[i] + " at index " + (offset + i) + " (did training diverge before the "
                        + "save?); load with LoadOptions.allowingNonFinite() to accept it");
            }
        }
    }

    private void checkEqual(TensorEntry first, TensorEntry other, double[] a, double[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
                throw new IllegalArgumentException("Checkpoint.load: " + in.source() + " holds '" + first.name()
                        + "' and '" + other.name() + "', two paths of one tied parameter, with different values; keep "
                        + "one of them in the file");
            }
        }
    }

    /** Reads every planned tensor into its parameter. */
    void readParameters() throws IOException {
        for (Assignment a : assignments) {
            if (a.parameter().isF32()) {
                float[] data = a.parameter().dataF32();
                in.read(a.entry(), 0, data, 0, data.length);
            } else {
                double[] data = a.parameter().data();
                in.read(a.entry(), 0, data, 0, data.length);
            }
        }
    }
}
