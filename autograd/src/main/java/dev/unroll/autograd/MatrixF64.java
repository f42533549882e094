package dev.unroll.autograd;

import dev.unroll.autograd.internal.ProductsF64;
import org.ejml.data.DMatrixRMaj;

/**
 * The float64 forward and backward of {@link MatrixOps} (the float32 twin is derived by the
 * build). Shapes and precisions are checked by {@link MatrixOps} before these run.
 */
final class MatrixF64 {

    private MatrixF64() {
    }

    /** op(a) op(b); dL/da and dL/db by the transposed and accumulating products of the same seam. */
    static Tensor product(String op, Tensor a, boolean transA, Tensor b, boolean transB, int rows, int cols) {
        Tensor out = Tensor.empty(DType.F64, rows, cols);
        ProductsF64.mult(a.value(), transA, b.value(), transB, out.value(), false);
        return Tape.record(op, out, a, b, () -> {
            DMatrixRMaj g = out.gradMatrix();
            if (a.requiresGrad()) {
                // d op(a) = g op(b)^T; for a^T that is (g op(b)^T)^T = op(b) g^T.
                if (transA) {
                    ProductsF64.mult(b.value(), transB, g, true, a.gradBuffer(), true);
                } else {
                    ProductsF64.mult(g, false, b.value(), !transB, a.gradBuffer(), true);
                }
            }
            if (b.requiresGrad()) {
                // d op(b) = op(a)^T g; for b^T that is g^T op(a).
                if (transB) {
                    ProductsF64.mult(g, true, a.value(), transA, b.gradBuffer(), true);
                } else {
                    ProductsF64.mult(a.value(), !transA, g, false, b.gradBuffer(), true);
                }
            }
        });
    }

    /** base + x W^T + bias in one op; base and bias may be null. */
    static Tensor affine(String op, Tensor base, Tensor x, Tensor weight, Tensor bias) {
        Tensor out = Tensor.empty(DType.F64, x.rows(), weight.rows());
        DMatrixRMaj o = out.value();
        int rows = o.numRows;
        int cols = o.numCols;
        if (base != null) {
            System.arraycopy(base.data(), 0, o.data, 0, rows * cols);
        }
        if (bias != null) {
            double[] bv = bias.data();
            for (int r = 0; r < rows; r++) {
                int row = r * cols;
                if (base == null) {
                    System.arraycopy(bv, 0, o.data, row, cols);
                } else {
                    for (int c = 0; c < cols; c++) {
                        o.data[row + c] += bv[c];
                    }
                }
            }
        }
        long epoch = constantEpoch(weight);
        ProductsF64.multConstant(x.value(), false, weight.value(), true, o, base != null || bias != null, epoch);
        Backward step = () -> {
            DMatrixRMaj g = out.gradMatrix();
            if (base != null && base.requiresGrad()) {
                ElementwiseF64.axpy(1, g.data, base.gradData());
            }
            if (x.requiresGrad()) {
                ProductsF64.multConstant(g, false, weight.value(), false, x.gradBuffer(), true, epoch);
            }
            if (weight.requiresGrad()) {
                out.producer().weightGradientsF64().addTransposedProduct(weight, g, x.value());
            }
            if (bias != null && bias.requiresGrad()) {
                ReductionF64.addColumnSums(g.data, rows, cols, bias.gradData());
            }
        };
        return base == null ? Tape.record(op, out, x, weight, bias, step)
                : Tape.record(op, out, java.util.Arrays.asList(base, x, weight, bias), step);
    }

    /**
     * The epoch during which a weight keeps its values: the recording tape's, for a leaf (a
     * parameter is only changed between iterations); 0 (none) otherwise.
     */
    private static long constantEpoch(Tensor weight) {
        Tape tape = Tape.active();
        return tape != null && weight.isLeaf() ? tape.epoch() : 0;
    }

    /** onehot(ids) W^T + bias without the one-hot matrix: row r is column ids[r] of W plus the bias. */
    static Tensor linearOfOneHot(int[] ids, Tensor weight, Tensor bias) {
        int width = weight.rows();
        int classes = weight.cols();
        Tensor result = Tensor.empty(DType.F64, ids.length, width);
        double[] o = result.data();
        double[] w = weight.data();
        double[] bv = bias == null ? null : bias.data();
        for (int r = 0; r < ids.length; r++) {
            for (int j = 0; j < width; j++) {
                o[r * width + j] = w[j * classes + ids[r]] + (bv == null ? 0 : bv[j]);
            }
        }
        return Tape.record("linearOfOneHot", result, weight, bias, () -> {
            double[] g = result.gradData();
            if (weight.requiresGrad()) {
                double[] gw = weight.gradData();
                for (int r = 0; r < ids.length; r++) {
                    for (int j = 0; j < width; j++) {
                        gw[j * classes + ids[r]] += g[r * width + j];
                    }
                }
            }
            if (bias != null && bias.requiresGrad()) {
                ReductionF64.addColumnSums(g, ids.length, width, bias.gradData());
            }
        });
    }

    /** x^T; dL/dx = (dL/dout)^T. */
    static Tensor transpose(Tensor x) {
        int rows = x.rows();
        int cols = x.cols();
        Tensor out = Tensor.empty(DType.F64, cols, rows);
        double[] xv = x.data();
        double[] o = out.data();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                o[c * rows + r] = xv[r * cols + c];
            }
        }
        return Tape.record("transpose", out, x, () -> {
            double[] g = out.gradData();
            double[] gx = x.gradData();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    gx[r * cols + c] += g[c * rows + r];
                }
            }
        });
    }
}
