package dev.unroll.autograd;

import org.ejml.data.DMatrixRMaj;

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
        String op = "softmaxCrossEntropy";
        double[] w = rowWeights(op, logits, targets, classWeights, ignoreIndex);
        int rows = logits.rows();
        int cols = logits.cols();
        double[] x = logits.data();
        double[] probs = Tape.scratch(x.length);
        double[] perRow = new double[rows];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            SoftmaxOps.softmaxRow(x, probs, base, cols);
            if (w[r] != 0) {
                perRow[r] = w[r] * (SoftmaxOps.logSumExp(x, base, cols) - x[base + targets[r]]);
            }
        }
        int[] t = targets.clone();
        return reduced(op, logits, perRow, w, reduction, (rowScale, gx) -> {
            for (int r = 0; r < rows; r++) {
                double s = rowScale[r];
                if (s == 0) {
                    continue;
                }
                int base = r * cols;
                for (int c = 0; c < cols; c++) {
                    gx[base + c] += s * probs[base + c];
                }
                gx[base + t[r]] -= s;
            }
        });
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
        String op = "nllLoss";
        double[] w = rowWeights(op, logProbs, targets, classWeights, ignoreIndex);
        int cols = logProbs.cols();
        double[] perRow = new double[logProbs.rows()];
        for (int r = 0; r < perRow.length; r++) {
            if (w[r] != 0) {
                perRow[r] = -w[r] * logProbs.data()[r * cols + targets[r]];
            }
        }
        int[] t = targets.clone();
        return reduced(op, logProbs, perRow, w, reduction, (rowScale, gx) -> {
            for (int r = 0; r < rowScale.length; r++) {
                if (rowScale[r] != 0) {
                    gx[r * cols + t[r]] -= rowScale[r];
                }
            }
        });
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

    /** Adds the input gradient given each row's scale dL/dloss_r * w_r (already divided for the mean). */
    @FunctionalInterface
    private interface RowGradient {
        void addInto(double[] rowScale, double[] inputGrad);
    }

    /** Per-row weights: the target's class weight, or 0 for an ignored row; validates targets. */
    private static double[] rowWeights(String op, Tensor input, int[] targets, double[] classWeights,
            int ignoreIndex) {
        int classes = input.cols();
        if (targets.length != input.rows()) {
            throw new IllegalArgumentException(op + ": " + targets.length + " targets for " + input.shape()
                    + " scores; give one target per row");
        }
        if (classWeights != null && classWeights.length != classes) {
            throw new IllegalArgumentException(op + ": " + classWeights.length + " class weights for "
                    + classes + " classes; give one weight per class");
        }
        double[] w = new double[targets.length];
        for (int r = 0; r < targets.length; r++) {
            int t = targets[r];
            if (t == ignoreIndex) {
                continue;
            }
            if (t < 0 || t >= classes) {
                throw new IllegalArgumentException(op + ": target " + t + " at row " + r + " is outside [0, "
                        + classes + ") and is not the ignore index " + ignoreIndex);
            }
            w[r] = classWeights == null ? 1.0 : classWeights[t];
        }
        return w;
    }

    /** Builds the reduced loss tensor over per-row losses and records its backward. */
    private static Tensor reduced(String op, Tensor input, double[] perRow, double[] w, Reduction reduction,
            RowGradient gradient) {
        double total = 0;
        double weight = 0;
        for (int r = 0; r < perRow.length; r++) {
            total += perRow[r];
            weight += w[r];
        }
        double divisor = reduction == Reduction.MEAN && weight > 0 ? weight : 1.0;
        Tensor out = reduction == Reduction.NONE
                ? new Tensor(new DMatrixRMaj(perRow.length, 1, true, perRow))
                : Tensor.scalar(reduction == Reduction.MEAN && weight == 0 ? 0.0 : total / divisor);
        Tape tape = Tape.recording(input);
        if (tape != null) {
            tape.add(op, out, input, g -> {
                double[] rowScale = new double[perRow.length];
                for (int r = 0; r < rowScale.length; r++) {
                    double upstream = reduction == Reduction.NONE ? g.data[r] : g.data[0] / divisor;
                    rowScale[r] = upstream * w[r];
                }
                gradient.addInto(rowScale, input.gradBuffer().data);
            });
        }
        return out;
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
        double[] p = prediction.data();
        double[] y = target.data();
        double[] sq = new double[p.length];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            double d = p[i] - y[i];
            sq[i] = d * d;
            total += sq[i];
        }
        double divisor = reduction == Reduction.MEAN ? p.length : 1.0;
        Tensor out = reduction == Reduction.NONE
                ? new Tensor(new DMatrixRMaj(prediction.rows(), prediction.cols(), true, sq))
                : Tensor.scalar(total / divisor);
        Tape tape = Tape.recording(prediction, target);
        if (tape != null) {
            tape.add("mse", out, prediction, target, g -> {
                double[] gp = prediction.requiresGrad() ? prediction.gradBuffer().data : null;
                double[] gy = target.requiresGrad() ? target.gradBuffer().data : null;
                for (int i = 0; i < p.length; i++) {
                    double upstream = reduction == Reduction.NONE ? g.data[i] : g.data[0] / divisor;
                    double d = 2.0 * (p[i] - y[i]) * upstream;
                    if (gp != null) {
                        gp[i] += d;
                    }
                    if (gy != null) {
                        gy[i] -= d;
                    }
                }
            });
        }
        return out;
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
        double[] x = logits.data();
        double[] y = targets.data();
        double[] losses = new double[x.length];
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            losses[i] = Math.max(x[i], 0) - x[i] * y[i] + Math.log1p(Math.exp(-Math.abs(x[i])));
            total += losses[i];
        }
        double divisor = reduction == Reduction.MEAN ? x.length : 1.0;
        Tensor out = reduction == Reduction.NONE
                ? new Tensor(new DMatrixRMaj(logits.rows(), logits.cols(), true, losses))
                : Tensor.scalar(total / divisor);
        Tape tape = Tape.recording(logits);
        if (tape != null) {
            tape.add("binaryCrossEntropyWithLogits", out, logits, g -> {
                double[] gx = logits.gradBuffer().data;
                for (int i = 0; i < x.length; i++) {
                    double upstream = reduction == Reduction.NONE ? g.data[i] : g.data[0] / divisor;
                    gx[i] += (ElementwiseOps.sigmoid(x[i]) - y[i]) * upstream;
                }
            });
        }
        return out;
    }
}
