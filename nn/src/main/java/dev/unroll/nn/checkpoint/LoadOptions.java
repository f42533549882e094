package dev.unroll.nn.checkpoint;

import java.util.Objects;

/**
 * How {@link Checkpoint#load(java.nio.file.Path, dev.unroll.nn.Module, dev.unroll.nn.optim.Optimizer,
 * LoadOptions)} matches a file to a module, as PyTorch's {@code load_state_dict(strict=...)} does,
 * which names of the file mean which parameters, and whether it accepts non-finite parameters.
 * E.g. {@code LoadOptions.strict().mapping(KeyMapping.under("encoder."))} loads the encoder of a
 * whole model's checkpoint into an encoder alone.
 *
 * @param requireAll whether every parameter of the module must be in the file
 * @param refuseUnexpected whether a tensor the module does not have is an error (else it is
 *     skipped and reported in {@link LoadResult#unexpectedKeys()})
 * @param allowNonFinite whether a parameter holding NaN or an infinity is loaded instead of refused
 * @param mapping the module's name of each file key ({@link KeyMapping#identity()} by default)
 */
public record LoadOptions(boolean requireAll, boolean refuseUnexpected, boolean allowNonFinite, KeyMapping mapping) {

    /**
     * Checks the mapping.
     *
     * @param requireAll whether every parameter must be in the file
     * @param refuseUnexpected whether an unexpected tensor is an error
     * @param allowNonFinite whether NaN or infinities are loaded
     * @param mapping file keys to parameter names
     */
    public LoadOptions {
        Objects.requireNonNull(mapping, "mapping: use KeyMapping.identity() for names as they are");
    }

    /**
     * Options with names as they are.
     *
     * @param requireAll whether every parameter must be in the file
     * @param refuseUnexpected whether an unexpected tensor is an error
     * @param allowNonFinite whether NaN or infinities are loaded
     */
    public LoadOptions(boolean requireAll, boolean refuseUnexpected, boolean allowNonFinite) {
        this(requireAll, refuseUnexpected, allowNonFinite, KeyMapping.identity());
    }

    /** @return every parameter in the file and nothing else, all finite */
    public static LoadOptions strict() {
        return new LoadOptions(true, true, false);
    }

    /** @return load what matches, report what is missing or unexpected; all finite */
    public static LoadOptions nonStrict() {
        return new LoadOptions(false, false, false);
    }

    /** @return these options, except that tensors the module does not have are skipped and reported */
    public LoadOptions allowingUnexpected() {
        return new LoadOptions(requireAll, false, allowNonFinite, mapping);
    }

    /** @return these options, except that parameters holding NaN or infinities are loaded */
    public LoadOptions allowingNonFinite() {
        return new LoadOptions(requireAll, refuseUnexpected, true, mapping);
    }

    /**
     * @param keys how the file's names map onto the module's (applied after any mapping given before)
     * @return these options with that mapping
     */
    public LoadOptions mapping(KeyMapping keys) {
        return new LoadOptions(requireAll, refuseUnexpected, allowNonFinite, mapping.andThen(keys));
    }
}
