package dev.unroll.autograd.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import org.ejml.data.DMatrixRMaj;

/**
 * A matrix that a run of products adds into ({@link ProductsF64#accumulate}), held in native
 * memory between them while they run on OpenBLAS: each product there would otherwise copy the
 * sum in and out again. A recurrent weight's gradient is such a sum, one product per 256
 * gathered rows: on C3 (a 4096 x 1024 float32 gradient, eight products an iteration) that was
 * 256 MB of copies, about 50 ms of a 900 ms iteration. {@link #writeBack()} copies the sum into
 * the Java matrix; until then nothing else may read or write that matrix, and a product on another
 * kernel writes back first. The products and their order are those of adding into the matrix
 * directly, so the bits are too. Internal; one owner, one thread at a time.
 */
public final class ResidentSumF64 {

    private DMatrixRMaj sum;
    private DoubleBuffer buffer;
    private boolean resident;

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
                buffer = ByteBuffer.allocateDirect(Math.max(n, 1) * Double.BYTES).order(ByteOrder.nativeOrder())
                        .asDoubleBuffer();
            }
            buffer.put(0, sum.data, 0, n);
            resident = true;
        }
        return buffer;
    }

    /** Copies the sum back into the Java matrix if it is held in native memory; afterwards the matrix is current. */
    public void writeBack() {
        if (resident) {
            buffer.get(0, sum.data, 0, sum.getNumElements());
            resident = false;
        }
    }
}
