package dev.unroll.rnn.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.layer.CellType;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.sample.TokenChooser;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AttentionTest {

    private static List<Tensor> set(int positions, int batch, int width, long seed) {
        List<Tensor> out = new ArrayList<>();
        for (int n = 0; n < positions; n++) {
            out.add(Tensor.uniform(batch, width, -1, 1, seed + n));
        }
        return out;
    }

    private static Tensor weighted(Tensor t, long seed) {
        return t.mul(Tensor.uniform(t.rows(), t.cols(), 0.5, 1.5, seed)).sum();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void fusedOpsMatchTheirDefinitionAndFiniteDifferences(int batch) {
        Tensor q = Tensor.uniform(batch, 4, -1, 1, 1);
        List<Tensor> keys = set(3, batch, 4, 10);
        Tensor scores = AttentionOps.dotScores(q, keys);
        assertEquals(batch + "x3", scores.shape());
        for (int b = 0; b < batch; b++) {
            for (int n = 0; n < 3; n++) {
                double expected = q.sliceRows(b, b + 1).mul(keys.get(n).sliceRows(b, b + 1)).sum().item();
                assertEquals(expected, scores.get(b, n), 1e-14, "row " + b + " position " + n);
            }
        }
        Tensor w = Tensor.uniform(batch, 3, 0, 1, 2);
        Tensor context = AttentionOps.weightedSum(w, keys);
        Tensor manual = keys.get(0).mul(w.sliceCols(0, 1)).add(keys.get(1).mul(w.sliceCols(1, 2)))
                .add(keys.get(2).mul(w.sliceCols(2, 3)));
        assertArrayEquals(manual.data(), context.data(), 1e-14);
        List<Tensor> inputs = new ArrayList<>(keys);
        inputs.add(q);
        GradCheck.check(in -> weighted(AttentionOps.dotScores(in.get(3), in.subList(0, 3)), 3)
                .add(weighted(AttentionOps.weightedSum(AttentionOps.dotScores(in.get(3), in.subList(0, 3)).softmax(),
                        in.subList(0, 3)), 4)), inputs, 1e-6).assertBelow(1e-6);
    }

    @ParameterizedTest
    @EnumSource(Attention.Kind.class)
    void weightsAreADistributionThatIgnoresMaskedPositionsAndGradientsCheck(Attention.Kind kind) {
        Attention attention = kind == Attention.Kind.ADDITIVE ? Attention.additive(4, 4, 5, 1)
                : Attention.dot(kind == Attention.Kind.SCALED_DOT);
        List<Tensor> keys = set(4, 2, 4, 20);
        Tensor q = Tensor.uniform(2, 4, -1, 1, 3);
        boolean[][] valid = Attention.validFromLengths(new int[] {4, 2}, 4);
        Attention.Result r = attention.attend(q, attention.prepare(keys), keys, valid);
        for (int b = 0; b < 2; b++) {
            double sum = 0;
            for (int n = 0; n < 4; n++) {
                sum += r.weights().get(b, n);
            }
            assertEquals(1, sum, 1e-12);
        }
        assertEquals(0, r.weights().get(1, 2), 1e-300);
        assertEquals(0, r.weights().get(1, 3), 1e-300);
        List<Tensor> inputs = new ArrayList<>(attention.parameters());
        inputs.add(q);
        inputs.add(keys.get(1));
        GradCheck.check(in -> {
            Attention.Result res = attention.attend(q, attention.prepare(keys), keys, valid);
            return weighted(res.context(), 5).add(weighted(res.weights(), 6));
        }, inputs, 1e-6).assertBelow(1e-6);
    }

    @Test
    void attentionLearnsToLookAtThePositionThatHoldsTheAnswer() {
        Attention attention = Attention.additive(3, 3, 8, 4);
        dev.unroll.nn.layers.Linear readout = new dev.unroll.nn.layers.Linear(3, 1, 5);
        dev.unroll.nn.Module both = new dev.unroll.nn.Module() {
            {
                registerModule("attention", attention);
                registerModule("readout", readout);
            }
        };
        Adam adam = new Adam(both, 0.05);
        Tensor marker = Tensor.of(new double[][] {{1, 0, 0}});
        java.util.random.RandomGenerator rng = dev.unroll.autograd.Randomness.seeded(6);
        double lastWeight = 0;
        for (int step = 0; step < 1000; step++) {
            int target = rng.nextInt(4);
            List<Tensor> items = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                double value = rng.nextDouble() * 2 - 1;
                items.add(Tensor.of(new double[][] {{n == target ? 1 : 0, value, 1}}));
            }
            both.zeroGrad();
            try (Tape tape = Tape.record()) {
                Attention.Result r = attention.attend(marker, attention.prepare(items), items, null);
                Tensor prediction = readout.forward(r.context());
                tape.backward(dev.unroll.autograd.LossOps.mse(prediction, Tensor.scalar(items.get(target).get(0, 1))));
                lastWeight = step >= 900 ? lastWeight + r.weights().get(0, target) / 100 : 0;
            }
            adam.step();
        }
        assertTrue(lastWeight > 0.9, "mean weight on the answer over the last 100 steps " + lastWeight);
    }

    static Stream<Arguments> decoderCases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Attention.Kind kind : Attention.Kind.values()) {
            for (int batch : new int[] {1, 2}) {
                cases.add(Arguments.of(kind, batch));
            }
        }
        return cases.build();
    }

    /** Hidden and feature widths are both 3, so every kind of attention fits the decoder. */
    private static Attention attentionOf(Attention.Kind kind) {
        return kind == Attention.Kind.ADDITIVE ? Attention.additive(3, 3, 4, 7) : Attention.dot(kind == Attention.Kind.SCALED_DOT);
    }

    @ParameterizedTest(name = "{0}, batch {1}")
    @MethodSource("decoderCases")
    void teacherForcingExposesTheWeightsOfEveryStepAndGradientsCheckThroughThem(Attention.Kind kind, int batch) {
        AttentionDecoder decoder = new AttentionDecoder(5, 2, 3, 3, attentionOf(kind), 8);
        List<Tensor> features = set(3, batch, 3, 40);
        boolean[][] valid = Attention.validFromLengths(batch == 1 ? new int[] {2} : new int[] {3, 2}, 3);
        int[][] tokens = batch == 1 ? new int[][] {{0}, {2}, {4}, {1}} : new int[][] {{0, 0}, {2, 3}, {4, 1}, {1, 1}};
        int[] lengths = batch == 1 ? new int[] {4} : new int[] {4, 3};
        AttentionDecoder.TeacherForced tf = decoder.teacherForced(features, valid, tokens, lengths);
        assertEquals(decoder.loss(features, valid, tokens, lengths).item(), tf.loss().item(), 0.0);
        assertEquals(3, tf.weights().size());
        for (Tensor w : tf.weights()) {
            assertEquals(batch + "x3", w.shape());
            for (int b = 0; b < batch; b++) {
                assertEquals(1, w.get(b, 0) + w.get(b, 1) + w.get(b, 2), 1e-12);
            }
            assertEquals(0, w.get(batch - 1, 2), 1e-300);
        }
        AttentionDecoder.Decoded decoded = decoder.decode(features, valid, 0, 1, 3, TokenChooser.argmax());
        assertArrayEquals(decoded.weights().get(0).data(), tf.weights().get(0).data(), 1e-14,
                "the first step reads the start token either way");
        assertTrue(tf.weights().get(0).get(0, 0) != tf.weights().get(0).get(0, 1), "the weights depend on the keys");
        GradCheck.check(in -> {
            AttentionDecoder.TeacherForced r = decoder.teacherForced(features, valid, tokens, lengths);
            return r.loss().add(weighted(r.weights().get(0), 9)).add(weighted(r.weights().get(2), 10));
        }, decoder.parameters(), 1e-6).assertBelow(1e-6);
        List<Tensor> inputs = new ArrayList<>(features);
        GradCheck.check(in -> decoder.teacherForced(in, valid, tokens, lengths).loss(), inputs, 1e-6).assertBelow(1e-6);
    }

    @Test
    void theDecoderRefusesAnAttentionOfOtherWidths() {
        assertEquals("AttentionDecoder: the attention takes queries of width 4 and keys of width 2 but the decoder's "
                + "queries (its hidden state) are 3 wide and its features 2; use Attention.additive(3, 2, width, seed)",
                assertThrows(IllegalArgumentException.class,
                        () -> new AttentionDecoder(5, 2, 2, 3, Attention.additive(4, 2, 3, 1), 2)).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new AttentionDecoder(5, 2, 2, 3, Attention.additive(3, 3, 3, 1), 2));
        assertEquals("AttentionDecoder: DOT attention compares the 3-wide hidden state with 2-wide features; make "
                + "hidden equal featureWidth or use Attention.additive(3, 2, width, seed)",
                assertThrows(IllegalArgumentException.class,
                        () -> new AttentionDecoder(5, 2, 2, 3, Attention.dot(false), 2)).getMessage());
    }

    @Test
    void theDecoderExposesOneWeightRowPerStepAndGradientsCheck() {
        AttentionDecoder decoder = new AttentionDecoder(5, 3, 2, 3, Attention.additive(3, 2, 3, 1), 2);
        List<Tensor> features = set(3, 2, 2, 30);
        boolean[][] valid = Attention.validFromLengths(new int[] {3, 2}, 3);
        int[][] tokens = {{0, 0}, {2, 3}, {3, 1}, {1, 1}};
        int[] lengths = {4, 3};
        GradCheck.check(in -> decoder.loss(features, valid, tokens, lengths), decoder.parameters(), 1e-6)
                .assertBelow(1e-6);
        AttentionDecoder.Decoded d = decoder.decode(features, valid, 0, 1, 6, TokenChooser.argmax());
        assertEquals(2, d.tokens().length);
        assertTrue(d.weights().size() >= 1 && d.weights().size() <= 6);
        assertEquals(0, d.weights().get(0).get(1, 2), 1e-300);
        assertThrows(IllegalArgumentException.class, () -> decoder.loss(set(3, 2, 4, 1), valid, tokens, lengths));
    }

    /** Any cell decodes: each part of its state starts from the features through its own init_ layer. */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void aDecoderOfAnyCellStartsEveryStatePartFromTheFeaturesAndGradientsCheck(CellType type) {
        AttentionDecoder decoder = new AttentionDecoder(5, 3, 2, type.cells(3, RecurrentOptions.defaults()),
                Attention.additive(3, 2, 3, 1), 2);
        List<String> initial = decoder.namedParameters().keySet().stream().filter(k -> k.startsWith("init_")).toList();
        boolean lstmFamily = type.name().contains("LSTM");
        assertEquals(lstmFamily ? List.of("init_h.weight", "init_h.bias", "init_c.weight", "init_c.bias")
                : List.of("init_h.weight", "init_h.bias"), initial);
        List<Tensor> features = set(3, 2, 2, 30);
        boolean[][] valid = Attention.validFromLengths(new int[] {3, 2}, 3);
        int[][] tokens = {{0, 0}, {2, 3}, {3, 1}, {1, 1}};
        GradCheck.check(in -> decoder.loss(features, valid, tokens, new int[] {4, 3}), decoder.parameters(), 1e-6)
                .assertBelow(1e-6);
    }
}
