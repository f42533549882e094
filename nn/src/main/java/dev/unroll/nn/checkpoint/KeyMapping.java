package dev.unroll.nn.checkpoint;

import java.util.Map;
import java.util.Objects;

/**
 * How the tensor names of a file map onto a module's parameter names when loading, so that a
 * state_dict saved from a model whose attributes are named differently loads without rewriting
 * the file: what PyTorch users write as {@code {k.removeprefix("module."): v for k, v in sd.items()}}.
 * A mapping returns the parameter name for a file key, or {@code null} for a key that is not
 * this module's at all: such a key is skipped without being reported as unexpected, which is how
 * {@link #under} loads one part of a larger checkpoint (an encoder out of a whole training
 * checkpoint), reading only that part's tensors. Optimizer state ({@value Checkpoint#OPTIMIZER_PREFIX}*)
 * is never mapped.
 */
@FunctionalInterface
public interface KeyMapping {

    /**
     * @param fileKey a tensor's name in the file
     * @return the module's name for it, or {@code null} when the key is outside this module
     */
    String map(String fileKey);

    /** @return every key as it is (the default) */
    static KeyMapping identity() {
        return key -> key;
    }

    /**
     * The part of a file under a prefix, as the module's own: {@code under("encoder.")} maps
     * {@code encoder.lstm.weight_ih_l0} to {@code lstm.weight_ih_l0} and leaves every key without
     * the prefix out (neither loaded nor unexpected).
     *
     * @param prefix the prefix, usually ending in a dot
     * @return the mapping
     */
    static KeyMapping under(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return key -> key.startsWith(prefix) ? key.substring(prefix.length()) : null;
    }

    /**
     * Removes a prefix where a key has it and keeps other keys as they are: {@code module.} of a
     * model saved from {@code nn.DataParallel}, {@code model.} of a Lightning checkpoint.
     *
     * @param prefix the prefix to remove
     * @return the mapping
     */
    static KeyMapping stripPrefix(String prefix) {
        return replacePrefix(prefix, "");
    }

    /**
     * Renames an attribute: {@code replacePrefix("lstm.", "rnn.")} loads PyTorch's
     * {@code self.lstm} into a {@code LanguageModel}'s {@code rnn}; other keys stay as they are.
     *
     * @param from the prefix in the file
     * @param to the prefix in the module
     * @return the mapping
     */
    static KeyMapping replacePrefix(String from, String to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return key -> key.startsWith(from) ? to + key.substring(from.length()) : key;
    }

    /**
     * Renames single keys; the others stay as they are.
     *
     * @param names the module's name of each file key to rename
     * @return the mapping
     */
    static KeyMapping renaming(Map<String, String> names) {
        Map<String, String> copy = Map.copyOf(names);
        return key -> copy.getOrDefault(key, key);
    }

    /**
     * @param next the mapping applied to this one's result
     * @return this mapping, then {@code next} (a key this one leaves out stays out)
     */
    default KeyMapping andThen(KeyMapping next) {
        Objects.requireNonNull(next, "next");
        return key -> {
            String mapped = map(key);
            return mapped == null ? null : next.map(mapped);
        };
    }
}
