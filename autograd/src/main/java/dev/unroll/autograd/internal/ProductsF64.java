package dev.unroll.autograd.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * The one seam through which every matrix product in Unroll passes. It chooses a kernel by the
 * product's size: small products (the matrix-vector work of a small RNN step) run in Java, on
 * the Vector API when the JVM has {@code --add-modules jdk.incubator.vector} and in plain loops
 * otherwise; large ones run on OpenBLAS, shipped as a Maven dependency, when its native library
 * loads, else on the packed Vector API kernel ({@link PackedKernelF64}), else in Java. Measured
 * on this project's 2-core EPYC (AVX2), the two large kernels traded places between sittings:
 * packed ahead by about 10 % one day (C2 float32 206 against 228 ms), OpenBLAS ahead by 5 to 40 %
 * in three interleaved rounds another (C2 float64 389-402 against 483-637 ms, C3 float32 871-960
 * against 886-1,454), with the packed kernel's times spread far wider: OpenBLAS's compiled
 * kernel does not depend on what the JIT makes of a Vector API loop. Each choice falls back
 * cleanly, and the kernel can be forced with the system property {@code unroll.products}
 * ({@code java}, {@code vector}, {@code openblas}, {@code packed}). Internal: not part of the
 * public API.
 */
public final class ProductsF64 {

    /**
     * m*n*k from which a product goes to the large-product kernel; below it the cost of crossing
     * into native code (and copying the arrays) outweighs OpenBLAS's speed. Measured on a 2-core
     * Xeon: OpenBLAS wins from about 32x64x64 up, the Vector API kernel below.
     */
    static final long LARGE_WORK = 1L << 17;

    /** Fewer result rows than this (matrix-vector work) stay in Java, where there is no copy to native memory. */
    static final int LARGE_MIN_ROWS = 8;

    private static final String FORCED = System.getProperty("unroll.products", "auto").toLowerCase(Locale.ROOT);

    private ProductsF64() {
    }

    /** The small-product kernel, resolved once. */
    private static final class Small {
        static final ProductKernelF64 KERNEL = vectorKernel() != null && !FORCED.equals("java") ? vectorKernel()
                : JavaKernelF64.INSTANCE;
    }

    /** The large-product kernel, resolved on the first large product (loading OpenBLAS takes a moment). */
    private static final class Large {
        static final ProductKernelF64 KERNEL = choose();

        private static ProductKernelF64 choose() {
            if (FORCED.equals("java") || FORCED.equals("vector")) {
                return Small.KERNEL;
            }
            if (!FORCED.equals("packed") && openBlasKernel() != null) {
                return openBlasKernel();
            }
            return packedKernel() != null ? packedKernel() : Small.KERNEL;
        }
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
        multConstant(a, transA, b, transB, c, accumulate, 0);
    }

    /**
     * Like {@link #mult}, for a {@code b} that keeps its values while {@code epoch} lasts (a
     * parameter during one recorded iteration: the tape's epoch), so a kernel that copies its
     * operands to native memory copies b once per iteration instead of once per timestep.
     *
     * @param a left factor
     * @param transA whether to use a^T
     * @param b right factor, unchanged during the epoch
     * @param transB whether to use b^T
     * @param c the result
     * @param accumulate add into c instead of overwriting it
     * @param epoch the epoch; 0 for none (then this is {@link #mult})
     */
    public static void multConstant(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, DMatrixRMaj c,
            boolean accumulate, long epoch) {
        ProductKernelF64 kernel = kernelFor(a, transA, c);
        if (ProductTally.on()) {
            long start = System.nanoTime();
            run(kernel, a, transA, b, transB, c, accumulate, epoch);
            tally(a, transA, transB, c, accumulate, epoch != 0, kernel, start);
        } else {
            run(kernel, a, transA, b, transB, c, accumulate, epoch);
        }
    }

