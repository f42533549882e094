package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool hands back exactly the arrays given for a length, last in first out, whatever lengths share its lookup table's slots. */
class ArrayPoolTest {

    @Test
    void everyLengthGetsItsOwnArraysBackAmongManyLengthsThatShareSlots() {
        ArrayPoolF64 pool = new ArrayPoolF64();
        // 300 lengths cannot fit 64 slots: most share a slot with others, and the table is overwritten over and over.
        List<double[]> given = new ArrayList<>();
        for (int length = 1; length <= 300; length++) {
            double[] first = new double[length];
            double[] second = new double[length];
            pool.give(first);
            pool.give(second);
            given.add(first);
            given.add(second);
        }
        for (int length = 300; length >= 1; length--) {
            assertSame(given.get(2 * length - 1), pool.take(length, false), "last given comes back first, length " + length);
        }
        for (int length = 1; length <= 300; length++) {
            assertSame(given.get(2 * length - 2), pool.take(length, false), "length " + length);
            assertEquals(length, pool.take(length, false).length, "an empty free list gives a fresh array of the length");
        }
    }

    @Test
    void aRecycledArrayIsZeroedOnlyWhenAsked() {
        ArrayPoolF32 pool = new ArrayPoolF32();
        float[] used = {1, 2, 3};
        pool.give(used);
        float[] again = pool.take(3, false);
        assertSame(used, again);
        assertArrayEquals(new float[] {1, 2, 3}, again, "contents unspecified: left as they were");
        pool.give(again);
        assertArrayEquals(new float[3], pool.take(3, true));
        assertNotSame(used, pool.take(3, true), "the only array of that length is out");
    }
}
