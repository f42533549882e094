package dev.unroll.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Free double arrays by exact length, handed out zeroed. The engine recycles the storage of
 * gradients ({@link GradientPool}) and of recorded values ({@link Tape#clear()}) through it, so
 * a training step that repeats the same graph takes its arrays from the previous step instead of
 * the garbage collector. A graph has few distinct lengths, so a linear scan finds the free list
 * without hashing boxed keys. Not thread-safe: each pool belongs to one thread or one tape.
 */
final class ArrayPool {

    private final List<FreeArrays> byLength = new ArrayList<>();

    /**
     * @param length the array length
     * @return a zeroed array of exactly {@code length}, recycled when one is free
     */
    double[] take(int length) {
        ArrayDeque<double[]> free = free(length);
        if (free.isEmpty()) {
            return new double[length];
        }
        double[] array = free.pop();
        Arrays.fill(array, 0.0);
        return array;
    }

    /**
     * Takes back an array nobody reads or writes any more.
     *
     * @param array the array
     */
    void give(double[] array) {
        free(array.length).push(array);
    }

    private ArrayDeque<double[]> free(int length) {
        for (int i = 0; i < byLength.size(); i++) {
            FreeArrays f = byLength.get(i);
            if (f.length == length) {
                return f.arrays;
            }
        }
        FreeArrays f = new FreeArrays(length);
        byLength.add(f);
        return f.arrays;
    }

    /** The free arrays of one length. */
    private static final class FreeArrays {
        final int length;
        final ArrayDeque<double[]> arrays = new ArrayDeque<>();

        FreeArrays(int length) {
            this.length = length;
        }
    }
}
