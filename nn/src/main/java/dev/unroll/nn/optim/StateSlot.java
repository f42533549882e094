package dev.unroll.nn.optim;

/**
 * One per-parameter state buffer of an optimizer (e.g. Adam's {@code exp_avg_sq}): its name, as
 * PyTorch's state_dict calls it, and what it may hold, so restored state is validated before use.
 *
 * @param name the buffer's name
 * @param nonNegative whether its values must be zero or positive (sums and averages of squares);
 *     every buffer must be finite
 */
public record StateSlot(String name, boolean nonNegative) {

    /**
     * @param name the buffer's name
     * @return a buffer that may hold any finite value (momentum, first moments)
     */
    public static StateSlot finite(String name) {
        return new StateSlot(name, false);
    }

    /**
     * @param name the buffer's name
     * @return a buffer of finite values that are zero or positive (squared-gradient sums and averages)
     */
    public static StateSlot nonNegative(String name) {
        return new StateSlot(name, true);
    }
}
