package dev.unroll.autograd;

import org.ejml.data.DMatrixRMaj;

/**
 * Gradient buffers recycled within and across backward passes. An intermediate's gradient is
 * dead as soon as its own backward step has run, so the reverse walk hands the buffer back here
 * and the next gradient of the same shape reuses it: a backward through T timesteps of the same
 * cell allocates about one timestep's gradients instead of T. The pool stays with the thread
 * between passes, so a training loop whose graph repeats allocates no intermediate gradients
 * after its first iteration; it holds at most the buffers one pass had free at once. Outside a
 * backward pass buffers are plain new matrices.
 */
final class GradientPool {

    private static final ThreadLocal<GradientPool> ACTIVE = new ThreadLocal<>();

    private static final ThreadLocal<GradientPool> OF_THREAD = ThreadLocal.withInitial(GradientPool::new);

    private final ArrayPool arrays = new ArrayPool();

    private GradientPool() {
    }

    /** Opens this thread's pool for the backward pass about to run. */
    static GradientPool open() {
        GradientPool pool = OF_THREAD.get();
        ACTIVE.set(pool);
        return pool;
    }

    /** Ends the pass; the free buffers stay for the thread's next pass. */
    void close() {
        ACTIVE.remove();
    }

    /** @return a zero rows x cols matrix, recycled when this thread's backward has one free */
    static DMatrixRMaj zeroBuffer(int rows, int cols) {
        GradientPool pool = ACTIVE.get();
        return pool == null ? new DMatrixRMaj(rows, cols) : DMatrixRMaj.wrap(rows, cols, pool.arrays.take(rows * cols));
    }

    /** Takes back a gradient nobody will read again. */
    void release(DMatrixRMaj buffer) {
        arrays.give(buffer.data);
    }
}
