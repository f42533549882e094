package dev.unroll.autograd;

import dev.unroll.autograd.internal.Activations;
import org.ejml.data.DMatrixRMaj;

/**
 * The float64 forward and backward of {@link LossOps} (the float32 twin is derived by the
 * build). Targets, class weights and shapes are checked by {@link LossOps} before these run.
 */
final class LossF64 {

    private LossF64() {
    }

    /** Adds the input gradient given each row's scale dL/dloss_r * w_r (already divided for the mean). */
    @FunctionalInterface
    private interface RowGradientF64 {
        void addInto(double[] rowScale, double[] inputGrad);
    }

    /** Per-row weights: the target's class weight, or 0 for an ignored row. */
    private static double[] rowWeights(int[] targets, double[] classWeights, int ignoreIndex) {
        double[] w = new double[targets.length];
        for (int r = 0; r < targets.length; r++) {
            int t = targets[r];
            if (t != ignoreIndex) {
                w[r] = classWeights == null ? 1 : classWeights[t];
            }
        }
        return w;
    }

    /** loss_r = w_t (log sum_j e^(x_rj) - x_rt); dL/dx_rj = dL/dloss_r w_t (softmax(x_r)_j - [j = t]). */
    static Tensor softmaxCrossEntropy(Tensor logits, int[] targets, double[] classWeights, Reduction reduction,
            int ignoreIndex) {
        double[] w = rowWeights(targets, classWeights, ignoreIndex);
        int rows = logits.rows();
        int cols = logits.cols();
        double[] x = logits.data();
        double[] probs = Storage.scratch(x.length);
        double[] perRow = new double[rows];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            SoftmaxF64.softmaxRow(x, probs, base, cols);
            if (w[r] != 0) {
                perRow[r] = w[r] * (SoftmaxF64.logSumExp(x, base, cols) - x[base + targets[r]]);
            }
        }
        return reduced("softmaxCrossEntropy", logits, perRow, w, reduction, (rowScale, gx) -> {
            for (int r = 0; r < rows; r++) {
                double s = rowScale[r];
                if (s == 0) {
                    continue;
                }
                int base = r * cols;
                for (int c = 0; c < cols; c++) {
                    gx[base + c] += s * probs[base + c];
                }
                gx[base + targets[r]] -= s;
            }
        });
    }

    /** loss_r = -w_t logp_rt; dL/dlogp_rt = -dL/dloss_r w_t. */
    static Tensor nllLoss(Tensor logProbs, int[] targets, double[] classWeights, Reduction reduction, int ignoreIndex) {
        double[] w = rowWeights(targets, classWeights, ignoreIndex);
        int cols = logProbs.cols();
        double[] lp = logProbs.data();
        double[] perRow = new double[logProbs.rows()];
        for (int r = 0; r < perRow.length; r++) {
            if (w[r] != 0) {
                perRow[r] = -w[r] * lp[r * cols + targets[r]];
            }
        }
        return reduced("nllLoss", logProbs, perRow, w, reduction, (rowScale, gx) -> {
            for (int r = 0; r < rowScale.length; r++) {
                if (rowScale[r] != 0) {
                    gx[r * cols + targets[r]] -= rowScale[r];
                }
            }
        });
    }

    /** The reduced loss over per-row losses (the mean divides by the total weight; 0 when all are ignored). */
    private static Tensor reduced(String op, Tensor input, double[] perRow, double[] w, Reduction reduction,
            RowGradientF64 gradient) {
        double weight = (double) WideSums.of(w);
        double divisor = reduction == Reduction.MEAN && weight > 0 ? weight : 1;
        Tensor out;
        if (reduction == Reduction.NONE) {
            out = new Tensor(new DMatrixRMaj(perRow.length, 1, true, perRow));
        } else {
            out = Tensor.empty(DType.F64, 1, 1);
            out.data()[0] = reduction == Reduction.MEAN && weight == 0 ? 0 : (double) (WideSums.of(perRow) / divisor);
        }
        return Tape.record(op, out, input, () -> {
            double[] g = out.gradData();
            double[] rowScale = new double[perRow.length];
            for (int r = 0; r < rowScale.length; r++) {
                double upstream = reduction == Reduction.NONE ? g[r] : g[0] / divisor;
                rowScale[r] = upstream * w[r];
            }
            gradient.addInto(rowScale, input.gradData());
        });
    }

    /** (p - y)^2 per element, reduced; dL/dp = 2 (p - y) dL/dout, dL/dy = -dL/dp. */
    static Tensor mse(Tensor prediction, Tensor target, Reduction reduction) {
        double[] p = prediction.data();
        double[] y = target.data();
        double[] sq = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double d = p[i] - y[i];
            sq[i] = d * d;
        }
        double divisor = reduction == Reduction.MEAN ? p.length : 1;
        Tensor out = elementwiseOrTotal(prediction, sq, reduction, divisor);
        return Tape.record("mse", out, prediction, target, () -> {
            double[] g = out.gradData();
            double[] gp = prediction.requiresGrad() ? prediction.gradData() : null;
            double[] gy = target.requiresGrad() ? target.gradData() : null;
            for (int i = 0; i < p.length; i++) {
                double upstream = reduction == Reduction.NONE ? g[i] : g[0] / divisor;
                double d = 2 * (p[i] - y[i]) * upstream;
                if (gp != null) {
                    gp[i] += d;
                }
                if (gy != null) {
                    gy[i] -= d;
                }
            }
        });
    }

    /** max(x, 0) - x y + log(1 + e^-|x|) per element, reduced; dL/dx = (sigmoid(x) - y) dL/dout. */
    static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Reduction reduction) {
        double[] x = logits.data();
        double[] y = targets.data();
        double[] losses = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            losses[i] = Math.max(x[i], 0) - x[i] * y[i] + (double) Math.log1p(Math.exp(-Math.abs(x[i])));
        }
        double divisor = reduction == Reduction.MEAN ? x.length : 1;
        Tensor out = elementwiseOrTotal(logits, losses, reduction, divisor);
        return Tape.record("binaryCrossEntropyWithLogits", out, logits, () -> {
            double[] g = out.gradData();
            double[] gx = logits.gradData();
            for (int i = 0; i < x.length; i++) {
                double upstream = reduction == Reduction.NONE ? g[i] : g[0] / divisor;
                gx[i] += ((double) Activations.sigmoid(x[i]) - y[i]) * upstream;
            }
        });
    }

    /** The per-element losses in the input's shape (none), or their sum divided by {@code divisor}. */
    private static Tensor elementwiseOrTotal(Tensor like, double[] losses, Reduction reduction, double divisor) {
        if (reduction == Reduction.NONE) {
            return new Tensor(new DMatrixRMaj(like.rows(), like.cols(), true, losses));
        }
        Tensor out = Tensor.empty(DType.F64, 1, 1);
        out.data()[0] = (double) (WideSums.of(losses) / divisor);
        return out;
    }
}
