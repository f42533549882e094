package dev.unroll.autograd.internal;

import org.ejml.data.DMatrixRMaj;

/**
 * One implementation of the matrix product behind {@link ProductsF64}: {@code c = op(a) op(b)} or
 * {@code c += op(a) op(b)}, op being identity or transpose. Internal.
 */
interface ProductKernelF64 {

    /**
     * @param a left factor
     * @param transA use a^T
     * @param b right factor
     * @param transB use b^T
     * @param c result, already of the product's shape, not sharing storage with a or b
     * @param accumulate add into c instead of overwriting it
     */
    void mult(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, DMatrixRMaj c, boolean accumulate);

    /**
     * Like {@link #mult}, told that {@code b} keeps its values while {@code epoch} lasts (a
     * parameter during one recorded iteration), so a kernel that copies its operands may copy b
     * once per epoch. The default ignores the hint.
     *
     * @param a left factor
     * @param transA use a^T
     * @param b right factor, unchanged during the epoch
     * @param transB use b^T
     * @param c result
     * @param accumulate add into c instead of overwriting it
     * @param epoch the epoch, never 0
     */
    default void multConstant(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, DMatrixRMaj c,
            boolean accumulate, long epoch) {
        mult(a, transA, b, transB, c, accumulate);
    }

    /**
     * {@code sum += op(a) op(b)} for a {@link ResidentSumF64}, on the thread that runs its
     * products. The default adds into its Java matrix after copying it back; a kernel that copies
     * its operands to native memory keeps the sum there instead.
     *
     * @param a left factor
     * @param transA use a^T
     * @param b right factor
     * @param transB use b^T
     * @param sum the sum, of the product's shape
     */
    default void accumulate(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, ResidentSumF64 sum) {
        sum.unstage();
        mult(a, transA, b, transB, sum.matrix(), true);
    }

    /** @return a short name for benchmarks and diagnostics */
    String name();
}
