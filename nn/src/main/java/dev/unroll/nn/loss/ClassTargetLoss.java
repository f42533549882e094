package dev.unroll.nn.loss;

import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Reduction;

/**
 * The settings every loss over integer class targets shares: reduction, ignore index and class
 * weights. Immutable; each setting returns a new loss of the same kind.
 *
 * @param <L> the concrete loss type
 */
public abstract class ClassTargetLoss<L extends ClassTargetLoss<L>> {

    final Reduction reduction;
    final int ignoreIndex;
    final double[] classWeights;

    ClassTargetLoss(Reduction reduction, int ignoreIndex, double[] classWeights) {
        this.reduction = reduction;
        this.ignoreIndex = ignoreIndex;
        this.classWeights = classWeights;
    }

    /** Mean reduction, no class weights, PyTorch's default ignore index -100. */
    ClassTargetLoss() {
        this(Reduction.MEAN, LossOps.DEFAULT_IGNORE_INDEX, null);
    }

    abstract L with(Reduction r, int ignore, double[] weights);

    /**
     * @param r sum, mean (divided by the total weight of the rows counted) or none
     * @return a loss with this reduction
     */
    public L reduction(Reduction r) {
        return with(r, ignoreIndex, classWeights);
    }

    /**
     * @param index the target value of rows that do not count (padding)
     * @return a loss ignoring that target
     */
    public L ignoreIndex(int index) {
        return with(reduction, index, classWeights);
    }

    /**
     * @param weights one weight per class, scaling each row's loss by its target's weight
     * @return a weighted loss
     */
    public L classWeights(double... weights) {
        return with(reduction, ignoreIndex, weights.clone());
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(reduction=" + reduction + ", ignoreIndex=" + ignoreIndex
                + (classWeights == null ? "" : ", weighted") + ")";
    }
}
