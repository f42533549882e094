package dev.unroll.autograd.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.openblas.global.openblas;
import org.ejml.data.DMatrixRMaj;

/**
 * Large products through OpenBLAS's {@code cblas_dgemm}, shipped as a Maven dependency
 * (bytedeco's openblas jar with the natives of the platform, loaded through JavaCPP; see
 * autograd/pom.xml for the platforms): near the machine's GEMM
 * ceiling. Transposes are passed as flags, never materialised. Each call runs single-threaded in
 * OpenBLAS; a large product is cut into blocks of C that {@link ProductThreads} share, so idle
 * threads sleep instead of spinning. A parameter is copied to native memory once per recorded
 * iteration ({@link #multConstant}), and a sum that a run of products adds into stays there
 * between them ({@link #accumulate}). Created only if the native library loaded
 * ({@link OpenBlasLibrary}, which also sets OpenBLAS to one thread per call); {@link ProductsF64}
 * falls back to the Java kernels otherwise. Internal.
 */
final class OpenBlasKernelF64 implements ProductKernelF64 {

    static final OpenBlasKernelF64 INSTANCE = new OpenBlasKernelF64();

    private OpenBlasKernelF64() {
    }

    @Override
    public String name() {
        return "openblas(" + ProductThreads.threads() + " threads)";
    }

    @Override
    public void mult(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, DMatrixRMaj c, boolean accumulate) {
        Staging staging = STAGING.get();
        run(staging, a, transA, staging.in(1, b), b, transB, c, accumulate);
    }

    @Override
    public void multConstant(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, DMatrixRMaj c,
            boolean accumulate, long epoch) {
        Staging staging = STAGING.get();
        run(staging, a, transA, staging.constant(b, epoch), b, transB, c, accumulate);
    }

    /** Adds into the sum where it is held in native memory, copying it neither in nor out. */
    @Override
    public void accumulate(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, ResidentSumF64 sum) {
        Staging staging = STAGING.get();
        blocks(staging, a, transA, staging.in(1, b), b, transB, sum.matrix(), true, sum.staged()).runAll();
    }

    private static void run(Staging staging, DMatrixRMaj a, boolean transA, DoubleBuffer sb, DMatrixRMaj b,
            boolean transB, DMatrixRMaj c, boolean accumulate) {
        DoubleBuffer sc = accumulate ? staging.in(2, c) : staging.out(c);
        blocks(staging, a, transA, sb, b, transB, c, accumulate, sc).runAll();
        sc.get(0, c.data, 0, c.getNumElements());
    }

    /** The product c (+)= op(a) op(b) on the staged b and c, with a staged here, cut into blocks. */
    private static Blocks blocks(Staging staging, DMatrixRMaj a, boolean transA, DoubleBuffer sb, DMatrixRMaj b,
            boolean transB, DMatrixRMaj c, boolean accumulate, DoubleBuffer sc) {
        Blocks blocks = new Blocks();
        blocks.m = c.numRows;
        blocks.n = c.numCols;
        blocks.k = transA ? a.numRows : a.numCols;
        blocks.transA = transA;
        blocks.transB = transB;
        blocks.lda = a.numCols;
        blocks.ldb = b.numCols;
        blocks.beta = accumulate ? 1.0 : 0.0;
        blocks.sa = staging.in(0, a);
        blocks.sb = sb;
        blocks.sc = sc;
        return blocks;
    }

    /** Rows or columns of C per block from which splitting a product pays. */
    private static final int MIN_BLOCK = 16;

    /**
     * One product cut into blocks of C's rows (or columns, for a wide C), each a single-threaded
     * cblas call on a view of the staged operands. The blocks depend only on the shape and the
     * number of threads, so which thread computes a block never changes a bit.
     */
    private static final class Blocks implements ProductThreads.Chunked {
        int m;
        int n;
        int k;
        boolean transA;
        boolean transB;
        int lda;
        int ldb;
        double beta;
        DoubleBuffer sa;
        DoubleBuffer sb;
        DoubleBuffer sc;
        boolean byRows;
        int size;

        @Override
        public void compute(int chunk) {
            int from = chunk * size;
            int to = Math.min(byRows ? m : n, from + size);
            DoubleBuffer a = sa;
            DoubleBuffer b = sb;
            DoubleBuffer c = sc;
            int rows = m;
            int cols = n;
            if (byRows) {
                rows = to - from;
                a = view(sa, transA ? from : from * lda);
                c = view(sc, from * n);
            } else {
                cols = to - from;
                b = view(sb, transB ? from * ldb : from);
                c = view(sc, from);
            }
            openblas.cblas_dgemm(openblas.CblasRowMajor,
                    transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                    transB ? openblas.CblasTrans : openblas.CblasNoTrans,
                    rows, cols, k, 1.0, a, lda, b, ldb, beta, c, n);
        }

        /** Computes every block, on the product threads when the product is large enough to share. */
        void runAll() {
            long work = (long) m * n * k;
            byRows = m >= n;
            int extent = byRows ? m : n;
            int chunks = ProductThreads.threads() == 1 || work < ProductThreads.PARALLEL_WORK ? 1
                    : Math.min(2 * ProductThreads.threads(), Math.max(1, extent / MIN_BLOCK));
            size = (extent + chunks - 1) / chunks;
            ProductThreads.run(this, (extent + size - 1) / size, work);
        }

        private static DoubleBuffer view(DoubleBuffer buffer, int offset) {
            return offset == 0 ? buffer : buffer.slice(offset, buffer.capacity() - offset);
        }
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
        private final List<Constant> constants = new ArrayList<>();

        /**
         * The staged copy of an operand that keeps its values during {@code epoch}: copied on its
         * first use in the epoch, reused after. Copies of an older epoch are refreshed in place.
         */
        DoubleBuffer constant(DMatrixRMaj m, long epoch) {
            Constant stale = null;
            for (int i = 0; i < constants.size(); i++) {
                Constant k = constants.get(i);
                if (k.source == m.data) {
                    if (k.epoch == epoch && k.length == m.getNumElements()) {
                        return k.buffer;
                    }
                    stale = k;
                    break;
                }
                if (stale == null && k.epoch != epoch && k.buffer.capacity() >= m.getNumElements()) {
                    stale = k;
                }
            }
            if (stale == null || stale.buffer.capacity() < m.getNumElements()) {
                if (stale != null) {
                    constants.remove(stale);
                }
                stale = new Constant(direct(m.getNumElements()));
                constants.add(stale);
            }
            stale.source = m.data;
            stale.epoch = epoch;
            stale.length = m.getNumElements();
            stale.buffer.put(0, m.data, 0, stale.length);
            return stale.buffer;
        }

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
                buffer = direct(elements);
                buffers[slot] = buffer;
            }
            return buffer;
        }

    }

    /**
     * @param elements how many values
     * @return a native-order direct buffer of that many values (at least one), which OpenBLAS reads in place
     */
    static DoubleBuffer direct(int elements) {
        return ByteBuffer.allocateDirect(Math.max(elements, 1) * Double.BYTES).order(ByteOrder.nativeOrder())
                .asDoubleBuffer();
    }

    /** A staged copy of a constant operand and the epoch it is valid in. */
    private static final class Constant {
        final DoubleBuffer buffer;
        Object source;
        long epoch;
        int length;

        Constant(DoubleBuffer buffer) {
            this.buffer = buffer;
        }
    }
}
