package dev.unroll.nn.loss;

import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tensor;

/**
 * Cross-entropy from logits with integer class targets, as PyTorch's
 * {@code nn.CrossEntropyLoss}: the fused, numerically stable {@link LossOps#softmaxCrossEntropy}.
 * Immutable; each setting returns a new loss, e.g.
 * {@code new CrossEntropyLoss().reduction(Reduction.SUM).ignoreIndex(0)}.
 */
public final class CrossEntropyLoss extends ClassTargetLoss<CrossEntropyLoss> {

    /** Mean reduction, no class weights, PyTorch's default ignore index -100. */
    public CrossEntropyLoss() {
    }

    private CrossEntropyLoss(Reduction reduction, int ignoreIndex, double[] classWeights) {
        super(reduction, ignoreIndex, classWeights);
    }

    @Override
    CrossEntropyLoss with(Reduction r, int ignore, double[] weights) {
        return new CrossEntropyLoss(r, ignore, weights);
    }

    /**
     * Computes the loss (recorded on the open tape, if any).
     *
     * @param logits unnormalised scores, rows x classes
     * @param targets one class index per row
     * @return 1x1, or rows x 1 with {@link Reduction#NONE}
     */
    public Tensor apply(Tensor logits, int[] targets) {
        return LossOps.softmaxCrossEntropy(logits, targets, classWeights, reduction, ignoreIndex);
    }
}
