package dev.unroll.autograd;

import dev.unroll.autograd.internal.Activations;
import org.ejml.data.DMatrixRMaj;

/**
 * The float64 forward and backward of {@link LossOps} (the float32 twin is derived by the
 * build). Targets, weights and shapes are checked by {@link LossOps} before these run.
 */
final class LossF64 {

    private LossF64() {
    }

    /** Adds the input gradient given each row's upstream dL/dloss_r (divided for the mean; 0 for an empty mean). */
    @FunctionalInterface
    private interface RowGradientF64 {
        void addInto(double[] rowUpstream, double[] inputGrad);
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

    private static double classWeight(double[] classWeights, int c) {
        return classWeights == null ? 1 : classWeights[c];
    }

    /**
     * loss_r = (1 - e) w_t (lse_r - x_rt) + (e / C) sum_c w_c (lse_r - x_rc), e the label
     * smoothing; dL/dx_rj = dL/dloss_r (p_rj ((1 - e) w_t + (e / C) sum_c w_c) - (1 - e) w_t [j = t] - (e / C) w_j).
     */
    static Tensor softmaxCrossEntropy(Tensor logits, int[] targets, double[] classWeights, Reduction reduction,
            int ignoreIndex, double smoothing) {
        double[] w = rowWeights(targets, classWeights, ignoreIndex);
        int rows = logits.rows();
        int cols = logits.cols();
        double[] x = logits.data();
        double[] probs = Storage.scratch(x.length);
        double[] perRow = new double[rows];
        double keep = 1 - smoothing;
        double spread = smoothing / cols;
        double allClasses = classWeights == null ? cols : (double) WideSums.of(classWeights);
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            SoftmaxF64.softmaxRow(x, probs, base, cols);
            if (targets[r] == ignoreIndex) {
                continue;
            }
            double lse = SoftmaxF64.logSumExp(x, base, cols);
            double loss = w[r] * (lse - x[base + targets[r]]);
            if (smoothing != 0) {
                double/*wide*/ smooth = 0;
                for (int c = 0; c < cols; c++) {
                    smooth += classWeight(classWeights, c) * (lse - x[base + c]);
                }
                loss = keep * loss + spread * (double) smooth;
            }
            perRow[r] = loss;
        }
        return reduced("softmaxCrossEntropy", logits, perRow, (double) WideSums.of(w), reduction, (u, gx) -> {
            for (int r = 0; r < rows; r++) {
                if (u[r] == 0 || targets[r] == ignoreIndex) {
                    continue;
                }
                int base = r * cols;
                double target = keep * w[r];
                double s = u[r] * (target + spread * allClasses);
                for (int c = 0; c < cols; c++) {
                    gx[base + c] += s * probs[base + c];
                }
                if (smoothing != 0) {
                    for (int c = 0; c < cols; c++) {
                        gx[base + c] -= u[r] * spread * classWeight(classWeights, c);
                    }
                }
                gx[base + targets[r]] -= u[r] * target;
            }
        });
    }

