package dev.unroll.autograd;

import java.util.Arrays;

/**
 * Free arrays of doubles by exact length, for {@link Storage}. A graph has few distinct lengths:
 * they are kept in a plain list, and a small direct-mapped table remembers where each length was
 * last found, so the take and give of every op (a few per op: C1's iteration makes hundreds) find
 * their free list in one probe instead of a scan, without hashing boxed keys as a map would. Each
 * free list is a plain stack. Not thread-safe: a pool belongs to one tape's storage.
 */
final class ArrayPoolF64 {

    private int[] lengths = new int[8];
    private double[][][] stacks = new double[8][][];
    private int[] sizes = new int[8];
    private int kinds;

    /** Bits of a length's slot in {@link #recent}. */
    private static final int RECENT_BITS = 6;

    /** Per slot, the kind plus one where a length of that slot was last found, or 0. */
    private final int[] recent = new int[1 << RECENT_BITS];

    /**
     * @param length the array length
     * @param zeroed whether the array must be all zeros (else its contents are unspecified)
     * @return an array of exactly {@code length}, recycled when one is free
     */
    double[] take(int length, boolean zeroed) {
        int k = kind(length);
        if (k < 0 || sizes[k] == 0) {
            return new double[length];
        }
        double[] array = stacks[k][--sizes[k]];
        stacks[k][sizes[k]] = null;
        if (zeroed) {
            Arrays.fill(array, 0.0);
        }
        return array;
    }

    /** Takes back an array nobody reads or writes any more. */
    void give(double[] array) {
        int k = kind(array.length);
        if (k < 0) {
            k = addKind(array.length);
        }
        if (sizes[k] == stacks[k].length) {
            stacks[k] = Arrays.copyOf(stacks[k], Math.max(4, 2 * sizes[k]));
        }
        stacks[k][sizes[k]++] = array;
    }

    /** Moves every free array of {@code other} into this pool. */
    void takeAll(ArrayPoolF64 other) {
        for (int k = 0; k < other.kinds; k++) {
            for (int i = 0; i < other.sizes[k]; i++) {
                give(other.stacks[k][i]);
            }
            Arrays.fill(other.stacks[k], 0, other.sizes[k], null);
            other.sizes[k] = 0;
        }
    }

    private int kind(int length) {
        int slot = (length * 0x9E3779B9) >>> (Integer.SIZE - RECENT_BITS);
        int last = recent[slot] - 1;
        if (last >= 0 && lengths[last] == length) {
            return last;
        }
        for (int k = 0; k < kinds; k++) {
            if (lengths[k] == length) {
                recent[slot] = k + 1;
                return k;
            }
        }
        return -1;
    }

    private int addKind(int length) {
        if (kinds == lengths.length) {
            lengths = Arrays.copyOf(lengths, 2 * kinds);
            stacks = Arrays.copyOf(stacks, 2 * kinds);
            sizes = Arrays.copyOf(sizes, 2 * kinds);
        }
        lengths[kinds] = length;
        stacks[kinds] = new double[4][];
        return kinds++;
    }
}
