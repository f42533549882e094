package dev.unroll.autograd;

import java.util.Arrays;

/**
 * Free arrays of doubles by exact length, for {@link Storage}. A graph has few distinct lengths,
 * so a linear scan over them finds the free list without hashing boxed keys; each free list is a
 * plain stack. Not thread-safe: a pool belongs to one tape's storage.
 */
final class ArrayPoolF64 {

    private int[] lengths = new int[8];
    private double[][][] stacks = new double[8][][];
    private int[] sizes = new int[8];
    private int kinds;

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
        for (int k = 0; k < kinds; k++) {
            if (lengths[k] == length) {
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
