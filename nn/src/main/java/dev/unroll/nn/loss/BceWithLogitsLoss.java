package dev.unroll.nn.loss;

import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tensor;

/**
 * Binary cross-entropy of logits, as PyTorch's {@code nn.BCEWithLogitsLoss}; see
 * {@link LossOps#binaryCrossEntropyWithLogits}.
 *
 * @param reduction sum, mean over all elements, or none
 */
public record BceWithLogitsLoss(Reduction reduction) {

    /** Mean reduction. */
    public BceWithLogitsLoss() {
        this(Reduction.MEAN);
    }

    /**
     * Computes the loss.
     *
     * @param logits unnormalised scores
     * @param targets probabilities in [0, 1], same shape
     * @return 1x1, or elementwise with {@link Reduction#NONE}
     */
    public Tensor apply(Tensor logits, Tensor targets) {
        return LossOps.binaryCrossEntropyWithLogits(logits, targets, reduction);
    }
}
