package dev.unroll.autograd;

/**
 * The float64 forward and backward of {@link SoftmaxOps}, and the row kernels the fused
 * cross-entropy shares (the float32 twin is derived by the build).
 */
final class SoftmaxF64 {

    private SoftmaxF64() {
    }

    /** Row-wise softmax; dL/dx = s * (dL/ds - sum(dL/ds * s)) per row. */
    static Tensor softmax(Tensor x) {
        int rows = x.rows();
        int cols = x.cols();
        Tensor out = Tensor.empty(DType.F64, rows, cols);
        double[] o = out.data();
        for (int r = 0; r < rows; r++) {
            softmaxRow(x.data(), o, r * cols, cols);
        }
        return Tape.record("softmax", out, x, () -> {
            double[] g = out.gradData();
            double[] gx = x.gradData();
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                double dot = 0;
                for (int c = 0; c < cols; c++) {
                    dot += g[base + c] * o[base + c];
                }
                for (int c = 0; c < cols; c++) {
                    gx[base + c] += o[base + c] * (g[base + c] - dot);
                }
            }
        });
    }

    /** Row-wise log-softmax; dL/dx = dL/dy - softmax(x) * sum(dL/dy) per row. */
    static Tensor logSoftmax(Tensor x) {
        int rows = x.rows();
        int cols = x.cols();
        Tensor out = Tensor.empty(DType.F64, rows, cols);
        double[] xv = x.data();
        double[] o = out.data();
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            double lse = logSumExp(xv, base, cols);
            for (int c = 0; c < cols; c++) {
                o[base + c] = xv[base + c] - lse;
            }
        }
        return Tape.record("logSoftmax", out, x, () -> {
            double[] g = out.gradData();
            double[] gx = x.gradData();
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                double total = 0;
                for (int c = 0; c < cols; c++) {
                    total += g[base + c];
                }
                for (int c = 0; c < cols; c++) {
                    gx[base + c] += g[base + c] - (double) Math.exp(o[base + c]) * total;
                }
            }
        });
    }

    /** Writes the softmax of {@code in[base, base + n)} into {@code out[base, base + n)}. */
    static void softmaxRow(double[] in, double[] out, int base, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            max = Math.max(max, in[base + c]);
        }
        double sum = 0;
        for (int c = 0; c < n; c++) {
            double e = (double) Math.exp(in[base + c] - max);
            out[base + c] = e;
            sum += e;
        }
        double inv = 1 / sum;
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
            sum += (double) Math.exp(in[base + c] - max);
        }
        return max + (double) Math.log(sum);
    }
}
