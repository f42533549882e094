package dev.unroll.nn.checkpoint;

import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Saves and loads a module's parameters, optionally an optimizer's state and string metadata,
 * as one safetensors file.
 *
 * <p>Parameters are stored under the module's dotted names, which follow PyTorch's state_dict
 * naming, so weights move both ways; vector parameters ({@link Parameter#isVector()}, e.g.
 * biases) are stored 1-D as PyTorch does, matrices 2-D. Optimizer buffers are stored as
 * {@code optimizer.<parameter>.<slot>} tensors, its type, learning rate and step counts as
 * {@code optimizer.*} metadata. Saving is atomic. Loading checks the whole file against the
 * module (and optimizer) first and changes nothing when it refuses.
 *
 * <p>A tied parameter (one {@link Parameter} registered under several paths) is saved once,
 * under its first path, as safetensors itself deduplicates shared tensors. A file may hold it
 * under any of its paths, or under several (a PyTorch state_dict lists every path); loading
 * then requires the copies to be equal.
 */
public final class Checkpoint {

    /** Prefix of the tensors and metadata keys that hold optimizer state. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";

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
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        module.namedParameters().forEach((name, p) -> tensors.put(name,
                new StoredTensor(p.isVector() ? new long[] {p.cols()} : new long[] {p.rows(), p.cols()}, p.data().clone())));
        Map<String, String> meta = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().startsWith(OPTIMIZER_PREFIX)) {
                throw new IllegalArgumentException("Checkpoint.save: metadata key '" + e.getKey() + "' starts with '"
                        + OPTIMIZER_PREFIX + "', which is reserved for optimizer state; rename it");
            }
            meta.put(e.getKey(), e.getValue());
        }
        if (optimizer != null) {
            optimizer.state().forEach((key, m) -> tensors.put(OPTIMIZER_PREFIX + key,
                    new StoredTensor(new long[] {m.numRows, m.numCols}, m.data.clone())));
            meta.put(OPTIMIZER_PREFIX + "type", optimizer.getClass().getSimpleName());
            meta.put(OPTIMIZER_PREFIX + "lr", Double.toString(optimizer.learningRate()));
            meta.put(OPTIMIZER_PREFIX + "step", Integer.toString(optimizer.stepCount()));
            optimizer.parameterSteps().forEach((name, steps) ->
                    meta.put(OPTIMIZER_PREFIX + "steps." + name, Integer.toString(steps)));
        }
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * Loads parameters into a module, strictly: every parameter must be in the file and every
     * tensor of the file must be a parameter (optimizer state aside).
     *
     * @param file the checkpoint
     * @param module the module to fill
     * @return the user metadata stored with it
     * @throws IOException if the file cannot be read
     */
    public static Map<String, String> load(Path file, Module module) throws IOException {
        return load(file, module, null, true);
    }

    /**
     * Loads parameters, and optionally optimizer state, after checking all of it.
     *
     * @param file the checkpoint
     * @param module the module to fill
     * @param optimizer the optimizer to restore (the file must hold state of the same type), or {@code null}
     * @param strict whether a parameter missing from the file, or a tensor the module does not
     *     have, is an error; when false, those are skipped
     * @return the user metadata stored with it
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the key, when the file does not fit; nothing is changed then
     */
    public static Map<String, String> load(Path file, Module module, Optimizer optimizer, boolean strict)
            throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, Parameter> params = module.namedParameters();
        Map<String, List<String>> paths = pathsByParameter(module);
        List<Runnable> copies = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            String key = null;
            for (String path : paths.get(e.getKey())) {
                StoredTensor stored = contents.tensors().get(path);
                if (stored == null) {
                    continue;
                }
                checkShape(path, stored, p.rows(), p.cols());
                if (key == null) {
                    key = path;
                } else if (!Arrays.equals(stored.values(), contents.tensors().get(key).values())) {
                    throw new IllegalArgumentException("Checkpoint.load: " + file + " holds '" + key + "' and '" + path
                            + "', two paths of one tied parameter, with different values; keep one of them in the file");
                }
            }
            if (key == null) {
                if (strict) {
                    throw new IllegalArgumentException("Checkpoint.load: " + file + " has no tensor '" + e.getKey()
                            + "' for the module's parameter of that name; load non-strict to skip it");
                }
                continue;
            }
            double[] values = contents.tensors().get(key).values();
            copies.add(() -> System.arraycopy(values, 0, p.data(), 0, p.size()));
        }
        if (strict) {
            for (String key : contents.tensors().keySet()) {
                if (!key.startsWith(OPTIMIZER_PREFIX) && !paths.containsKey(key)) {
                    throw new IllegalArgumentException("Checkpoint.load: " + file + " has a tensor '" + key
                            + "' that the module does not have; load non-strict to ignore it");
                }
            }
        }
        if (optimizer != null) {
            copies.add(optimizerRestore(file, contents, optimizer));
        }
        copies.forEach(Runnable::run);
        Map<String, String> user = new LinkedHashMap<>();
        contents.metadata().forEach((k, v) -> {
            if (!k.startsWith(OPTIMIZER_PREFIX)) {
                user.put(k, v);
            }
        });
        return user;
    }

    /**
     * Reads only the user metadata of a checkpoint, e.g. to rebuild the model it belongs to.
     *
     * @param file the checkpoint
     * @return the user metadata
     * @throws IOException if the file cannot be read
     */
    public static Map<String, String> metadata(Path file) throws IOException {
        Map<String, String> user = new LinkedHashMap<>();
        SafeTensors.read(file).metadata().forEach((k, v) -> {
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
    private static Map<String, List<String>> pathsByParameter(Module module) {
        Map<Parameter, List<String>> byParameter = new IdentityHashMap<>();
        module.namedParametersWithDuplicates().forEach((path, p) ->
                byParameter.computeIfAbsent(p, k -> new ArrayList<>()).add(path));
        Map<String, List<String>> out = new LinkedHashMap<>();
        byParameter.values().forEach(list -> list.forEach(path -> out.put(path, list)));
        return out;
    }

    private static void checkShape(String key, StoredTensor stored, int rows, int cols) {
        long[] s = stored.shape();
        boolean matrix = s.length == 2 && s[0] == rows && s[1] == cols;
        boolean vector = s.length == 1 && rows == 1 && s[0] == cols;
        if (!matrix && !vector) {
            throw new IllegalArgumentException("Checkpoint.load: tensor '" + key + "' has shape " + stored.shapeText()
                    + " but the module's parameter is " + rows + "x" + cols
                    + (rows == 1 ? " (stored as [" + cols + "] or [1, " + cols + "])" : ""));
        }
    }

    private static Runnable optimizerRestore(Path file, SafeTensors.Contents contents, Optimizer optimizer) {
        Map<String, String> meta = contents.metadata();
        String type = meta.get(OPTIMIZER_PREFIX + "type");
        if (type == null) {
            throw new IllegalArgumentException("Checkpoint.load: " + file + " holds no optimizer state; "
                    + "load it without an optimizer, or save with one");
        }
        if (!type.equals(optimizer.getClass().getSimpleName())) {
            throw new IllegalArgumentException("Checkpoint.load: " + file + " holds " + type + " state but the optimizer is "
                    + optimizer.getClass().getSimpleName());
        }
        Map<String, DMatrixRMaj> state = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : optimizer.stateShapes().entrySet()) {
            StoredTensor stored = contents.tensors().get(OPTIMIZER_PREFIX + e.getKey());
            if (stored == null) {
                throw new IllegalArgumentException("Checkpoint.load: " + file + " lacks optimizer state '"
                        + OPTIMIZER_PREFIX + e.getKey() + "'");
            }
            checkShape(OPTIMIZER_PREFIX + e.getKey(), stored, e.getValue()[0], e.getValue()[1]);
            state.put(e.getKey(), new DMatrixRMaj(e.getValue()[0], e.getValue()[1], true, stored.values()));
        }
        Map<String, Integer> steps = new LinkedHashMap<>();
        for (String name : optimizer.parameters().keySet()) {
            steps.put(name, integer(meta, OPTIMIZER_PREFIX + "steps." + name));
        }
        int stepCount = integer(meta, OPTIMIZER_PREFIX + "step");
        double rate;
        try {
            rate = Double.parseDouble(meta.getOrDefault(OPTIMIZER_PREFIX + "lr", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Checkpoint.load: optimizer.lr is missing or not a number");
        }
        optimizer.checkState(state, steps, rate);
        return () -> optimizer.loadState(state, steps, stepCount, rate);
    }

    private static int integer(Map<String, String> meta, String key) {
        try {
            return Integer.parseInt(meta.getOrDefault(key, ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Checkpoint.load: metadata '" + key + "' is missing or not an integer: " + meta.get(key));
        }
    }
}
