package dev.unroll.rnn.tbptt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.layers.Embedding;
import dev.unroll.rnn.LossAndState;
import dev.unroll.rnn.State;
import dev.unroll.rnn.ToyCells.RunningMeanCell;
import dev.unroll.rnn.layer.Lstm;
import dev.unroll.rnn.layer.RecurrentLayer;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
    void withALearnedInitialStateOneChunkIsExactlyFullBpttIncludingH0AndC0() {
        ParallelStreams data = new ParallelStreams(stream(49), 3);
        RecurrentOptions options = RecurrentOptions.defaults().layers(2).learnedInitialState();
        LanguageModel model = new LanguageModel(5, new Embedding(5, 4, 1), new Lstm(4, 6, options, 2), 3);
        int length = data.length();
        try (Tape tape = Tape.record()) {
            tape.backward(model.loss(data.inputs(0, length), data.targets(0, length), null, Reduction.SUM).loss());
        }
        Map<String, double[]> full = gradients(model);
        for (String key : new String[] {"rnn.h0_l0", "rnn.c0_l0", "rnn.h0_l1", "rnn.c0_l1"}) {
            assertTrue(java.util.Arrays.stream(full.get(key)).anyMatch(g -> Math.abs(g) > 1e-6), key);
        }
        model.parameters().forEach(Parameter::clearGrad);
        List<List<State>> given = new ArrayList<>();
        TruncatedBptt.run(length, length, null, (from, to, state) -> {
            given.add(state);
            return model.loss(data.inputs(from, to), data.targets(from, to), state, Reduction.SUM);
        }, (chunk, loss, size) -> { });
        assertEquals(1, given.size());
        assertNull(given.get(0));
        assertEquals(full.keySet(), gradients(model).keySet());
        gradients(model).forEach((k, g) -> assertArrayEquals(full.get(k), g, 0.0, k));
    }

    /** An LSTM's h and c, and every part of a cell of three parts in two layers. */
    static Stream<Arguments> carryingModels() {
        return Stream.of(
                Arguments.of("lstm", new LanguageModel(5, null,
                        new Lstm(5, 4, RecurrentOptions.defaults().learnedInitialState(), 4), 5)),
                Arguments.of("running mean", new LanguageModel(5, new Embedding(5, 4, 1), new RecurrentLayer(4,
                        (in, rng) -> new RunningMeanCell(in, 3, rng), RecurrentOptions.defaults().layers(2), 2), 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("carryingModels")
    void theStateCarriedIntoALaterChunkIsADetachedCopyOfThePreviousFinalState(String name, LanguageModel model) {
        ParallelStreams data = new ParallelStreams(stream(61), 2);
        List<List<State>> carriedIn = new ArrayList<>();
        List<List<State>> finals = new ArrayList<>();
        TruncatedBptt.run(30, 10, null, (from, to, state) -> {
            carriedIn.add(state);
            LossAndState result = model.loss(data.inputs(from, to), data.targets(from, to), state, Reduction.SUM);
            finals.add(result.finalState());
            return result;
        }, (chunk, loss, size) -> { });
        assertEquals(3, carriedIn.size());
        for (int chunk = 1; chunk < 3; chunk++) {
            for (int layer = 0; layer < finals.get(chunk - 1).size(); layer++) {
                State in = carriedIn.get(chunk).get(layer);
                State previous = finals.get(chunk - 1).get(layer);
                assertEquals(previous.names(), in.names());
                assertTrue(!previous.h().isLeaf() && previous.h().requiresGrad(), "the final state has history");
                for (int i = 0; i < in.size(); i++) {
                    String where = "chunk " + chunk + ", layer " + layer + ", part " + in.names().get(i);
                    assertTrue(in.part(i).isLeaf(), where + ": the carried state has no producer");
                    assertFalse(in.part(i).requiresGrad(), where + ": the carried state needs no gradient");
                    assertArrayEquals(previous.part(i).data(), in.part(i).data(), 0.0, where);
                }
            }
        }
    }

    @Test
    void theUpdateRunsOutsideAnyRecordingSoItCanEvaluateTheModel() {
        ParallelStreams data = new ParallelStreams(stream(41), 2);
        LanguageModel model = LanguageModel.gru(5, 3, 4, 1, 6);
        List<Double> validation = new ArrayList<>();
        try (Tape outer = Tape.record()) {
            TruncatedBptt.run(20, 10, null,
                    (from, to, state) -> model.loss(data.inputs(from, to), data.targets(from, to), state, Reduction.SUM),
                    (chunk, loss, size) -> {
                        assertFalse(Tape.isRecording());
                        Tensor check = model.loss(data.inputs(0, 5), data.targets(0, 5), null, Reduction.MEAN).loss();
                        assertTrue(check.isLeaf() && !check.requiresGrad(), "the update's ops are not recorded");
                        validation.add(check.item());
                        model.zeroGrad();
                    });
            assertEquals(0, outer.size(), "nothing was recorded on the enclosing tape");
            assertTrue(Tape.active() == outer);
        }
        assertEquals(2, validation.size());
        assertTrue(validation.get(0) > 0 && Double.isFinite(validation.get(0)));
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

    @Test
    void parallelStreamsRefuseMoreStreamsThanTokensWithoutOverflowing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ParallelStreams(new int[100], Integer.MAX_VALUE));
        assertEquals("ParallelStreams: 100 tokens cannot make " + Integer.MAX_VALUE + " streams of at least 2 tokens each",
                e.getMessage());
        assertEquals(99, new ParallelStreams(new int[100], 1).length());
    }
}
