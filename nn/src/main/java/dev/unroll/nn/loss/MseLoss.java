package dev.unroll.nn.loss;

import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tensor;

/**
 * Mean squared error, as PyTorch's {@code nn.MSELoss}; see {@link LossOps#mse}.
 *
 * @param reduction sum, mean over all elements, or none
 */
public record MseLoss(Reduction reduction) {

    /** Mean reduction. */
    public MseLoss() {
        this(Reduction.MEAN);
    }

    /**
     * Computes the loss.
     *
     * @param prediction predictions
     * @param target targets, same shape
     * @return 1x1, or elementwise with {@link Reduction#NONE}
     */
    public Tensor apply(Tensor prediction, Tensor target) {
        return LossOps.mse(prediction, target, reduction);
    }
}
