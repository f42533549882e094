package dev.unroll.nn.loss;

import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tensor;

/**
 * Binary cross-entropy of logits, as PyTorch's {@code nn.BCEWithLogitsLoss(weight, reduction,
 * pos_weight)}; see {@link LossOps#binaryCrossEntropyWithLogits(Tensor, Tensor, Tensor, double[], Reduction)}.
 * Immutable; each setting returns a new loss, e.g.
 * {@code new BceWithLogitsLoss().posWeight(3, 1).reduction(Reduction.SUM)}.
 */
public final class BceWithLogitsLoss {

    private final Reduction reduction;
    private final Tensor weight;
    private final double[] posWeight;

    /** Mean reduction, no weights. */
    public BceWithLogitsLoss() {
        this(Reduction.MEAN);
    }

    /**
     * @param reduction sum, mean over all elements, or none
     */
    public BceWithLogitsLoss(Reduction reduction) {
        this(reduction, null, null);
    }

    private BceWithLogitsLoss(Reduction reduction, Tensor weight, double[] posWeight) {
        this.reduction = reduction;
        this.weight = weight;
        this.posWeight = posWeight;
    }

    /** @return the reduction: sum, mean over all elements, or none */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * @param r sum, mean over all elements (not divided by the weights, as in PyTorch), or none
     * @return a loss with this reduction
     */
    public BceWithLogitsLoss reduction(Reduction r) {
        return new BceWithLogitsLoss(r, weight, posWeight);
    }

    /**
     * PyTorch's {@code weight}: rescales each element's loss.
     *
     * @param w the logits' shape, one row (a weight per class) or one column (per example)
     * @return a loss with this weight
     */
    public BceWithLogitsLoss weight(Tensor w) {
        return new BceWithLogitsLoss(reduction, w.detach(), posWeight);
    }

    /**
     * PyTorch's {@code pos_weight}: the weight of the positive term of each class, above 1 to
     * raise recall on a rare class (negatives / positives is the usual choice).
     *
     * @param weights one per class (column)
     * @return a loss with these positive weights
     */
    public BceWithLogitsLoss posWeight(double... weights) {
        return new BceWithLogitsLoss(reduction, weight, weights.clone());
    }

    /**
     * Computes the loss.
     *
     * @param logits unnormalised scores
     * @param targets probabilities in [0, 1], same shape
     * @return 1x1, or elementwise with {@link Reduction#NONE}
     */
    public Tensor apply(Tensor logits, Tensor targets) {
        return LossOps.binaryCrossEntropyWithLogits(logits, targets, weight, posWeight, reduction);
    }

    @Override
    public String toString() {
        return "BceWithLogitsLoss(reduction=" + reduction + (weight == null ? "" : ", weight " + weight.shape())
                + (posWeight == null ? "" : ", posWeight") + ")";
    }
}
