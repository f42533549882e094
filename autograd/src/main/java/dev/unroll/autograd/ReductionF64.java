package dev.unroll.autograd;

/**
 * The float64 forward and backward of {@link ReductionOps} (the float32 twin is derived by the
 * build): sums over everything, over rows or over columns, each scaled by a factor (1 for a sum,
 * 1/n for a mean).
 */
final class ReductionF64 {

    private ReductionF64() {
    }

    /** factor * sum(x), 1x1; dL/dx = factor * dL/dout everywhere. */
    static Tensor total(String op, Tensor x, double factor) {
        Tensor out = Tensor.empty(DType.F64, 1, 1);
        out.data()[0] = (double) (WideSums.of(x.data()) * factor);
        return Tape.record(op, out, x, () -> {
            double d = out.gradData()[0] * factor;
            double[] gx = x.gradData();
            for (int i = 0; i < gx.length; i++) {
                gx[i] += d;
            }
        });
    }

    /** factor * the column sums of x, 1 x cols; dL/dx[r][c] = factor * dL/dout[c]. */
    static Tensor overRows(String op, Tensor x, double factor) {
        int rows = x.rows();
        int cols = x.cols();
        Tensor out = Tensor.zeros(DType.F64, 1, cols);
        double[] o = out.data();
        addColumnSums(x.data(), rows, cols, o);
        for (int c = 0; c < cols; c++) {
            o[c] *= factor;
        }
        return Tape.record(op, out, x, () -> {
            double[] g = out.gradData();
            double[] gx = x.gradData();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    gx[r * cols + c] += g[c] * factor;
                }
            }
        });
    }

    /** factor * the row sums of x, rows x 1; dL/dx[r][c] = factor * dL/dout[r]. */
    static Tensor overCols(String op, Tensor x, double factor) {
        int rows = x.rows();
        int cols = x.cols();
        Tensor out = Tensor.empty(DType.F64, rows, 1);
        double[] xv = x.data();
        double[] o = out.data();
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += xv[r * cols + c];
            }
            o[r] = s * factor;
        }
        return Tape.record(op, out, x, () -> {
            double[] g = out.gradData();
            double[] gx = x.gradData();
            for (int r = 0; r < rows; r++) {
                double d = g[r] * factor;
                for (int c = 0; c < cols; c++) {
                    gx[r * cols + c] += d;
                }
            }
        });
    }

    /** target[c] += sum over rows of m[r][c], m being rows x cols row-major: a bias's gradient. */
    static void addColumnSums(double[] m, int rows, int cols, double[] target) {
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                target[c] += m[base + c];
            }
        }
    }
}
