package dev.unroll.nn.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Checkpoint} load found, as PyTorch's {@code load_state_dict} reports it.
 *
 * @param metadata the user metadata stored with the checkpoint
 * @param missingKeys the module's parameters the file did not hold (left as they were)
 * @param unexpectedKeys the file's tensors the module (or optimizer) does not have (skipped)
 */
public record LoadResult(Map<String, String> metadata, List<String> missingKeys, List<String> unexpectedKeys) {

    /**
     * Copies the collections.
     *
     * @param metadata the user metadata
     * @param missingKeys parameters not in the file
     * @param unexpectedKeys tensors not in the module
     */
    public LoadResult {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        missingKeys = List.copyOf(missingKeys);
        unexpectedKeys = List.copyOf(unexpectedKeys);
    }
}
