package dev.unroll.rnn.tbptt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.nn.Parameter;
import dev.unroll.rnn.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TruncatedBpttTest {

    private static int[] stream(int n) {
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = (i * 7 + i / 3) % 5;
        }
        return tokens;
    }

    private static Map<String, double[]> gradients(LanguageModel model) {
        Map<String, double[]> out = new java.util.LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> out.put(k, p.grad().data().clone()));
        return out;
    }

    @Test
    void oneChunkAsLongAsTheSequenceIsExactlyFullBptt() {
        ParallelStreams data = new ParallelStreams(stream(61), 3);
        LanguageModel model = LanguageModel.lstm(5, 4, 6, 2, 1);
        int length = data.length();
        try (Tape tape = Tape.record()) {
            tape.backward(model.loss(data.inputs(0, length), data.targets(0, length), null, Reduction.SUM).loss());
        }
        Map<String, double[]> full = gradients(model);
        model.parameters().forEach(Parameter::clearGrad);
        List<Double> losses = new ArrayList<>();
        TruncatedBptt.run(length, length, model.initialState(3),
                (from, to, state) -> model.loss(data.inputs(from, to), data.targets(from, to), state, Reduction.SUM),
                (chunk, loss, size) -> losses.add(loss));
        assertEquals(1, losses.size());
        gradients(model).forEach((k, g) -> assertArrayEquals(full.get(k), g, 0.0, k));
    }

    @Test
    void chunksCarryTheStateAndTheTapeStaysTheSizeOfOneChunk() {
        ParallelStreams data = new ParallelStreams(stream(401), 2);
        LanguageModel model = LanguageModel.vanilla(5, 8, 2);
        List<Integer> sizes = new ArrayList<>();
        TruncatedBptt.run(data.length(), 10, model.initialState(2),
                (from, to, state) -> model.loss(data.inputs(from, to), data.targets(from, to), state, Reduction.SUM),
                (chunk, loss, size) -> {
                    sizes.add(size);
                    model.zeroGrad();
                });
        assertEquals(20, sizes.size());
        assertTrue(sizes.stream().allMatch(s -> s.equals(sizes.get(0))), sizes.toString());
        assertTrue(sizes.get(0) < 60, "ops per chunk " + sizes.get(0));
    }

    @Test
    void theCarriedStateChangesTheNextChunksLoss() {
        ParallelStreams data = new ParallelStreams(stream(41), 1);
        LanguageModel model = LanguageModel.vanilla(5, 8, 3);
        List<Double> carried = new ArrayList<>();
        TruncatedBptt.run(20, 10, model.initialState(1),
                (from, to, state) -> model.loss(data.inputs(from, to), data.targets(from, to), state, Reduction.SUM),
                (chunk, loss, size) -> carried.add(loss));
        double fresh = model.loss(data.inputs(10, 20), data.targets(10, 20), null, Reduction.SUM).loss().item();
        assertTrue(Math.abs(carried.get(1) - fresh) > 1e-9);
    }

    @Test
    void parallelStreamsSliceTheTextIntoContiguousRows() {
        ParallelStreams data = new ParallelStreams(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, 2);
        assertEquals(4, data.length());
        assertArrayEquals(new int[][] {{0, 4}, {1, 5}}, data.inputs(0, 2));
        assertArrayEquals(new int[][] {{3, 7}}, data.inputs(3, 4));
        assertArrayEquals(new int[][] {{4, 8}}, data.targets(3, 4));
        assertThrows(IllegalArgumentException.class, () -> data.inputs(3, 5));
        assertThrows(IllegalArgumentException.class, () -> new ParallelStreams(new int[] {1, 2}, 2));
    }
}
