package dev.unroll.autograd;

import org.ejml.data.DMatrixRMaj;

/**
 * Sums and means over all elements, over the rows (the batch) and over the columns (the
 * features). The gradient of a reduction copies dL/dout back to every element that was summed,
 * divided by the count for a mean.
 */
public final class ReductionOps {

    private ReductionOps() {
    }

    /**
     * Sum of all elements. Gradient: dL/dx = dL/dout at every element.
     *
     * @param x the input
     * @return a 1x1 tensor
     */
    public static Tensor sum(Tensor x) {
        return total("sum", x, 1.0);
    }

    /**
     * Mean of all elements. Gradient: dL/dx = dL/dout / (rows * cols) at every element.
     *
     * @param x the input
     * @return a 1x1 tensor
     */
    public static Tensor mean(Tensor x) {
        return total("mean", x, 1.0 / x.size());
    }

    private static Tensor total(String op, Tensor x, double factor) {
        double s = 0;
        for (double v : x.data()) {
            s += v;
        }
        Tensor out = Tensor.scalar(s * factor);
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add(op, out, x, g -> {
                double d = g.data[0] * factor;
                double[] gx = x.gradBuffer().data;
                for (int i = 0; i < gx.length; i++) {
                    gx[i] += d;
                }
            });
        }
        return out;
    }

    /**
     * Sum over the rows (PyTorch's {@code sum(dim=0)}): collapses the batch, one sum per column.
     * Gradient: dL/dx[r][c] = dL/dout[c].
     *
     * @param x the input, rows x cols
     * @return a 1 x cols tensor
     */
    public static Tensor sumOverRows(Tensor x) {
        return overRows("sumOverRows", x, 1.0);
    }

    /**
     * Mean over the rows (PyTorch's {@code mean(dim=0)}). Gradient: dL/dx[r][c] = dL/dout[c] / rows.
     *
     * @param x the input, rows x cols
     * @return a 1 x cols tensor
     */
    public static Tensor meanOverRows(Tensor x) {
        return overRows("meanOverRows", x, 1.0 / x.rows());
    }

    private static Tensor overRows(String op, Tensor x, double factor) {
        Tensor out = Tensor.zeros(1, x.cols());
        addColumnSums(x.value(), out.data());
        if (factor != 1.0) {
            double[] o = out.data();
            for (int c = 0; c < o.length; c++) {
                o[c] *= factor;
            }
        }
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add(op, out, x, g -> {
                double[] gx = x.gradBuffer().data;
                int cols = x.cols();
                for (int r = 0; r < x.rows(); r++) {
                    for (int c = 0; c < cols; c++) {
                        gx[r * cols + c] += g.data[c] * factor;
                    }
                }
            });
        }
        return out;
    }

    /**
     * Sum over the columns (PyTorch's {@code sum(dim=1, keepdim=True)}): one sum per row.
     * Gradient: dL/dx[r][c] = dL/dout[r].
     *
     * @param x the input, rows x cols
     * @return a rows x 1 tensor
     */
    public static Tensor sumOverCols(Tensor x) {
        return overCols("sumOverCols", x, 1.0);
    }

    /**
     * Mean over the columns (PyTorch's {@code mean(dim=1, keepdim=True)}).
     * Gradient: dL/dx[r][c] = dL/dout[r] / cols.
     *
     * @param x the input, rows x cols
     * @return a rows x 1 tensor
     */
    public static Tensor meanOverCols(Tensor x) {
        return overCols("meanOverCols", x, 1.0 / x.cols());
    }

    private static Tensor overCols(String op, Tensor x, double factor) {
        int cols = x.cols();
        Tensor out = Tensor.zeros(x.rows(), 1);
        double[] xv = x.data();
        double[] o = out.data();
        for (int r = 0; r < o.length; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += xv[r * cols + c];
            }
            o[r] = s * factor;
        }
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add(op, out, x, g -> {
                double[] gx = x.gradBuffer().data;
                for (int r = 0; r < o.length; r++) {
                    double d = g.data[r] * factor;
                    for (int c = 0; c < cols; c++) {
                        gx[r * cols + c] += d;
                    }
                }
            });
        }
        return out;
    }

    /** {@code target[c] += sum over r of m[r][c]}: the gradient of a bias broadcast over rows. */
    static void addColumnSums(DMatrixRMaj m, double[] target) {
        int cols = m.numCols;
        for (int r = 0; r < m.numRows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                target[c] += m.data[base + c];
            }
        }
    }
}
