package dev.unroll.rnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Randomness;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {

    private static List<int[]> ragged(int n, long seed) {
        RandomGenerator rng = Randomness.seeded(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new int[1 + rng.nextInt(40)]);
        }
        return out;
    }

    private static int padding(List<int[]> sequences, List<int[]> batches) {
        int total = 0;
        for (int[] batch : batches) {
            total += PaddedBatch.of(sequences, batch, 0).paddedPositions();
        }
        return total;
    }

    @Test
    void everySequenceIsInExactlyOneBatchAndOnlyTheLastIsSmaller() {
        List<int[]> sequences = ragged(103, 1);
        List<int[]> batches = LengthBuckets.batches(sequences, 10, Randomness.seeded(2));
        assertEquals(11, batches.size());
        int[] seen = new int[sequences.size()];
        int small = 0;
        for (int[] batch : batches) {
            small += batch.length < 10 ? 1 : 0;
            for (int i : batch) {
                seen[i]++;
            }
        }
        assertEquals(1, small);
        int[] once = new int[sequences.size()];
        Arrays.fill(once, 1);
        assertArrayEquals(once, seen);
    }

    @Test
    void bucketingWastesLessPaddingThanBatchesInGivenOrder() {
        List<int[]> sequences = ragged(200, 3);
        List<int[]> inOrder = new ArrayList<>();
        for (int from = 0; from < 200; from += 20) {
            int[] batch = new int[20];
            Arrays.setAll(batch, b -> b);
            final int start = from;
            inOrder.add(Arrays.stream(batch).map(b -> start + b).toArray());
        }
        int bucketed = padding(sequences, LengthBuckets.batches(sequences, 20, Randomness.seeded(4)));
        int plain = padding(sequences, inOrder);
        assertTrue(bucketed * 5 < plain, "bucketed " + bucketed + " padded positions against " + plain);
        for (int[] batch : LengthBuckets.batches(sequences, 20, Randomness.seeded(4))) {
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int i : batch) {
                min = Math.min(min, sequences.get(i).length);
                max = Math.max(max, sequences.get(i).length);
            }
            assertTrue(max - min <= 8, "a batch spans lengths " + min + " to " + max);
        }
    }

    @Test
    void theSameSeedGivesTheSameBatchesAndAnotherSeedOthers() {
        List<int[]> sequences = ragged(60, 5);
        List<int[]> a = LengthBuckets.batches(sequences, 8, Randomness.seeded(6));
        List<int[]> b = LengthBuckets.batches(sequences, 8, Randomness.seeded(6));
        List<int[]> c = LengthBuckets.batches(sequences, 8, Randomness.seeded(7));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            differs |= !Arrays.equals(a.get(i), c.get(i));
        }
        assertTrue(differs);
    }

    @Test
    void refusesABatchSizeBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LengthBuckets.batches(ragged(3, 1), 0, Randomness.seeded(1)));
        assertFalse(e.getMessage().isEmpty());
    }
}
