package dev.unroll.autograd;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Gradient buffers recycled within one backward pass. An intermediate's gradient is dead as
 * soon as its own backward step has run, so the reverse walk hands the buffer back here and the
 * next gradient of the same shape reuses it: a backward through T timesteps of the same cell
 * allocates about one timestep's gradients instead of T. Only the thread running a backward has
 * a pool; elsewhere buffers are plain new matrices.
 */
final class GradientPool {

    private static final ThreadLocal<GradientPool> ACTIVE = new ThreadLocal<>();

    private final Map<Long, ArrayDeque<DMatrixRMaj>> freeByShape = new HashMap<>();

    private GradientPool() {
    }

    /** Opens a pool for the backward pass about to run on this thread. */
    static GradientPool open() {
        GradientPool pool = new GradientPool();
        ACTIVE.set(pool);
        return pool;
    }

    /** Ends the pass: buffers still free are left to the garbage collector. */
    void close() {
        ACTIVE.remove();
    }

    /** @return a zero rows x cols matrix, recycled when this thread's backward has one free */
    static DMatrixRMaj zeroBuffer(int rows, int cols) {
        GradientPool pool = ACTIVE.get();
        if (pool != null) {
            ArrayDeque<DMatrixRMaj> free = pool.freeByShape.get(key(rows, cols));
            if (free != null && !free.isEmpty()) {
                DMatrixRMaj buffer = free.pop();
                buffer.zero();
                return buffer;
            }
        }
        return new DMatrixRMaj(rows, cols);
    }

    /** Takes back a gradient nobody will read again. */
    void release(DMatrixRMaj buffer) {
        freeByShape.computeIfAbsent(key(buffer.numRows, buffer.numCols), k -> new ArrayDeque<>()).push(buffer);
    }

    private static long key(int rows, int cols) {
        return ((long) rows << 32) | (cols & 0xffffffffL);
    }
}
