package dev.unroll.nn.loss;

import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tensor;

/**
 * Negative log-likelihood of log-probabilities (e.g. a log-softmax output) with integer class
 * targets, as PyTorch's {@code nn.NLLLoss}; see {@link LossOps#nllLoss}. Immutable; each setting
 * returns a new loss.
 */
public final class NllLoss extends ClassTargetLoss<NllLoss> {

    /** Mean reduction, no class weights, ignore index -100. */
    public NllLoss() {
    }

    private NllLoss(Reduction reduction, int ignoreIndex, double[] classWeights) {
        super(reduction, ignoreIndex, classWeights);
    }

    @Override
    NllLoss with(Reduction r, int ignore, double[] weights) {
        return new NllLoss(r, ignore, weights);
    }

    /**
     * Computes the loss.
     *
     * @param logProbs log-probabilities, rows x classes
     * @param targets one class index per row
     * @return 1x1, or rows x 1 with {@link Reduction#NONE}
     */
    public Tensor apply(Tensor logProbs, int[] targets) {
        return LossOps.nllLoss(logProbs, targets, classWeights, reduction, ignoreIndex);
    }
}
