package dev.unroll.autograd;

import dev.unroll.autograd.internal.Products;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Matrix products and transpose. Backward uses transposed and accumulating products instead of
 * materialised transposes; every product goes through one internal kernel seam.
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
        Tensor out = new Tensor(Tensor.newMatrix("matmul", a.rows(), b.cols()));
        Products.mult(a.value(), false, b.value(), false, out.value(), false);
        Tape tape = Tape.recording(a, b);
        if (tape != null) {
            tape.add("matmul", out, a, b, g -> {
                if (a.requiresGrad()) {
                    Products.mult(g, false, b.value(), true, a.gradBuffer(), true);
                }
                if (b.requiresGrad()) {
                    Products.mult(a.value(), true, g, false, b.gradBuffer(), true);
                }
            });
        }
        return out;
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
        Tensor out = new Tensor(Tensor.newMatrix("matmulTransB", a.rows(), b.rows()));
        Products.mult(a.value(), false, b.value(), true, out.value(), false);
        Tape tape = Tape.recording(a, b);
        if (tape != null) {
            tape.add("matmulTransB", out, a, b, g -> {
                if (a.requiresGrad()) {
                    Products.mult(g, false, b.value(), false, a.gradBuffer(), true);
                }
                if (b.requiresGrad()) {
                    Products.mult(g, true, a.value(), false, b.gradBuffer(), true);
                }
            });
        }
        return out;
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
        Tensor out = new Tensor(Tensor.newMatrix("matmulTransA", a.cols(), b.cols()));
        Products.mult(a.value(), true, b.value(), false, out.value(), false);
        Tape tape = Tape.recording(a, b);
        if (tape != null) {
            tape.add("matmulTransA", out, a, b, g -> {
                if (a.requiresGrad()) {
                    Products.mult(b.value(), false, g, true, a.gradBuffer(), true);
                }
                if (b.requiresGrad()) {
                    Products.mult(a.value(), false, g, false, b.gradBuffer(), true);
                }
            });
        }
        return out;
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
        int out = weight.rows();
        int classes = weight.cols();
        int[] ids = indices.clone();
        Tensor result = Tensor.zeros(ids.length, out);
        double[] o = result.data();
        double[] w = weight.data();
        for (int r = 0; r < ids.length; r++) {
            if (ids[r] < 0 || ids[r] >= classes) {
                throw new IllegalArgumentException("linearOfOneHot: index " + ids[r] + " at row " + r
                        + " is outside [0, " + classes + ") for weight " + weight.shape());
            }
            for (int j = 0; j < out; j++) {
                o[r * out + j] = w[j * classes + ids[r]] + (bias == null ? 0.0 : bias.data()[j]);
            }
        }
        Tape tape = bias == null ? Tape.recording(weight) : Tape.recording(weight, bias);
        if (tape != null) {
            Backward step = g -> {
                if (weight.requiresGrad()) {
                    double[] gw = weight.gradBuffer().data;
                    for (int r = 0; r < ids.length; r++) {
                        for (int j = 0; j < out; j++) {
                            gw[j * classes + ids[r]] += g.data[r * out + j];
                        }
                    }
                }
                if (bias != null && bias.requiresGrad()) {
                    ReductionOps.addColumnSums(g, bias.gradBuffer().data);
                }
            };
            tape.add("linearOfOneHot", result, bias == null ? List.of(weight) : List.of(weight, bias), step);
        }
        return result;
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
        Tensor out = new Tensor(Tensor.newMatrix(op, x.rows(), weight.rows()));
        DMatrixRMaj o = out.value();
        if (base != null) {
            System.arraycopy(base.data(), 0, o.data, 0, o.data.length);
        }
        if (bias != null) {
            double[] bv = bias.data();
            for (int r = 0; r < o.numRows; r++) {
                int row = r * o.numCols;
                for (int c = 0; c < o.numCols; c++) {
                    o.data[row + c] += bv[c];
                }
            }
        }
        Products.mult(x.value(), false, weight.value(), true, o, base != null || bias != null);
        List<Tensor> inputs = base == null ? null : bias == null ? List.of(base, x, weight) : List.of(base, x, weight, bias);
        Tape tape = inputs == null ? Tape.recording(x, weight, bias) : Tape.recording(inputs);
        if (tape != null) {
            Backward step = g -> {
                if (base != null && base.requiresGrad()) {
                    ElementwiseOps.axpy(1.0, g.data, base.gradBuffer().data);
                }
                if (x.requiresGrad()) {
                    Products.mult(g, false, weight.value(), false, x.gradBuffer(), true);
                }
                if (weight.requiresGrad()) {
                    WeightGradients.addTransposedProduct(weight, g, x.value());
                }
                if (bias != null && bias.requiresGrad()) {
                    ReductionOps.addColumnSums(g, bias.gradBuffer().data);
                }
            };
            if (inputs != null) {
                tape.add(op, out, inputs, step);
            } else if (bias == null) {
                tape.add(op, out, x, weight, step);
            } else {
                tape.add(op, out, List.of(x, weight, bias), step);
            }
        }
        return out;
    }

    /**
     * Transpose: n x m becomes m x n. Gradient: dL/dx = (dL/dout)^T.
     *
     * @param x the input
     * @return x^T
     */
    public static Tensor transpose(Tensor x) {
        Tensor out = new Tensor(Tensor.newMatrix("transpose", x.cols(), x.rows()));
        CommonOps_DDRM.transpose(x.value(), out.value());
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add("transpose", out, x, g -> {
                DMatrixRMaj gx = x.gradBuffer();
                for (int r = 0; r < g.numRows; r++) {
                    for (int c = 0; c < g.numCols; c++) {
                        gx.data[c * gx.numCols + r] += g.data[r * g.numCols + c];
                    }
                }
            });
        }
        return out;
    }
}
