package dev.unroll.samples.common;

import java.util.Arrays;

/**
 * Splits generated examples into a training set and a disjoint held-out set by a hash of their
 * content: about one example in eight is held out, and a generator draws training examples only
 * from the rest, so no held-out example is ever trained on, however short the strings (a
 * separately seeded draw would repeat many short training strings).
 */
public final class HeldOut {

    private HeldOut() {
    }

    /**
     * @param example an example's tokens
     * @return whether it belongs to the held-out set
     */
    public static boolean contains(int[] example) {
        long mixed = (Arrays.hashCode(example) & 0xffffffffL) * 0x9E3779B97F4A7C15L;
        return mixed >>> 61 == 0;
    }
}
