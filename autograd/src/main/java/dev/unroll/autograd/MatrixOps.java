package dev.unroll.autograd;


/**
 * Matrix products and transpose. Shapes and precisions are checked here; forward and backward
 * are written side by side in {@code MatrixF64} (the float32 twin is derived by the build).
 * Backward uses transposed and accumulating products instead of materialised transposes; every
 * product goes through one internal kernel seam.
 */
public final class MatrixOps {

    private MatrixOps() {
    }

    /**
     * Matrix product {@code a b}: (n x k)(k x m) = n x m. Gradient: dL/da = dL/dout b^T,
     * dL/db = a^T dL/dout.
     *
     * @param a left factor, n x k
     * @param b right factor, k x m
     * @return a b
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException("matmul: " + a.shape() + " times " + b.shape()
                    + ": inner dimensions " + a.cols() + " and " + b.rows() + " differ");
        }
        return product("matmul", a, false, b, false, a.rows(), b.cols());
    }

    /**
     * Product with the right factor transposed {@code a b^T}: (n x k)(m x k)^T = n x m, the
     * shape of {@code x W^T} with a weight stored out x in. Gradient: dL/da = dL/dout b,
     * dL/db = dL/dout^T a.
     *
     * @param a left factor, n x k
     * @param b right factor, m x k
     * @return a b^T
     */
    public static Tensor matmulTransB(Tensor a, Tensor b) {
        if (a.cols() != b.cols()) {
            throw new IllegalArgumentException("matmulTransB: " + a.shape() + " times (" + b.shape()
                    + ")^T: inner dimensions " + a.cols() + " and " + b.cols() + " differ");
        }
        return product("matmulTransB", a, false, b, true, a.rows(), b.rows());
    }

    /**
     * Product with the left factor transposed {@code a^T b}: (k x n)^T (k x m) = n x m.
     * Gradient: dL/da = b dL/dout^T, dL/db = a dL/dout.
     *
     * @param a left factor, k x n
     * @param b right factor, k x m
     * @return a^T b
     */
    public static Tensor matmulTransA(Tensor a, Tensor b) {
        if (a.rows() != b.rows()) {
            throw new IllegalArgumentException("matmulTransA: (" + a.shape() + ")^T times " + b.shape()
                    + ": inner dimensions " + a.rows() + " and " + b.rows() + " differ");
        }
        return product("matmulTransA", a, true, b, false, a.cols(), b.cols());
    }

    /**
     * The affine map of a linear layer, {@code x W^T + bias}, fused into one op with the bias
     * broadcast over the rows: x is batch x in, W is out x in (PyTorch's layout), bias 1 x out.
     * Gradient: dL/dx = dL/dout W, dL/dW = dL/dout^T x, dL/dbias = column sums of dL/dout.
     *
     * @param x input, batch x in
     * @param weight weight, out x in
     * @param bias bias, 1 x out, or {@code null} for none
     * @return x W^T + bias, batch x out
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return affine("linear", null, x, weight, bias);
    }

    /**
     * The affine map of a one-hot input, {@code onehot(indices) W^T + bias}, without building the
     * one-hot matrix: row r of the output is column {@code indices[r]} of W plus the bias, so an
     * RNN fed one-hot characters costs a copy instead of a product. Gradient: dL/dW[:, indices[r]]
     * += dL/dout[r] (scatter-add), dL/dbias = column sums of dL/dout.
     *
     * @param indices one class index per row, in [0, W.cols)
     * @param weight weight, out x classes
     * @param bias bias, 1 x out, or {@code null} for none
     * @return indices.length x out
     */
    public static Tensor linearOfOneHot(int[] indices, Tensor weight, Tensor bias) {
        if (bias != null && (bias.rows() != 1 || bias.cols() != weight.rows())) {
            throw new IllegalArgumentException("linearOfOneHot: bias " + bias.shape() + " does not fit weight "
                    + weight.shape() + "; the bias must be 1x" + weight.rows());
        }
        if (bias != null) {
            DType.common("linearOfOneHot", weight, bias);
        }
        int classes = weight.cols();
        int[] ids = indices.clone();
        for (int r = 0; r < ids.length; r++) {
            if (ids[r] < 0 || ids[r] >= classes) {
                throw new IllegalArgumentException("linearOfOneHot: index " + ids[r] + " at row " + r
                        + " is outside [0, " + classes + ") for weight " + weight.shape());
            }
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException("linearOfOneHot: no indices; pass at least one class index");
        }
        return weight.isF32() ? MatrixF32.linearOfOneHot(ids, weight, bias) : MatrixF64.linearOfOneHot(ids, weight, bias);
    }

    /**
     * An affine map added to a tensor, {@code base + x W^T + bias}, in one op: the recurrent
     * step of an RNN adds the hidden-to-hidden product to the input projection computed for all
     * timesteps at once. Gradient: dL/dbase = dL/dout, the rest as {@link #linear}.
     *
     * @param base the addend, batch x out
     * @param x input, batch x in
     * @param weight weight, out x in
     * @param bias bias, 1 x out, or {@code null} for none
     * @return base + x W^T + bias, batch x out
     */
    public static Tensor addLinear(Tensor base, Tensor x, Tensor weight, Tensor bias) {
        if (base.rows() != x.rows() || base.cols() != weight.rows()) {
            throw new IllegalArgumentException("addLinear: base " + base.shape() + " does not match the product of input "
                    + x.shape() + " and weight " + weight.shape() + "; it must be " + x.rows() + "x" + weight.rows());
        }
        return affine("addLinear", base, x, weight, bias);
    }

    private static Tensor affine(String op, Tensor base, Tensor x, Tensor weight, Tensor bias) {
        if (x.cols() != weight.cols()) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " and weight " + weight.shape()
                    + " (out x in): the input has " + x.cols() + " features but the weight expects " + weight.cols());
        }
        if (bias != null && (bias.rows() != 1 || bias.cols() != weight.rows())) {
            throw new IllegalArgumentException(op + ": bias " + bias.shape() + " does not fit weight "
                    + weight.shape() + "; the bias must be 1x" + weight.rows());
        }
        DType dtype = DType.common(op, x, weight);
        if (bias != null) {
            DType.common(op, x, bias);
        }
        if (base != null) {
            DType.common(op, base, x);
        }
        return dtype == DType.F32 ? MatrixF32.affine(op, base, x, weight, bias) : MatrixF64.affine(op, base, x, weight, bias);
    }

    private static Tensor product(String op, Tensor a, boolean transA, Tensor b, boolean transB, int rows, int cols) {
        return DType.common(op, a, b) == DType.F32 ? MatrixF32.product(op, a, transA, b, transB, rows, cols)
                : MatrixF64.product(op, a, transA, b, transB, rows, cols);
    }

    /**
     * Transpose: n x m becomes m x n. Gradient: dL/dx = (dL/dout)^T.
     *
     * @param x the input
     * @return x^T
     */
    public static Tensor transpose(Tensor x) {
        return x.isF32() ? MatrixF32.transpose(x) : MatrixF64.transpose(x);
    }
}
