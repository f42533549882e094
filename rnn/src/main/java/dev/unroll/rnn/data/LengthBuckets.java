package dev.unroll.rnn.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Groups sequences of similar length into batches so that padding them wastes little, as
 * torchtext's {@code BucketIterator} and Keras' {@code bucket_by_sequence_length} do: the
 * sequences are shuffled, sorted by length (so sequences of equal length stay in shuffled
 * order), cut into consecutive batches, and the batches are shuffled. Every sequence is in
 * exactly one batch; only the last batch may be smaller. Deterministic given the generator.
 */
public final class LengthBuckets {

    private LengthBuckets() {
    }

    /**
     * @param sequences the sequences to batch
     * @param batchSize the sequences per batch, positive
     * @param rng the generator of the shuffles (seeded: same seed, same batches)
     * @return the batches as positions into {@code sequences}, for {@link PaddedBatch#of(List, int[], int)}
     */
    public static List<int[]> batches(List<int[]> sequences, int batchSize, RandomGenerator rng) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("LengthBuckets: batch size " + batchSize + " must be at least 1");
        }
        Integer[] order = shuffled(sequences.size(), rng);
        Arrays.sort(order, Comparator.comparingInt(i -> sequences.get(i).length));
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int[] batch = new int[Math.min(batchSize, order.length - from)];
            for (int b = 0; b < batch.length; b++) {
                batch[b] = order[from + b];
            }
            batches.add(batch);
        }
        Integer[] batchOrder = shuffled(batches.size(), rng);
        List<int[]> out = new ArrayList<>(batches.size());
        for (Integer i : batchOrder) {
            out.add(batches.get(i));
        }
        return out;
    }

    /** 0 .. n-1 in a Fisher-Yates order drawn from rng. */
    private static Integer[] shuffled(int n, RandomGenerator rng) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Integer swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
