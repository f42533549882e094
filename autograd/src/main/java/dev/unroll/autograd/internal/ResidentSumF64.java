package dev.unroll.autograd.internal;

import java.nio.DoubleBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.ejml.data.DMatrixRMaj;

/**
 * A matrix that a run of products adds into ({@link ProductsF64#accumulate}), held in native
 * memory between them while they run on OpenBLAS: each product there would otherwise copy the
 * sum in and out again. A recurrent weight's gradient is such a sum, one product per 256
 * gathered rows: on C3 (a 4096 x 1024 float32 gradient, eight products an iteration) that was
 * 256 MB of copies, about 50 ms of a 900 ms iteration. {@link #writeBack()} copies the sum into
 * the Java matrix; until then nothing else may read or write that matrix, and a product on another
 * kernel writes back first.
 *
 * <p>The products may also run on a worker while the owner goes on ({@link #accumulateLater}),
 * one after the other in the order given: a backward pass's weight-gradient products then
 * overlap the per-step products of its critical path. Either way the products and their order
 * are those of adding into the matrix directly, so the bits are too. Internal; one owner thread.
 */
public final class ResidentSumF64 {

    private DMatrixRMaj sum;
    private DoubleBuffer buffer;
    private boolean resident;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Throwable failure;

    /**
     * Starts a run of additions into {@code sum}, writing back the previous one first.
     *
     * @param sum the matrix the products add into
     */
    public void attach(DMatrixRMaj sum) {
        writeBack();
        this.sum = sum;
    }

    /** @return the matrix the products add into */
    DMatrixRMaj matrix() {
        return sum;
    }

    /**
     * The sum in native memory, copied there on the first call after {@link #attach} or
     * {@link #writeBack()}; the caller adds into it in place.
     */
    DoubleBuffer staged() {
        int n = sum.getNumElements();
        if (!resident) {
            if (buffer == null || buffer.capacity() < n) {
                buffer = OpenBlasKernelF64.direct(n);
            }
            buffer.put(0, sum.data, 0, n);
            resident = true;
        }
        return buffer;
    }

    /**
     * {@code sum += op(a) * op(b)} ({@link ProductsF64#accumulate}) on a worker, after the
     * products given before it, while the caller goes on; at once when there is no worker. a and
     * b must keep their values until it is done: {@link #awaitPending}.
     *
     * @param a left factor
     * @param transA whether to use a^T
     * @param b right factor
     * @param transB whether to use b^T
     */
    public void accumulateLater(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB) {
        Thread owner = Thread.currentThread();
        pending.incrementAndGet();
        ProductThreads.later(() -> {
            try {
                if (failure == null) {
                    ProductsF64.accumulate(a, transA, b, transB, this);
                }
            } catch (RuntimeException | Error e) {
                failure = e;
            } finally {
                pending.decrementAndGet();
                LockSupport.unpark(owner);
            }
        });
    }

    /**
     * Waits until no more than {@code most} products given to {@link #accumulateLater} are still
     * to run, and rethrows the failure of one that failed.
     *
     * @param most how many may still be pending
     */
    public void awaitPending(int most) {
        while (pending.get() > most) {
            LockSupport.park(this);
        }
        Throwable f = failure;
        if (f != null) {
            failure = null;
            ProductThreads.rethrow(f);
        }
    }

    /**
     * Waits for the pending products and copies the sum back into the Java matrix if it is held
     * in native memory; afterwards the matrix is current.
     */
    public void writeBack() {
        awaitPending(0);
        unstage();
    }

    /** Copies the sum back into the Java matrix if it is held in native memory (the caller has waited). */
    void unstage() {
        if (resident) {
            buffer.get(0, sum.data, 0, sum.getNumElements());
            resident = false;
        }
    }
}
