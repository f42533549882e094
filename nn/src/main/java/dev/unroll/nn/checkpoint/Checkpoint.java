package dev.unroll.nn.checkpoint;

import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.optim.Optimizer;
import dev.unroll.nn.optim.OptimizerState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * Saves and loads a module's parameters, optionally an optimizer's state and string metadata,
 * as one safetensors file.
 *
 * <p>Parameters are stored under the module's dotted names, which follow PyTorch's state_dict
 * naming, so weights move both ways; vector parameters ({@link Parameter#isVector()}, e.g.
 * biases) are stored 1-D as PyTorch does, matrices 2-D. Optimizer buffers are stored as
 * {@code optimizer.<parameter>.<slot>} tensors, its {@linkplain Optimizer#type() type}, step
 * counts and parameter groups (each group's learning rate and options as
 * {@code optimizer.groups.<g>.<option>}, each parameter's group as {@code optimizer.group_of.<parameter>})
 * as {@code optimizer.*} metadata. Saving is atomic.
 *
 * <p>Loading changes nothing when it refuses. It validates the header first (within the bounds
 * {@link SafeTensors} states), matches it against the module and optimizer, then reads the
 * tensors twice, one at a time through a small buffer: first to check them (finite parameters,
 * equal copies of a tied parameter, the optimizer's state within {@linkplain
 * Optimizer#loadState its ranges}), then into the parameters. So it needs no memory beyond the
 * module and, when an optimizer is restored, one copy of its state, and files over 2 GiB load. (An
 * I/O error during the second reading, or another program writing into the file meanwhile, can
 * leave the module partly loaded.)
 *
 * <p>A tied parameter (one {@link Parameter} registered under several paths) is saved once,
 * under its first path, as safetensors itself deduplicates shared tensors. A file may hold it
 * under any of its paths, or under several (a PyTorch state_dict lists every path); loading
 * then requires the copies to be equal.
 *
 * <p>A training loop may store tensors it carries between iterations besides the parameters
 * (truncated BPTT's hidden state, so a resumed run continues exactly) as
 * {@code carried.<key>} tensors ({@link #save(Path, Module, Optimizer, Map, Map)}, read back with
 * {@link #carried}); loading a module skips them, as it skips optimizer state without an optimizer.
 */
public final class Checkpoint {

    /** Prefix of the tensors and metadata keys that hold optimizer state. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";

    /** Prefix of the tensors a training loop carries between iterations ({@link #carried}). */
    public static final String CARRIED_PREFIX = "carried.";

    private Checkpoint() {
    }

    /**
     * Saves a module's parameters.
     *
     * @param file the target file (written atomically)
     * @param module the module
     * @throws IOException if the file cannot be written; a previous file is then left intact
     */
    public static void save(Path file, Module module) throws IOException {
        save(file, module, null, Map.of());
    }

    /**
     * Saves a module's parameters, an optimizer's state and metadata.
     *
     * @param file the target file (written atomically)
     * @param module the module
     * @param optimizer the optimizer whose state to store, or {@code null}
     * @param metadata strings to store (e.g. iteration, vocabulary); keys must not start with
     *     {@value #OPTIMIZER_PREFIX}
     * @throws IOException if the file cannot be written; a previous file is then left intact
     */
    public static void save(Path file, Module module, Optimizer optimizer, Map<String, String> metadata)
            throws IOException {
        save(file, module, optimizer, metadata, Map.of());
    }

    /**
     * Saves a module's parameters, an optimizer's state, metadata, and tensors a training loop
     * carries between iterations (stored as {@code carried.<key>}, each in its own precision, so
     * a state of any size fits: the header holds only their names and shapes).
     *
     * @param file the target file (written atomically)
     * @param module the module
     * @param optimizer the optimizer whose state to store, or {@code null}
     * @param metadata strings to store; keys must not start with {@value #OPTIMIZER_PREFIX}
     * @param carried the carried tensors by key, e.g. {@code tbptt.0.h}; read back with {@link #carried}
     * @throws IOException if the file cannot be written; a previous file is then left intact
     * @throws IllegalArgumentException if a parameter's name starts with {@value #CARRIED_PREFIX}
     *     while tensors are carried (they would be mistaken for each other)
     */
    public static void save(Path file, Module module, Optimizer optimizer, Map<String, String> metadata,
            Map<String, Tensor> carried) throws IOException {
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        module.namedParameters().forEach((name, p) -> {
            if (!carried.isEmpty() && name.startsWith(CARRIED_PREFIX)) {
                throw new IllegalArgumentException("Checkpoint.save: the module's parameter '" + name + "' starts with '"
                        + CARRIED_PREFIX + "', which is reserved for carried tensors; rename the module's child");
            }
            long[] shape = p.isVector() ? new long[] {p.cols()} : new long[] {p.rows(), p.cols()};
            tensors.put(name, p.isF32() ? new StoredTensor(shape, p.dataF32()) : new StoredTensor(shape, p.data()));
        });
        Map<String, String> meta = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().startsWith(OPTIMIZER_PREFIX)) {
                throw new IllegalArgumentException("Checkpoint.save: metadata key '" + e.getKey() + "' starts with '"
                        + OPTIMIZER_PREFIX + "', which is reserved for optimizer state; rename it");
            }
            meta.put(e.getKey(), e.getValue());
        }
        if (optimizer != null) {
            OptimizerState state = optimizer.state();
            state.buffers().forEach((key, b) -> tensors.put(OPTIMIZER_PREFIX + key,
                    new StoredTensor(new long[] {b.rows(), b.cols()}, b.values())));
            meta.put(OPTIMIZER_PREFIX + "type", state.type());
            meta.put(OPTIMIZER_PREFIX + "step", Integer.toString(state.step()));
            state.parameterSteps().forEach((name, steps) ->
                    meta.put(OPTIMIZER_PREFIX + "steps." + name, Integer.toString(steps)));
            meta.put(OPTIMIZER_PREFIX + "groups", Integer.toString(state.groups().size()));
            for (int g = 0; g < state.groups().size(); g++) {
                OptimizerState.Group group = state.groups().get(g);
                String prefix = OPTIMIZER_PREFIX + "groups." + g + ".";
                meta.put(prefix + "lr", Double.toString(group.learningRate()));
                group.options().forEach((option, value) -> meta.put(prefix + option, value));
                for (String name : group.parameters()) {
                    meta.put(OPTIMIZER_PREFIX + "group_of." + name, Integer.toString(g));
                }
            }
        }
        new TreeMap<>(carried).forEach((key, t) -> tensors.put(CARRIED_PREFIX + key, t.isF32()
                ? new StoredTensor(new long[] {t.rows(), t.cols()}, t.dataF32())
                : new StoredTensor(new long[] {t.rows(), t.cols()}, t.data())));
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * The tensors a training loop carried when the checkpoint was written
     * ({@link #save(Path, Module, Optimizer, Map, Map)}), by key, each in the precision it was
     * stored in; empty when there are none.
     *
     * @param file the checkpoint
     * @return the carried tensors by key
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if one is not a matrix or holds NaN or infinity
     */
    public static Map<String, Tensor> carried(Path file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafeTensorsFile in = SafeTensors.open(file)) {
            for (TensorEntry t : in.header().tensors()) {
                if (t.name().startsWith(CARRIED_PREFIX)) {
                    out.put(t.name().substring(CARRIED_PREFIX.length()), readCarried(in, t));
                }
            }
        }
        return out;
    }

    private static Tensor readCarried(SafeTensorsFile in, TensorEntry t) throws IOException {
        long[] shape = t.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("Checkpoint.carried: " + in.source() + ": tensor '" + Printable.of(t.name())
                    + "' has shape " + t.shapeText() + "; carried tensors are matrices");
        }
        int rows = Math.toIntExact(shape[0]);
        int cols = Math.toIntExact(shape[1]);
        Tensor tensor;
        boolean finite = true;
        if (t.dtype().equals("F32")) {
            float[] values = new float[rows * cols];
            in.read(t, 0, values, 0, values.length);
            for (float v : values) {
                finite &= Float.isFinite(v);
            }
            tensor = Tensor.wrap(FMatrixRMaj.wrap(rows, cols, values));
        } else {
            double[] values = new double[rows * cols];
            in.read(t, 0, values, 0, values.length);
            for (double v : values) {
                finite &= Double.isFinite(v);
            }
            tensor = Tensor.wrap(DMatrixRMaj.wrap(rows, cols, values));
        }
        if (!finite) {
            throw new IllegalArgumentException("Checkpoint.carried: " + in.source() + ": tensor '"
                    + Printable.of(t.name()) + "' holds NaN or infinity; the run that wrote it had diverged");
        }
        return tensor;
    }

    /**
     * Loads parameters into a module, strictly: every parameter must be in the file and every
     * tensor of the file must be a parameter (optimizer state aside), all finite.
     *
     * @param file the checkpoint
     * @param module the module to fill
     * @return the user metadata stored with it (nothing is missing or unexpected)
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the key, when the file does not fit; nothing is changed then
     */
    public static LoadResult load(Path file, Module module) throws IOException {
        return load(file, module, null, LoadOptions.strict());
    }

    /**
     * Loads parameters, and optionally optimizer state, after checking all of it.
     *
     * @param file the checkpoint
     * @param module the module to fill
     * @param optimizer the optimizer to restore (the file must hold state of the same type), or {@code null}
     * @param strict {@link LoadOptions#strict()} or {@link LoadOptions#nonStrict()}
     * @return the user metadata, and the keys that were missing or unexpected
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the key, when the file does not fit; nothing is changed then
     */
    public static LoadResult load(Path file, Module module, Optimizer optimizer, boolean strict) throws IOException {
        return load(file, module, optimizer, strict ? LoadOptions.strict() : LoadOptions.nonStrict());
    }

    /**
     * Loads parameters, and optionally optimizer state, after checking all of it.
     *
     * @param file the checkpoint
     * @param module the module to fill
     * @param optimizer the optimizer to restore (the file must hold its complete state, of the
     *     same type), or {@code null}
     * @param options what must match, and whether non-finite parameters are accepted
     * @return the user metadata, and the keys that were missing or unexpected (as PyTorch's
     *     {@code load_state_dict} returns them)
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the key, when the file does not fit; nothing is changed then
     */
    public static LoadResult load(Path file, Module module, Optimizer optimizer, LoadOptions options)
            throws IOException {
        try (SafeTensorsFile in = SafeTensors.open(file)) {
            CheckpointPlan plan = CheckpointPlan.match(in, module, optimizer, options);
            OptimizerState state = optimizer == null ? null : plan.readOptimizerState(optimizer);
            plan.checkParameters(options.allowNonFinite());
            if (state != null) {
                optimizer.loadState(state);
            }
            plan.readParameters();
            return new LoadResult(userMetadata(in.header().metadata()), plan.missing(), plan.unexpected());
        }
    }

    /**
     * Reads only the user metadata of a checkpoint (its header), e.g. to rebuild the model it
     * belongs to.
     *
     * @param file the checkpoint
     * @return the user metadata
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not a valid safetensors file
     */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (SafeTensorsFile in = SafeTensors.open(file)) {
            return userMetadata(in.header().metadata());
        }
    }

    private static Map<String, String> userMetadata(Map<String, String> metadata) {
        Map<String, String> user = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (!k.startsWith(OPTIMIZER_PREFIX)) {
                user.put(k, v);
            }
        });
        return user;
    }

    /**
     * Every path of the module's parameters, keyed by each path: the list holds all the paths
     * of the same parameter, the one {@link Module#namedParameters()} uses first.
     */
    static Map<String, List<String>> pathsByParameter(Module module) {
        Map<Parameter, List<String>> byParameter = new IdentityHashMap<>();
        module.namedParametersWithDuplicates().forEach((path, p) ->
                byParameter.computeIfAbsent(p, k -> new ArrayList<>()).add(path));
        Map<String, List<String>> out = new LinkedHashMap<>();
        byParameter.values().forEach(list -> list.forEach(path -> out.put(path, list)));
        return out;
    }
}
