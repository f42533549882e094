package dev.unroll.autograd;

/**
 * Softmax and log-softmax along each row, computed with the row maximum subtracted so that large
 * logits do not overflow.
 */
public final class SoftmaxOps {

    private SoftmaxOps() {
    }

    /**
     * Softmax of each row: s_j = e^(x_j) / sum_k e^(x_k). Gradient, per row:
     * dL/dx_j = s_j (dL/ds_j - sum_k dL/ds_k s_k).
     *
     * @param x logits, rows x classes
     * @return probabilities, each row summing to 1
     */
    public static Tensor softmax(Tensor x) {
        Tensor out = Tensor.zeros(x.rows(), x.cols());
        int cols = x.cols();
        double[] o = out.data();
        for (int r = 0; r < x.rows(); r++) {
            softmaxRow(x.data(), o, r * cols, cols);
        }
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add("softmax", out, x, g -> {
                double[] gx = x.gradBuffer().data;
                for (int r = 0; r < x.rows(); r++) {
                    int base = r * cols;
                    double dot = 0;
                    for (int c = 0; c < cols; c++) {
                        dot += g.data[base + c] * o[base + c];
                    }
                    for (int c = 0; c < cols; c++) {
                        gx[base + c] += o[base + c] * (g.data[base + c] - dot);
                    }
                }
            });
        }
        return out;
    }

    /**
     * Log-softmax of each row: x_j - log sum_k e^(x_k). Gradient, per row:
     * dL/dx_j = dL/dy_j - s_j sum_k dL/dy_k, with s the softmax.
     *
     * @param x logits, rows x classes
     * @return log-probabilities
     */
    public static Tensor logSoftmax(Tensor x) {
        Tensor out = Tensor.zeros(x.rows(), x.cols());
        int cols = x.cols();
        double[] xv = x.data();
        double[] o = out.data();
        for (int r = 0; r < x.rows(); r++) {
            int base = r * cols;
            double lse = logSumExp(xv, base, cols);
            for (int c = 0; c < cols; c++) {
                o[base + c] = xv[base + c] - lse;
            }
        }
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add("logSoftmax", out, x, g -> {
                double[] gx = x.gradBuffer().data;
                for (int r = 0; r < x.rows(); r++) {
                    int base = r * cols;
                    double total = 0;
                    for (int c = 0; c < cols; c++) {
                        total += g.data[base + c];
                    }
                    for (int c = 0; c < cols; c++) {
                        gx[base + c] += g.data[base + c] - Math.exp(o[base + c]) * total;
                    }
                }
            });
        }
        return out;
    }

    /** Writes the softmax of {@code in[base, base + n)} into {@code out[base, base + n)}. */
    static void softmaxRow(double[] in, double[] out, int base, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            max = Math.max(max, in[base + c]);
        }
        double sum = 0;
        for (int c = 0; c < n; c++) {
            double e = Math.exp(in[base + c] - max);
            out[base + c] = e;
            sum += e;
        }
        double inv = 1.0 / sum;
        for (int c = 0; c < n; c++) {
            out[base + c] *= inv;
        }
    }

    /** log sum_c e^(in[base + c]) over n values, stable for large inputs. */
    static double logSumExp(double[] in, int base, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            max = Math.max(max, in[base + c]);
        }
        double sum = 0;
        for (int c = 0; c < n; c++) {
            sum += Math.exp(in[base + c] - max);
        }
        return max + Math.log(sum);
    }
}
