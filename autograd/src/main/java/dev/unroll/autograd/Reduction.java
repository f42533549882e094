package dev.unroll.autograd;

/** How a loss combines its per-element (or per-example) values, as PyTorch's {@code reduction}. */
public enum Reduction {
    /** Sum of the values. */
    SUM,
    /** Mean of the values (for weighted losses, divided by the total weight). */
    MEAN,
    /** No reduction: one value per element or per example. */
    NONE
}