    /**
     * Probability targets y (soft labels), smoothed to q = (1 - e) y + e / C: loss_r =
     * sum_c w_c q_rc (lse_r - x_rc); dL/dx_rj = dL/dloss_r (p_rj sum_c w_c q_rc - w_j q_rj),
     * dL/dy_rc = -dL/dloss_r (1 - e) w_c (x_rc - lse_r). The mean divides by the rows.
     */
    static Tensor softmaxCrossEntropy(Tensor logits, Tensor targets, double[] classWeights, Reduction reduction,
            double smoothing) {
        int rows = logits.rows();
        int cols = logits.cols();
        double[] x = logits.data();
        double[] y = targets.data();
        double[] probs = Storage.scratch(x.length);
        double[] lse = new double[rows];
        double[] perRow = new double[rows];
        double keep = 1 - smoothing;
        double spread = smoothing / cols;
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            SoftmaxF64.softmaxRow(x, probs, base, cols);
            lse[r] = SoftmaxF64.logSumExp(x, base, cols);
            double/*wide*/ loss = 0;
            for (int c = 0; c < cols; c++) {
                loss += classWeight(classWeights, c) * (keep * y[base + c] + spread) * (lse[r] - x[base + c]);
            }
            perRow[r] = (double) loss;
        }
        double divisor = reduction == Reduction.MEAN ? rows : 1;
        Tensor out = rowsOrTotal(perRow, reduction, divisor);
        return Tape.record("softmaxCrossEntropy", out, logits, targets, () -> {
            double[] u = rowUpstream(out, rows, reduction, divisor);
            double[] gx = logits.requiresGrad() ? logits.gradData() : null;
            double[] gy = targets.requiresGrad() ? targets.gradData() : null;
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                if (gx != null) {
                    double/*wide*/ weighted = 0;
                    for (int c = 0; c < cols; c++) {
                        weighted += classWeight(classWeights, c) * (keep * y[base + c] + spread);
                    }
                    double s = u[r] * (double) weighted;
                    for (int c = 0; c < cols; c++) {
                        gx[base + c] += s * probs[base + c]
                                - u[r] * classWeight(classWeights, c) * (keep * y[base + c] + spread);
                    }
                }
                if (gy != null) {
                    for (int c = 0; c < cols; c++) {
                        gy[base + c] -= u[r] * keep * classWeight(classWeights, c) * (x[base + c] - lse[r]);
                    }
                }
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
        return reduced("nllLoss", logProbs, perRow, (double) WideSums.of(w), reduction, (u, gx) -> {
            for (int r = 0; r < u.length; r++) {
                double s = u[r] * w[r];
                if (s != 0) {
                    gx[r * cols + targets[r]] -= s;
                }
            }
        });
    }

    /**
     * The reduced loss over per-row losses of a class-target loss, recorded: the mean divides by
     * the total weight of the rows counted, and is 0 (with a zero gradient) when that is 0.
     */
    private static Tensor reduced(String op, Tensor input, double[] perRow, double weight, Reduction reduction,
            RowGradientF64 gradient) {
        double divisor = reduction == Reduction.MEAN ? weight : 1;
        Tensor out = rowsOrTotal(perRow, reduction, divisor);
        return Tape.record(op, out, input, () -> gradient.addInto(rowUpstream(out, perRow.length, reduction, divisor),
                input.gradData()));
    }

    /** The per-row losses as a column (none), or their sum divided by {@code divisor} (0 when it is 0). */
    private static Tensor rowsOrTotal(double[] perRow, Reduction reduction, double divisor) {
        if (reduction == Reduction.NONE) {
            return new Tensor(new DMatrixRMaj(perRow.length, 1, true, perRow));
        }
        Tensor out = Tensor.empty(DType.F64, 1, 1);
        out.data()[0] = divisor == 0 ? 0 : (double) (WideSums.of(perRow) / divisor);
        return out;
    }

    /** dL/dloss_r for each row: the output's gradient (none), or its share of the reduced one. */
    private static double[] rowUpstream(Tensor out, int rows, Reduction reduction, double divisor) {
        double[] g = out.gradData();
        double[] u = new double[rows];
        for (int r = 0; r < rows; r++) {
            u[r] = reduction == Reduction.NONE ? g[r] : divisor == 0 ? 0 : g[0] / divisor;
        }
        return u;
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

    /**
     * w [(1 - y) x + l softplus(-x)] per element with l = 1 + (pos_c - 1) y, reduced (without a
     * positive weight, max(x, 0) - x y + log(1 + e^-|x|)); dL/dx = w ((1 - y) - l sigmoid(-x))
     * dL/dout, which is w (sigmoid(x) - y) dL/dout without one.
     */
    static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets, double[] weight, double[] posWeight,
            Reduction reduction) {
        double[] x = logits.data();
        double[] y = targets.data();
        int cols = logits.cols();
        double[] losses = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double softplus = (double) Math.log1p(Math.exp(-Math.abs(x[i])));
            double loss = posWeight == null ? Math.max(x[i], 0) - x[i] * y[i] + softplus
                    : (1 - y[i]) * x[i] + (1 + (posWeight[i % cols] - 1) * y[i]) * (Math.max(-x[i], 0) + softplus);
            losses[i] = weight == null ? loss : weight[i] * loss;
        }
        double divisor = reduction == Reduction.MEAN ? x.length : 1;
        Tensor out = elementwiseOrTotal(logits, losses, reduction, divisor);
        return Tape.record("binaryCrossEntropyWithLogits", out, logits, () -> {
            double[] g = out.gradData();
            double[] gx = logits.gradData();
            for (int i = 0; i < x.length; i++) {
                double upstream = reduction == Reduction.NONE ? g[i] : g[0] / divisor;
                double d = posWeight == null ? (double) Activations.sigmoid(x[i]) - y[i]
                        : (1 - y[i]) - (1 + (posWeight[i % cols] - 1) * y[i]) * (double) Activations.sigmoid(-x[i]);
                gx[i] += (weight == null ? d : weight[i] * d) * upstream;
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
