package dev.unroll.autograd.internal;

import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.global.openblas_full;
import org.ejml.data.DMatrixRMaj;

/**
 * Large products through OpenBLAS's {@code cblas_dgemm}, shipped as a Maven dependency
 * (bytedeco's openblas jar for linux-x86_64, loaded through JavaCPP): near the machine's GEMM
 * ceiling, multi-threaded. Transposes are passed as flags, never materialised. Loaded only if the
 * native library loads; {@link Products} falls back to the Java kernels otherwise. Internal.
 */
final class OpenBlasKernel implements ProductKernel {

    static final OpenBlasKernel INSTANCE = new OpenBlasKernel();

    private OpenBlasKernel() {
        openblas_full.openblas_set_num_threads(Integer.getInteger("unroll.threads", Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public String name() {
        return "openblas(" + openblas_full.openblas_get_num_threads() + " threads)";
    }

    @Override
    public void mult(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, DMatrixRMaj c, boolean accumulate) {
        int m = c.numRows;
        int n = c.numCols;
        int k = transA ? a.numRows : a.numCols;
        openblas.cblas_dgemm(openblas.CblasRowMajor,
                transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans,
                m, n, k, 1.0, a.data, a.numCols, b.data, b.numCols, accumulate ? 1.0 : 0.0, c.data, n);
    }
}
