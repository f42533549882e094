package dev.unroll.autograd;

/**
 * Loss functions as single fused ops: softmax cross-entropy from logits, negative
 * log-likelihood, mean squared error and binary cross-entropy from logits. Fusing keeps them
 * numerically stable (no log of a rounded-to-zero probability) and cheap (one node each).
 *
 * <p>Classification losses take one integer target per row, or (cross-entropy) a probability
 * per class and row. A row whose target equals the ignore index contributes nothing (use it for
 * padding); class weights scale each row's loss by the weight of its target class. Label
 * smoothing e mixes the one-hot target with the uniform distribution, (1 - e) onehot + e / C, as
 * PyTorch's {@code label_smoothing}. With {@link Reduction#MEAN} the sum is divided by the total
 * weight of the rows not ignored (the count when unweighted), as in PyTorch, and by the number of
 * rows for probability targets.
 *
 * <p><b>An empty mean is 0, deliberately.</b> When every row is ignored (or every counted row's
 * class weight is 0), PyTorch's mean is 0 / 0 = NaN; here it is 0 with a zero gradient, so a fully
 * padded batch skips the step instead of poisoning the parameters with NaN (the rest of Unroll
 * refuses NaN wherever it can appear). {@link Reduction#SUM} and {@link Reduction#NONE} are
 * PyTorch's in every case.
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
        return softmaxCrossEntropy(logits, targets, classWeights, reduction, ignoreIndex, 0);
    }

    /**
     * Softmax cross-entropy with label smoothing e, fused, as PyTorch's {@code cross_entropy(...,
     * label_smoothing=e)}: per row r with target t, loss_r = (1 - e) w_t (lse_r - x_rt) + (e / C)
     * sum_c w_c (lse_r - x_rc), lse_r = log sum_j e^(x_rj). Gradient: dL/dx_rj = dL/dloss_r
     * (p_rj ((1 - e) w_t + (e / C) sum_c w_c) - (1 - e) w_t [j = t] - (e / C) w_j), p = softmax(x);
     * unweighted that is p - q with q the smoothed target. The mean divides by the total weight
     * w_t of the rows counted, as PyTorch's does.
     *
     * @param logits unnormalised scores, rows x classes
     * @param targets one class index per row, or {@code ignoreIndex}
     * @param classWeights one weight per class, or {@code null} for all 1
     * @param reduction sum, mean, or none
     * @param ignoreIndex the target value of rows to skip (an ignored row has loss 0)
     * @param labelSmoothing e in [0, 1]; 0 is plain cross-entropy
     * @return a 1x1 loss, or rows x 1 for {@link Reduction#NONE}
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, int[] targets, double[] classWeights,
            Reduction reduction, int ignoreIndex, double labelSmoothing) {
        checkTargets("softmaxCrossEntropy", logits, targets, classWeights, ignoreIndex);
        checkSmoothing(labelSmoothing);
        int[] t = targets.clone();
        return logits.isF32()
                ? LossF32.softmaxCrossEntropy(logits, t, Conversions.toFloats(classWeights), reduction, ignoreIndex,
                        (float) labelSmoothing)
                : LossF64.softmaxCrossEntropy(logits, t, classWeights, reduction, ignoreIndex, labelSmoothing);
    }

    /**
     * Softmax cross-entropy against probability targets (soft labels, e.g. a teacher's
     * distribution), fused, as PyTorch's {@code cross_entropy} with a target of the input's
     * shape: with q = (1 - e) y + e / C, loss_r = sum_c w_c q_rc (lse_r - x_rc). Gradients:
     * dL/dx_rj = dL/dloss_r (p_rj sum_c w_c q_rc - w_j q_rj) and, when the targets require one,
     * dL/dy_rc = dL/dloss_r (1 - e) w_c (lse_r - x_rc). The mean divides by the number of rows
     * (not by weights), as PyTorch's does; there is no ignore index.
     *
     * @param logits unnormalised scores, rows x classes
     * @param probabilities the target distribution of each row, same shape (rows need not sum to 1)
     * @param classWeights one weight per class, or {@code null} for all 1
     * @param reduction sum, mean over rows, or none
     * @param labelSmoothing e in [0, 1]
     * @return a 1x1 loss, or rows x 1 for {@link Reduction#NONE}
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, Tensor probabilities, double[] classWeights,
            Reduction reduction, double labelSmoothing) {
        if (!logits.sameShape(probabilities)) {
            throw new IllegalArgumentException("softmaxCrossEntropy: logits " + logits.shape() + " and probability "
                    + "targets " + probabilities.shape() + " differ in shape; give one probability per class and row, "
                    + "or class indices (int[]) instead");
        }
        if (classWeights != null && classWeights.length != logits.cols()) {
            throw new IllegalArgumentException("softmaxCrossEntropy: " + classWeights.length + " class weights for "
                    + logits.cols() + " classes; give one weight per class");
        }
        checkSmoothing(labelSmoothing);
        return DType.common("softmaxCrossEntropy", logits, probabilities) == DType.F32
                ? LossF32.softmaxCrossEntropy(logits, probabilities, Conversions.toFloats(classWeights), reduction,
                        (float) labelSmoothing)
                : LossF64.softmaxCrossEntropy(logits, probabilities, classWeights, reduction, labelSmoothing);
    }

    private static void checkSmoothing(double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("softmaxCrossEntropy: label smoothing " + labelSmoothing
                    + " is outside [0, 1]; 0 is none, 0.1 a common choice");
        }
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
     * @see #binaryCrossEntropyWithLogits(Tensor, Tensor, Tensor, double[], Reduction)
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Reduction reduction) {
        return binaryCrossEntropyWithLogits(logits, targets, null, null, reduction);
    }

    /**
     * Binary cross-entropy of logits with PyTorch's {@code weight} and {@code pos_weight}, fused
     * and stable, as {@code nn.BCEWithLogitsLoss}: loss = w [(1 - y) x + l softplus(-x)] with
     * l = 1 + (pos_c - 1) y, i.e. w [-pos_c y log sigmoid(x) - (1 - y) log(1 - sigmoid(x))].
     * Gradient: dL/dx = w ((1 - y) - l sigmoid(-x)) dL/dout. The mean divides by the element
     * count (not by the weights), as PyTorch's does. Weights and targets are constants.
     *
     * @param logits unnormalised scores, rows x classes
     * @param targets probabilities in [0, 1], same shape
     * @param weight rescales each element's loss: the logits' shape, one row (per class) or one
     *     column (per example), broadcast; or {@code null}
     * @param posWeight the weight of the positive term of each class (column), e.g. negatives /
     *     positives for an imbalanced class; or {@code null} for 1
     * @param reduction sum, mean over all elements, or none
     * @return a 1x1 loss, or elementwise losses for {@link Reduction#NONE}
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Tensor weight, double[] posWeight,
            Reduction reduction) {
        String op = "binaryCrossEntropyWithLogits";
        if (!logits.sameShape(targets)) {
            throw new IllegalArgumentException(op + ": logits " + logits.shape() + " and targets " + targets.shape()
                    + " differ in shape");
        }
        if (posWeight != null && posWeight.length != logits.cols()) {
            throw new IllegalArgumentException(op + ": " + posWeight.length + " positive weights for " + logits.cols()
                    + " classes (columns); give one per class");
        }
        double[] w = weight == null ? null : broadcast(op, weight, logits.rows(), logits.cols());
        return DType.common(op, logits, targets) == DType.F32
                ? LossF32.binaryCrossEntropyWithLogits(logits, targets, Conversions.toFloats(w),
                        Conversions.toFloats(posWeight), reduction)
                : LossF64.binaryCrossEntropyWithLogits(logits, targets, w, posWeight, reduction);
    }

    /** A weight of shape rows x cols, 1 x cols or rows x 1, expanded to rows x cols (row-major). */
    private static double[] broadcast(String op, Tensor weight, int rows, int cols) {
        boolean fits = (weight.rows() == rows || weight.rows() == 1) && (weight.cols() == cols || weight.cols() == 1);
        if (!fits) {
            throw new IllegalArgumentException(op + ": weight " + weight.shape() + " does not broadcast to " + rows + "x"
                    + cols + "; give " + rows + "x" + cols + ", 1x" + cols + " (per class) or " + rows
                    + "x1 (per example)");
        }
        double[][] values = weight.toArray();
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = values[weight.rows() == 1 ? 0 : r][weight.cols() == 1 ? 0 : c];
            }
        }
        return out;
    }
}
