package dev.unroll.autograd.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.global.openblas_full;
import org.ejml.data.DMatrixRMaj;

/**
 * Large products through OpenBLAS's {@code cblas_dgemm}, shipped as a Maven dependency
 * (bytedeco's openblas jar for linux-x86_64, loaded through JavaCPP): near the machine's GEMM
 * ceiling, multi-threaded. Transposes are passed as flags, never materialised. Loaded only if the
 * native library loads; {@link ProductsF64} falls back to the Java kernels otherwise. Internal.
 */
final class OpenBlasKernelF64 implements ProductKernelF64 {

    static final OpenBlasKernelF64 INSTANCE = new OpenBlasKernelF64();

    private OpenBlasKernelF64() {
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
        Staging staging = STAGING.get();
        DoubleBuffer sa = staging.in(0, a);
        DoubleBuffer sb = staging.in(1, b);
        DoubleBuffer sc = accumulate ? staging.in(2, c) : staging.out(c);
        openblas.cblas_dgemm(openblas.CblasRowMajor,
                transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans,
                m, n, k, 1.0, sa, a.numCols, sb, b.numCols, accumulate ? 1.0 : 0.0, sc, n);
        sc.get(0, c.data, 0, c.getNumElements());
    }

    private static final ThreadLocal<Staging> STAGING = ThreadLocal.withInitial(Staging::new);

    /**
     * Direct buffers the operands are copied into. Passing a {@code double[]} through JavaCPP copies
     * each array in and back out again (JNI's Get/ReleaseDoubleArrayElements); staging copies the
     * inputs once and only the result back, a third less memory traffic on the recurrent weights
     * that every timestep multiplies. Grown as needed, kept per thread.
     */
    private static final class Staging {
        private final DoubleBuffer[] buffers = new DoubleBuffer[3];

        DoubleBuffer in(int slot, DMatrixRMaj m) {
            DoubleBuffer buffer = sized(slot, m.getNumElements());
            buffer.put(0, m.data, 0, m.getNumElements());
            return buffer;
        }

        DoubleBuffer out(DMatrixRMaj m) {
            return sized(2, m.getNumElements());
        }

        private DoubleBuffer sized(int slot, int elements) {
            DoubleBuffer buffer = buffers[slot];
            if (buffer == null || buffer.capacity() < elements) {
                buffer = ByteBuffer.allocateDirect(Math.max(elements, 1) * Double.BYTES).order(ByteOrder.nativeOrder())
                        .asDoubleBuffer();
                buffers[slot] = buffer;
            }
            return buffer;
        }
    }
}
