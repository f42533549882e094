package dev.unroll.nn.loss;

import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tensor;

/**
 * Cross-entropy from logits, as PyTorch's {@code nn.CrossEntropyLoss}: the fused, numerically
 * stable {@link LossOps#softmaxCrossEntropy}, against integer class targets or against
 * probability targets (soft labels), with label smoothing. Immutable; each setting returns a new
 * loss, e.g. {@code new CrossEntropyLoss().reduction(Reduction.SUM).ignoreIndex(0).labelSmoothing(0.1)}.
 * A mean over rows that are all ignored is 0, not PyTorch's NaN (see {@link LossOps}).
 */
public final class CrossEntropyLoss extends ClassTargetLoss<CrossEntropyLoss> {

    private final double labelSmoothing;

    /** Mean reduction, no class weights, PyTorch's default ignore index -100, no label smoothing. */
    public CrossEntropyLoss() {
        this.labelSmoothing = 0;
    }

    private CrossEntropyLoss(Reduction reduction, int ignoreIndex, double[] classWeights, double labelSmoothing) {
        super(reduction, ignoreIndex, classWeights);
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    CrossEntropyLoss with(Reduction r, int ignore, double[] weights) {
        return new CrossEntropyLoss(r, ignore, weights, labelSmoothing);
    }

    /**
     * PyTorch's {@code label_smoothing}: the target becomes (1 - e) onehot + e / classes, which
     * keeps the model from growing its logits without bound to reach probability 1.
     *
     * @param e the smoothing in [0, 1] (0.1 is common)
     * @return a loss with this smoothing
     */
    public CrossEntropyLoss labelSmoothing(double e) {
        if (!(e >= 0 && e <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label smoothing " + e + " is outside [0, 1]");
        }
        return new CrossEntropyLoss(reduction, ignoreIndex, classWeights, e);
    }

    /**
     * Computes the loss against class indices (recorded on the open tape, if any).
     *
     * @param logits unnormalised scores, rows x classes
     * @param targets one class index per row, or the ignore index
     * @return 1x1, or rows x 1 with {@link Reduction#NONE}
     */
    public Tensor apply(Tensor logits, int[] targets) {
        return LossOps.softmaxCrossEntropy(logits, targets, classWeights, reduction, ignoreIndex, labelSmoothing);
    }

    /**
     * Computes the loss against probability targets (PyTorch's target of the input's shape): each
     * row a distribution over the classes, e.g. a teacher's softmax or mixed labels. The mean
     * divides by the number of rows; the targets get a gradient when they require one.
     *
     * @param logits unnormalised scores, rows x classes
     * @param probabilities the target distribution of each row, same shape
     * @return 1x1, or rows x 1 with {@link Reduction#NONE}
     */
    public Tensor apply(Tensor logits, Tensor probabilities) {
        if (ignoreIndex >= 0) {
            throw new IllegalArgumentException("CrossEntropyLoss: ignore index " + ignoreIndex + " applies to class "
                    + "targets; probability targets have none (as in PyTorch): give a row to skip all-zero probabilities, or use "
                    + "class targets");
        }
        return LossOps.softmaxCrossEntropy(logits, probabilities, classWeights, reduction, labelSmoothing);
    }

    @Override
    public String toString() {
        String s = super.toString();
        return labelSmoothing == 0 ? s : s.substring(0, s.length() - 1) + ", labelSmoothing=" + labelSmoothing + ")";
    }
}
