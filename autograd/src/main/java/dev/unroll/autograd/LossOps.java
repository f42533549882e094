package dev.unroll.autograd;

/**
 * Loss functions as single fused ops: softmax cross-entropy from logits, negative
 * log-likelihood, mean squared error and binary cross-entropy from logits. Fusing keeps them
 * numerically stable (no log of a rounded-to-zero probability) and cheap (one node each).
 *
 * <p>Classification losses take one integer target per row. A row whose target equals the
 * ignore index contributes nothing (use it for padding); class weights scale each row's loss by
 * the weight of its target class. With {@link Reduction#MEAN} the sum is divided by the total
 * weight of the rows not ignored (the count when unweighted), as in PyTorch; when every row is
 * ignored the mean is 0 rather than PyTorch's NaN, so a fully padded batch cannot poison training.
 */
public final class LossOps {

    /** The ignore index used when none is given; like PyTorch's, no real class has it. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    private LossOps() {
    }

    /**
     * Mean softmax cross-entropy of {@code logits} against class {@code targets}.
     *
     * @param logits unnormalised scores, rows x classes
     * @param targets one class index per row
     * @return a 1x1 loss
     * @see #softmaxCrossEntropy(Tensor, int[], double[], Reduction, int)
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, int[] targets) {
        return softmaxCrossEntropy(logits, targets, null, Reduction.MEAN, DEFAULT_IGNORE_INDEX);
    }

    /**
     * Softmax cross-entropy with the given reduction.
     *
     * @param logits unnormalised scores, rows x classes
     * @param targets one class index per row
     * @param reduction sum, mean, or none (one loss per row)
     * @return a 1x1 loss, or rows x 1 for {@link Reduction#NONE}
     * @see #softmaxCrossEntropy(Tensor, int[], double[], Reduction, int)
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, int[] targets, Reduction reduction) {
        return softmaxCrossEntropy(logits, targets, null, reduction, DEFAULT_IGNORE_INDEX);
    }

    /**
     * Softmax cross-entropy with a reduction and an ignore index.
     *
     * @param logits unnormalised scores, rows x classes
     * @param targets one class index per row, or {@code ignoreIndex}
     * @param reduction sum, mean, or none
     * @param ignoreIndex the target value of rows to skip
     * @return a 1x1 loss, or rows x 1 for {@link Reduction#NONE}
     * @see #softmaxCrossEntropy(Tensor, int[], double[], Reduction, int)
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, int[] targets, Reduction reduction, int ignoreIndex) {
        return softmaxCrossEntropy(logits, targets, null, reduction, ignoreIndex);
    }

    /**
     * Softmax cross-entropy, fused: per row r with target t, loss_r = w_t (log sum_j e^(x_rj) -
     * x_rt). Gradient: dL/dx_rj = dL/dloss_r w_t (softmax(x_r)_j - [j = t]), scaled by 1 / total
     * weight for the mean.
     *
     * @param logits unnormalised scores, rows x classes
     * @param targets one class index per row, or {@code ignoreIndex}
     * @param classWeights one weight per class, or {@code null} for all 1
     * @param reduction sum, mean, or none
     * @param ignoreIndex the target value of rows to skip
     * @return a 1x1 loss, or rows x 1 for {@link Reduction#NONE}
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, int[] targets, double[] classWeights,
            Reduction reduction, int ignoreIndex) {
        checkTargets("softmaxCrossEntropy", logits, targets, classWeights, ignoreIndex);
        int[] t = targets.clone();
        return logits.isF32()
                ? LossF32.softmaxCrossEntropy(logits, t, Conversions.toFloats(classWeights), reduction, ignoreIndex)
                : LossF64.softmaxCrossEntropy(logits, t, classWeights, reduction, ignoreIndex);
    }

    /**
     * Negative log-likelihood of log-probabilities (e.g. the output of log-softmax): per row r
     * with target t, loss_r = -w_t logp_rt. Gradient: dL/dlogp_rt = -dL/dloss_r w_t, zero for the
     * other classes.
     *
     * @param logProbs log-probabilities, rows x classes
     * @param targets one class index per row, or {@code ignoreIndex}
     * @param classWeights one weight per class, or {@code null} for all 1
     * @param reduction sum, mean, or none
     * @param ignoreIndex the target value of rows to skip
     * @return a 1x1 loss, or rows x 1 for {@link Reduction#NONE}
     */
    public static Tensor nllLoss(Tensor logProbs, int[] targets, double[] classWeights, Reduction reduction,
            int ignoreIndex) {
        checkTargets("nllLoss", logProbs, targets, classWeights, ignoreIndex);
        int[] t = targets.clone();
        return logProbs.isF32()
                ? LossF32.nllLoss(logProbs, t, Conversions.toFloats(classWeights), reduction, ignoreIndex)
                : LossF64.nllLoss(logProbs, t, classWeights, reduction, ignoreIndex);
    }

