package dev.unroll.autograd.internal;

/**
 * Elementwise work over the rows of a batch, shared with the product threads when there is
 * enough of it: a fused LSTM step over a batch of 64 and 1,024 units is a few hundred
 * microseconds of activations the second core would otherwise watch. Rows are cut into a fixed
 * number of ranges (by shape only), and rows are independent, so the result does not depend on
 * which thread does which range. Internal.
 */
public final class ParallelRows {

    /** Elements from which a second thread pays for its wake-up. */
    static final long PARALLEL_ELEMENTS = 1L << 15;

    private ParallelRows() {
    }

    /** The work on rows [from, to). */
    @FunctionalInterface
    public interface Range {
        /**
         * @param from the first row
         * @param to the row after the last
         */
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over rows [0, rows), split across the product threads when
     * {@code rows * width} is large enough.
     *
     * @param rows the number of rows
     * @param width the elements of work per row, to decide whether threads pay
     * @param body the work on a range of rows
     */
    public static void run(int rows, int width, Range body) {
        long elements = (long) rows * width;
        int threads = ProductThreads.threads();
        if (threads == 1 || rows < 2 || elements < PARALLEL_ELEMENTS) {
            body.run(0, rows);
            return;
        }
        int chunks = Math.min(rows, 2 * threads);
        ProductThreads.run(chunk -> body.run(chunk * rows / chunks, (chunk + 1) * rows / chunks), chunks,
                Math.max(elements, ProductThreads.PARALLEL_WORK));
    }
}
