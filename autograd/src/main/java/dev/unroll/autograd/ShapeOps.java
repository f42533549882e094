package dev.unroll.autograd;

import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Concatenating, slicing and indexing: ops that move elements without arithmetic. Their
 * gradients route dL/dout back to where each element came from (slicing columns is how the LSTM
 * gates are split; gathering rows is an embedding lookup, whose gradient scatter-adds).
 */
public final class ShapeOps {

    private ShapeOps() {
    }

    /**
     * Concatenates tensors side by side: every part has the same number of rows; the output has
     * the sum of their columns. Gradient: each part receives its block of columns of dL/dout.
     *
     * @param parts the tensors, left to right
     * @return rows x (sum of cols)
     */
    public static Tensor concatCols(List<? extends Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concatCols: no tensors to concatenate");
        }
        Tensor[] copy = parts.toArray(new Tensor[0]);
        int rows = copy[0].rows();
        int cols = 0;
        for (Tensor p : copy) {
            if (p.rows() != rows) {
                throw new IllegalArgumentException("concatCols: " + copy[0].shape() + " and " + p.shape()
                        + " have different numbers of rows (" + rows + " and " + p.rows() + ")");
            }
            DType.common("concatCols", copy[0], p);
            cols += p.cols();
        }
        return copy[0].isF32() ? ShapeF32.concatCols(copy, rows, cols) : ShapeF64.concatCols(copy, rows, cols);
    }

    /**
     * Concatenates tensors one below the other: every part has the same number of columns; the
     * output has the sum of their rows. Gradient: each part receives its block of rows of dL/dout.
     *
     * @param parts the tensors, top to bottom
     * @return (sum of rows) x cols
     */
    public static Tensor concatRows(List<? extends Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concatRows: no tensors to concatenate");
        }
        Tensor[] copy = parts.toArray(new Tensor[0]);
        int cols = copy[0].cols();
        int rows = 0;
        for (Tensor p : copy) {
            if (p.cols() != cols) {
                throw new IllegalArgumentException("concatRows: " + copy[0].shape() + " and " + p.shape()
                        + " have different numbers of columns (" + cols + " and " + p.cols() + ")");
            }
            DType.common("concatRows", copy[0], p);
            rows += p.rows();
        }
        return copy[0].isF32() ? ShapeF32.concatRows(copy, rows, cols) : ShapeF64.concatRows(copy, rows, cols);
    }

    /**
     * Columns {@code from} (inclusive) to {@code to} (exclusive). Gradient: dL/dout is added into
     * those columns of dL/dx; the others get nothing.
     *
     * @param x the input
     * @param from first column
     * @param to one past the last column
     * @return rows x (to - from)
     */
    public static Tensor sliceCols(Tensor x, int from, int to) {
        if (from < 0 || to > x.cols() || from >= to) {
            throw new IllegalArgumentException("sliceCols: columns [" + from + ", " + to + ") of a " + x.shape()
                    + " tensor; need 0 <= from < to <= " + x.cols());
        }
        return x.isF32() ? ShapeF32.sliceCols(x, from, to) : ShapeF64.sliceCols(x, from, to);
    }

    /**
     * Rows {@code from} (inclusive) to {@code to} (exclusive). Gradient: dL/dout is added into
     * those rows of dL/dx.
     *
     * @param x the input
     * @param from first row
     * @param to one past the last row
     * @return (to - from) x cols
     */
    public static Tensor sliceRows(Tensor x, int from, int to) {
        if (from < 0 || to > x.rows() || from >= to) {
            throw new IllegalArgumentException("sliceRows: rows [" + from + ", " + to + ") of a " + x.shape()
                    + " tensor; need 0 <= from < to <= " + x.rows());
        }
        return x.isF32() ? ShapeF32.sliceRows(x, from, to) : ShapeF64.sliceRows(x, from, to);
    }

    /**
     * Gathers rows of {@code table} by index: output row i is {@code table[indices[i]]}, an
     * embedding lookup. Gradient: scatter-add, dL/dtable[indices[i]] += dL/dout[i], so a row
     * gathered twice receives both contributions.
     *
     * @param table the table, n x d
     * @param indices row indices in [0, n)
     * @return indices.length x d
     */
    public static Tensor gatherRows(Tensor table, int[] indices) {
        return gatherRows(table, indices, -1);
    }

    /**
     * Gathers rows like {@link #gatherRows(Tensor, int[])}, except that row {@code frozenRow} of
     * the table receives no gradient, as the padding row of PyTorch's {@code embedding(input,
     * weight, padding_idx)}: where it is gathered, the output holds its values as they are, but
     * the backward step adds nothing into it.
     *
     * @param table the table, n x d
     * @param indices row indices in [0, n)
     * @param frozenRow the row that gets no gradient, or a negative value for none
     * @return indices.length x d
     */
    public static Tensor gatherRows(Tensor table, int[] indices, int frozenRow) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("gatherRows: no indices; pass at least one row index");
        }
        for (int i = 0; i < indices.length; i++) {
            int row = indices[i];
            if (row < 0 || row >= table.rows()) {
                throw new IllegalArgumentException("gatherRows: index " + row + " at position " + i
                        + " is outside the table's rows [0, " + table.rows() + ")");
            }
        }
        int[] rows = indices.clone();
        return table.isF32() ? ShapeF32.gatherRows(table, rows, frozenRow) : ShapeF64.gatherRows(table, rows, frozenRow);
    }

    /**
     * Chooses each row from one of two tensors of the same shape: row r of the output is row r
     * of {@code first} where {@code fromFirst[r]}, else row r of {@code second}. This is how a
     * padded timestep keeps the previous state. Gradient: each row of dL/dout goes to the tensor
     * it came from.
     *
     * @param fromFirst one flag per row
     * @param first rows taken where the flag is true
     * @param second rows taken where it is false
     * @return the chosen rows
     */
    public static Tensor selectRows(boolean[] fromFirst, Tensor first, Tensor second) {
        if (!first.sameShape(second) || fromFirst.length != first.rows()) {
            throw new IllegalArgumentException("selectRows: " + fromFirst.length + " flags for " + first.shape()
                    + " and " + second.shape() + "; both tensors need the same shape and one flag per row");
        }
        boolean[] flags = fromFirst.clone();
        return DType.common("selectRows", first, second) == DType.F32 ? ShapeF32.selectRows(flags, first, second)
                : ShapeF64.selectRows(flags, first, second);
    }

    /**
     * One-hot encoding: row i has a 1 in column {@code indices[i]} and 0 elsewhere. A constant
     * (it has no gradient).
     *
     * @param indices class indices in [0, classes)
     * @param classes the number of classes (columns)
     * @return indices.length x classes
     */
    public static Tensor oneHot(int[] indices, int classes) {
        if (indices.length == 0 || classes <= 0) {
            throw new IllegalArgumentException("oneHot: " + indices.length + " indices and " + classes
                    + " classes; need at least one of each");
        }
        DMatrixRMaj m = new DMatrixRMaj(indices.length, classes);
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= classes) {
                throw new IllegalArgumentException("oneHot: index " + indices[i] + " at position " + i
                        + " is outside [0, " + classes + ")");
            }
            m.data[i * classes + indices[i]] = 1.0;
        }
        return new Tensor(m);
    }
}
