package dev.unroll.autograd;

/**
 * Softmax and log-softmax along each row, computed with the row maximum subtracted so that large
 * logits do not overflow.
 */
public final class SoftmaxOps {

    private SoftmaxOps() {
    }

    /**
     * Softmax of each row: s_j = e^(x_j) / sum_k e^(x_k). Gradient, per row:
     * dL/dx_j = s_j (dL/ds_j - sum_k dL/ds_k s_k).
     *
     * @param x logits, rows x classes
     * @return probabilities, each row summing to 1
     */
    public static Tensor softmax(Tensor x) {
        return x.isF32() ? SoftmaxF32.softmax(x) : SoftmaxF64.softmax(x);
    }

    /**
     * Log-softmax of each row: x_j - log sum_k e^(x_k). Gradient, per row:
     * dL/dx_j = dL/dy_j - s_j sum_k dL/dy_k, with s the softmax.
     *
     * @param x logits, rows x classes
     * @return log-probabilities
     */
    public static Tensor logSoftmax(Tensor x) {
        return x.isF32() ? SoftmaxF32.logSoftmax(x) : SoftmaxF64.logSoftmax(x);
    }
}
