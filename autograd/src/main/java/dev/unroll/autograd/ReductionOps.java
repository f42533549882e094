package dev.unroll.autograd;

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


    private static Tensor total(String op, Tensor x, double factor) {
        return x.isF32() ? ReductionF32.total(op, x, (float) factor) : ReductionF64.total(op, x, factor);
    }

    private static Tensor overRows(String op, Tensor x, double factor) {
        return x.isF32() ? ReductionF32.overRows(op, x, (float) factor) : ReductionF64.overRows(op, x, factor);
    }

    private static Tensor overCols(String op, Tensor x, double factor) {
        return x.isF32() ? ReductionF32.overCols(op, x, (float) factor) : ReductionF64.overCols(op, x, factor);
    }
}