    /**
     * Mean negative log-likelihood.
     *
     * @param logProbs log-probabilities, rows x classes
     * @param targets one class index per row
     * @return a 1x1 loss
     * @see #nllLoss(Tensor, int[], double[], Reduction, int)
     */
    public static Tensor nllLoss(Tensor logProbs, int[] targets) {
        return nllLoss(logProbs, targets, null, Reduction.MEAN, DEFAULT_IGNORE_INDEX);
    }

    /** Validates targets (one per row, each a class or the ignore index) and class weights (one per class). */
    private static void checkTargets(String op, Tensor input, int[] targets, double[] classWeights, int ignoreIndex) {
        int classes = input.cols();
        if (targets.length != input.rows()) {
            throw new IllegalArgumentException(op + ": " + targets.length + " targets for " + input.shape()
                    + " scores; give one target per row");
        }
        if (classWeights != null && classWeights.length != classes) {
            throw new IllegalArgumentException(op + ": " + classWeights.length + " class weights for "
                    + classes + " classes; give one weight per class");
        }
        for (int r = 0; r < targets.length; r++) {
            int t = targets[r];
            if (t != ignoreIndex && (t < 0 || t >= classes)) {
                throw new IllegalArgumentException(op + ": target " + t + " at row " + r + " is outside [0, "
                        + classes + ") and is not the ignore index " + ignoreIndex);
            }
        }
    }

    /**
     * Mean squared error over all elements.
     *
     * @param prediction predictions
     * @param target targets, same shape
     * @return a 1x1 loss
     * @see #mse(Tensor, Tensor, Reduction)
     */
    public static Tensor mse(Tensor prediction, Tensor target) {
        return mse(prediction, target, Reduction.MEAN);
    }

    /**
     * Squared error (p - y)^2 per element, reduced. Gradient: dL/dp = 2 (p - y) dL/dout (divided
     * by the element count for the mean), dL/dy = -dL/dp; a target that needs no gradient gets none.
     *
     * @param prediction predictions
     * @param target targets, same shape
     * @param reduction sum, mean over all elements, or none (same shape as the inputs)
     * @return a 1x1 loss, or elementwise errors for {@link Reduction#NONE}
     */
    public static Tensor mse(Tensor prediction, Tensor target, Reduction reduction) {
        if (!prediction.sameShape(target)) {
            throw new IllegalArgumentException("mse: prediction " + prediction.shape() + " and target "
                    + target.shape() + " differ in shape");
        }
        return DType.common("mse", prediction, target) == DType.F32 ? LossF32.mse(prediction, target, reduction)
                : LossF64.mse(prediction, target, reduction);
    }

    /**
     * Binary cross-entropy of logits x against targets y in [0, 1], fused and stable:
     * loss = max(x, 0) - x y + log(1 + e^-|x|). Gradient: dL/dx = (sigmoid(x) - y) dL/dout
     * (divided by the element count for the mean). The targets are constants.
     *
     * @param logits unnormalised scores
     * @param targets probabilities in [0, 1], same shape
     * @param reduction sum, mean over all elements, or none
     * @return a 1x1 loss, or elementwise losses for {@link Reduction#NONE}
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Reduction reduction) {
        if (!logits.sameShape(targets)) {
            throw new IllegalArgumentException("binaryCrossEntropyWithLogits: logits " + logits.shape()
                    + " and targets " + targets.shape() + " differ in shape");
        }
        return DType.common("binaryCrossEntropyWithLogits", logits, targets) == DType.F32
                ? LossF32.binaryCrossEntropyWithLogits(logits, targets, reduction)
                : LossF64.binaryCrossEntropyWithLogits(logits, targets, reduction);
    }
}
