package dev.unroll.autograd;

import dev.unroll.autograd.internal.ProductTally;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Where a model's matrix-product time goes, shape by shape, without an external profiler. Every
 * product Unroll runs (forward, backward, gathered weight gradients) passes through one seam;
 * while tallying is on, each adds its wall time to the entry of its shape, so a training step
 * shows which products dominate and how close each runs to the machine's GEMM rate.
 *
 * <pre>{@code
 * ProductTimes.start();
 * for (int i = 0; i < 20; i++) { trainStep(); }
 * ProductTimes.stop();
 * ProductTimes.entries().forEach(e -> System.out.println(e.describe(20)));
 * // float32 32x1024x256 B^T +=, parameter, openblas(2 threads): 342.1 us x 6.4 per iteration = 2.19 ms, 49.0 GFLOP/s
 * }</pre>
 *
 * <p>Off by default; then a product pays one read of a flag. Timing a product adds two clock
 * reads, which matters only for the smallest (matrix-vector) products.
 */
public final class ProductTimes {

    private ProductTimes() {
    }

    /** Clears what was tallied and starts tallying every product, on every thread. */
    public static void start() {
        ProductTally.start();
    }

    /** Stops tallying; what was tallied stays readable through {@link #entries()}. */
    public static void stop() {
        ProductTally.stop();
    }

    /** @return the tallied shapes, the largest total time first */
    public static List<Entry> entries() {
        return ProductTally.entries().stream()
                .map(e -> new Entry(e.shape().elementBytes() == Double.BYTES ? DType.F64 : DType.F32, e.shape().rows(),
                        e.shape().cols(), e.shape().depth(), e.shape().transA(), e.shape().transB(),
                        e.shape().accumulate(), e.shape().constant(), e.shape().kernel(), e.calls(), e.nanos()))
                .sorted(Comparator.comparingLong(Entry::nanos).reversed())
                .toList();
    }

    /**
     * The products of one shape: C (rows x cols) = op(A) op(B) over {@code depth}, or added into C.
     *
     * @param dtype the precision
     * @param rows rows of C
     * @param cols columns of C
     * @param depth the inner dimension
     * @param transA whether A entered transposed
     * @param transB whether B entered transposed
     * @param accumulate whether the product was added into C
     * @param parameter whether B was a parameter during a recorded iteration (a kernel may keep it prepared)
     * @param kernel the kernel that ran it, e.g. {@code openblas(2 threads)}
     * @param calls how many such products ran
     * @param nanos their summed wall time in nanoseconds
     */
    public record Entry(DType dtype, int rows, int cols, int depth, boolean transA, boolean transB,
            boolean accumulate, boolean parameter, String kernel, long calls, long nanos) {

        /** @return the arithmetic rate of these products, in GFLOP/s (2 rows cols depth per product) */
        public double gflops() {
            return nanos == 0 ? 0 : 2.0 * rows * cols * depth * calls / nanos;
        }

        /**
         * One line for a report, with times per iteration.
         *
         * @param iterations how many iterations the tally covered, to divide by (1 for totals)
         * @return e.g. {@code float32 32x1024x256 B^T +=, parameter, openblas(2 threads): 342.1 us x 6.4 per
         *     iteration = 2.19 ms, 49.0 GFLOP/s}
         */
        public String describe(int iterations) {
            return String.format(Locale.ROOT, "%s %dx%dx%d%s%s%s%s, %s: %.1f us x %.1f per iteration = %.2f ms, %.1f GFLOP/s",
                    dtype.label(), rows, cols, depth, transA ? " A^T" : "", transB ? " B^T" : "", accumulate ? " +=" : "",
                    parameter ? ", parameter" : "", kernel, nanos / 1e3 / calls, (double) calls / iterations,
                    nanos / 1e6 / iterations, gflops());
        }
    }
}
