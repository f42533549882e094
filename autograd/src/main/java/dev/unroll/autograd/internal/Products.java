package dev.unroll.autograd.internal;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The one seam through which every matrix product in Unroll passes, so that a faster kernel can
 * replace EJML's where it wins without touching any op. Internal: not part of the public API.
 */
public final class Products {

    private Products() {
    }

    /**
     * {@code c = op(a) * op(b)}, or {@code c += op(a) * op(b)} when {@code accumulate}, where
     * op(x) is x or its transpose. {@code c} must already have the product's shape and must not
     * share storage with {@code a} or {@code b}.
     *
     * @param a left factor
     * @param transA whether to use a^T
     * @param b right factor
     * @param transB whether to use b^T
     * @param c the result
     * @param accumulate add into c instead of overwriting it
     */
    public static void mult(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, DMatrixRMaj c,
            boolean accumulate) {
        if (accumulate) {
            if (transA) {
                if (transB) {
                    CommonOps_DDRM.multAddTransAB(a, b, c);
                } else {
                    CommonOps_DDRM.multAddTransA(a, b, c);
                }
            } else if (transB) {
                CommonOps_DDRM.multAddTransB(a, b, c);
            } else {
                CommonOps_DDRM.multAdd(a, b, c);
            }
        } else if (transA) {
            if (transB) {
                CommonOps_DDRM.multTransAB(a, b, c);
            } else {
                CommonOps_DDRM.multTransA(a, b, c);
            }
        } else if (transB) {
            CommonOps_DDRM.multTransB(a, b, c);
        } else {
            CommonOps_DDRM.mult(a, b, c);
        }
    }
}
