package dev.unroll.autograd.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The opt-in tally behind {@code dev.unroll.autograd.ProductTimes}: while it is on, every product
 * that passes through {@link ProductsF64} or its float32 twin adds its wall time to the entry of
 * its shape. Off (the default), a product pays one read of a static field. Safe to record from
 * several threads (data-parallel shards). Internal.
 */
public final class ProductTally {

    private static volatile boolean on;
    private static final Map<Shape, Totals> TOTALS = new ConcurrentHashMap<>();

    private ProductTally() {
    }

    /**
     * A product's shape and how it ran: C is rows x cols, the depth is the inner dimension.
     *
     * @param elementBytes 8 for float64, 4 for float32
     * @param rows rows of C
     * @param cols columns of C
     * @param depth the inner dimension
     * @param transA whether A entered transposed
     * @param transB whether B entered transposed
     * @param accumulate whether it added into C
     * @param constant whether B was a parameter the kernel may keep prepared for the iteration
     * @param kernel the kernel's name
     */
    public record Shape(int elementBytes, int rows, int cols, int depth, boolean transA, boolean transB,
            boolean accumulate, boolean constant, String kernel) {
    }

    /**
     * One shape's totals.
     *
     * @param shape the shape
     * @param calls how many products of it ran
     * @param nanos their summed wall time
     */
    public record Entry(Shape shape, long calls, long nanos) {
    }

    private static final class Totals {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong nanos = new AtomicLong();
    }

    /** @return whether products are being tallied */
    static boolean on() {
        return on;
    }

    /** Clears the tally and starts tallying. */
    public static void start() {
        TOTALS.clear();
        on = true;
    }

    /** Stops tallying, keeping what was tallied. */
    public static void stop() {
        on = false;
    }

    /** Adds one product's time to its shape. */
    static void add(Shape shape, long nanos) {
        Totals t = TOTALS.computeIfAbsent(shape, s -> new Totals());
        t.calls.incrementAndGet();
        t.nanos.addAndGet(nanos);
    }

    /** @return every shape tallied so far, in no particular order */
    public static List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        TOTALS.forEach((shape, t) -> entries.add(new Entry(shape, t.calls.get(), t.nanos.get())));
        return entries;
    }
}