    /**
     * {@code sum += op(a) * op(b)}, where the sum may stay in the kernel's native memory until
     * {@link ResidentSumF64#writeBack()}: for a gradient that a run of products adds into.
     *
     * @param a left factor
     * @param transA whether to use a^T
     * @param b right factor
     * @param transB whether to use b^T
     * @param sum the sum, attached to a matrix of the product's shape that shares no storage with a or b
     */
    public static void accumulate(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, ResidentSumF64 sum) {
        DMatrixRMaj c = sum.matrix();
        ProductKernelF64 kernel = kernelFor(a, transA, c);
        if (ProductTally.on()) {
            long start = System.nanoTime();
            kernel.accumulate(a, transA, b, transB, sum);
            tally(a, transA, transB, c, true, false, kernel, start);
        } else {
            kernel.accumulate(a, transA, b, transB, sum);
        }
    }

    private static void run(ProductKernelF64 kernel, DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB,
            DMatrixRMaj c, boolean accumulate, long epoch) {
        if (epoch == 0) {
            kernel.mult(a, transA, b, transB, c, accumulate);
        } else {
            kernel.multConstant(a, transA, b, transB, c, accumulate, epoch);
        }
    }

    private static void tally(DMatrixRMaj a, boolean transA, boolean transB, DMatrixRMaj c, boolean accumulate,
            boolean constant, ProductKernelF64 kernel, long start) {
        long nanos = System.nanoTime() - start;
        ProductTally.add(new ProductTally.Shape(Double.BYTES, c.numRows, c.numCols, transA ? a.numRows : a.numCols,
                transA, transB, accumulate, constant, kernel.name()), nanos);
    }

    private static ProductKernelF64 kernelFor(DMatrixRMaj a, boolean transA, DMatrixRMaj c) {
        long work = (long) c.numRows * c.numCols * (transA ? a.numRows : a.numCols);
        boolean large = work >= LARGE_WORK && c.numRows >= LARGE_MIN_ROWS;
        return large && !FORCED.equals("java") && !FORCED.equals("vector") ? Large.KERNEL : Small.KERNEL;
    }

    /**
     * Which kernels are in use, e.g. {@code small: vector-api(4 lanes), large: openblas(2 threads)},
     * and, when large products fall back to another kernel because OpenBLAS did not load, why. Resolves
     * (and so loads) both kernels.
     *
     * @return a one-line description
     */
    public static String describe() {
        String large = Large.KERNEL.name();
        if (Large.KERNEL != OpenBlas.KERNEL && FORCED.equals("auto") && OpenBlasLibrary.FAILURE != null) {
            large += " (OpenBLAS did not load: " + OpenBlasLibrary.FAILURE + ")";
        }
        return "small: " + Small.KERNEL.name() + ", large: " + large;
    }

    /** @return the number of threads a large product runs on ({@code -Dunroll.threads}, default: the processors) */
    public static int threads() {
        return ProductThreads.threads();
    }

    /** @return every kernel that can run here, for tests that compare each with EJML */
    static List<ProductKernelF64> available() {
        List<ProductKernelF64> kernels = new ArrayList<>(List.of(JavaKernelF64.INSTANCE));
        if (vectorKernel() != null) {
            kernels.add(vectorKernel());
        }
        if (openBlasKernel() != null) {
            kernels.add(openBlasKernel());
        }
        if (packedKernel() != null) {
            kernels.add(packedKernel());
        }
        return kernels;
    }

    private static ProductKernelF64 vectorKernel() {
        if (!VectorSupport.present()) {
            return null;
        }
        try {
            return VectorKernelF64.INSTANCE;
        } catch (LinkageError e) {
            return null;
        }
    }

    private static ProductKernelF64 packedKernel() {
        if (!VectorSupport.present()) {
            return null;
        }
        try {
            return PackedKernelF64.INSTANCE;
        } catch (LinkageError e) {
            return null;
        }
    }

    private static ProductKernelF64 openBlasKernel() {
        return OpenBlas.KERNEL;
    }

    /** OpenBLAS's kernel when its native library loaded, else null ({@link OpenBlasLibrary#FAILURE} says why). */
    private static final class OpenBlas {
        static final ProductKernelF64 KERNEL = OpenBlasLibrary.FAILURE == null ? OpenBlasKernelF64.INSTANCE : null;
    }
}
