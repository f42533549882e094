package dev.unroll.nn.checkpoint;

/**
 * How {@link Checkpoint#load(java.nio.file.Path, dev.unroll.nn.Module, dev.unroll.nn.optim.Optimizer,
 * LoadOptions)} matches a file to a module, as PyTorch's {@code load_state_dict(strict=...)} does,
 * and whether it accepts non-finite parameters.
 *
 * @param requireAll whether every parameter of the module must be in the file
 * @param refuseUnexpected whether a tensor the module does not have is an error (else it is
 *     skipped and reported in {@link LoadResult#unexpectedKeys()})
 * @param allowNonFinite whether a parameter holding NaN or an infinity is loaded instead of refused
 */
public record LoadOptions(boolean requireAll, boolean refuseUnexpected, boolean allowNonFinite) {

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
        return new LoadOptions(requireAll, false, allowNonFinite);
    }

    /** @return these options, except that parameters holding NaN or infinities are loaded */
    public LoadOptions allowingNonFinite() {
        return new LoadOptions(requireAll, refuseUnexpected, true);
    }
}
