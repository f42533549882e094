package dev.unroll.rnn.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.rnn.attention.Attention;
import dev.unroll.rnn.attention.AttentionDecoder;
import dev.unroll.rnn.condition.ConditionedLanguageModel;
import dev.unroll.rnn.layer.CellType;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.seq2seq.Seq2Seq;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScheduledSamplingTest {

    private static final RecurrentOptions TWO_LAYERS = RecurrentOptions.defaults().layers(2);
    private static final int[][] SOURCE = {{2, 3}, {3, 0}, {1, 0}};
    private static final int[] SOURCE_LENGTHS = {3, 1};
    private static final int[][] TARGET = {{0, 0}, {3, 2}, {4, 1}, {2, 1}, {1, 1}};
    private static final int[] TARGET_LENGTHS = {5, 3};
    private static final List<Tensor> FEATURES = List.of(Tensor.uniform(2, 4, -1, 1, 7), Tensor.uniform(2, 4, -1, 1, 8));
    private static final boolean[][] VALID = Attention.validFromLengths(new int[] {2, 1}, 2);
    private static final Tensor VECTORS = Tensor.uniform(2, 4, -1, 1, 9);

    private static ScheduledSampling sampling(double ratio, ScheduledSampling.Prediction prediction, long seed) {
        return new ScheduledSampling(TeacherForcingSchedule.constant(ratio), prediction, Randomness.seeded(seed));
    }

    /** The loss and every parameter's gradient, after one backward pass. */
    private static List<double[]> lossAndGradients(Module model, java.util.function.Supplier<Tensor> loss) {
        model.zeroGrad();
        List<double[]> out = new ArrayList<>();
        try (Tape tape = Tape.record()) {
            Tensor l = loss.get();
            tape.backward(l);
            out.add(l.data().clone());
        }
        model.parameters().forEach(p -> out.add(p.grad().data().clone()));
        return out;
    }

    private static void assertSameBits(List<double[]> expected, List<double[]> actual, String what) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), 0.0, what + " entry " + i);
        }
    }

    @Test
    void theDecaySchedulesFollowBengioEtAlsFormulas() {
        TeacherForcingSchedule linear = TeacherForcingSchedule.linear(1.0, 0.01, 0.1);
        assertEquals(1.0, linear.ratio(0));
        assertEquals(0.5, linear.ratio(50), 1e-15);
        assertEquals(0.1, linear.ratio(90), 1e-15);
        assertEquals(0.1, linear.ratio(5000));
        TeacherForcingSchedule exponential = TeacherForcingSchedule.exponential(0.99);
        assertEquals(1.0, exponential.ratio(0));
        assertEquals(0.99, exponential.ratio(1), 1e-15);
        assertEquals(0.36603234127322950, exponential.ratio(100), 1e-15);
        TeacherForcingSchedule sigmoid = TeacherForcingSchedule.inverseSigmoid(10);
        assertEquals(10.0 / 11.0, sigmoid.ratio(0), 1e-15);
        assertEquals(10 / (10 + Math.E), sigmoid.ratio(10), 1e-15);
        assertEquals(10 / (10 + Math.exp(10)), sigmoid.ratio(100), 1e-18);
        assertEquals(0.5, sigmoid.ratio(23), 0.01);
        assertThrows(IllegalArgumentException.class, () -> TeacherForcingSchedule.exponential(1));
        assertThrows(IllegalArgumentException.class, () -> TeacherForcingSchedule.inverseSigmoid(0.5));
        assertThrows(IllegalArgumentException.class, () -> TeacherForcingSchedule.linear(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TeacherForcingSchedule.constant(1.5));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new ScheduledSampling(i -> 2.0, ScheduledSampling.Prediction.ARGMAX, Randomness.seeded(1)).ratio(7));
        assertTrue(bad.getMessage().contains("iteration 7"), bad.getMessage());
    }

    @Test
    void eachInputIsTheTruthWithTheRatiosProbabilityElseTheModelsOwnToken() {
        Tensor logits = Tensor.of(new double[][] {{0, 3, 1}, {2, 0, 1}});
        int[] truth = {0, 2};
        ScheduledSampling.Choices forced = sampling(1, ScheduledSampling.Prediction.ARGMAX, 1).flip(0, 2, 2);
        assertTrue(forced.allGroundTruth());
        assertArrayEquals(truth, forced.inputs(1, truth, logits));
        ScheduledSampling.Choices own = sampling(0, ScheduledSampling.Prediction.ARGMAX, 1).flip(0, 2, 2);
        assertFalse(own.allGroundTruth());
        assertTrue(own.groundTruth(0, 0) && own.groundTruth(0, 1), "step 0 reads the start token");
        assertArrayEquals(new int[] {1, 0}, own.inputs(1, truth, logits));
        ScheduledSampling.Choices some = sampling(0.3, ScheduledSampling.Prediction.ARGMAX, 2).flip(0, 10001, 1);
        int truthful = 0;
        for (int t = 1; t <= 10000; t++) {
            truthful += some.groundTruth(t, 0) ? 1 : 0;
        }
        assertEquals(0.3, truthful / 10000.0, 0.02);
    }

    @Test
    void theSameSeedMakesTheSameChoices() {
        Tensor logits = Tensor.uniform(50, 6, -1, 1, 3);
        int[] truth = new int[50];
        for (ScheduledSampling.Prediction prediction : ScheduledSampling.Prediction.values()) {
            int[] a = sampling(0.5, prediction, 4).flip(0, 2, 50).inputs(1, truth, logits);
            assertArrayEquals(a, sampling(0.5, prediction, 4).flip(0, 2, 50).inputs(1, truth, logits));
            assertNotEquals(Arrays.toString(a),
                    Arrays.toString(sampling(0.5, prediction, 5).flip(0, 2, 50).inputs(1, truth, logits)));
        }
        Seq2Seq model = new Seq2Seq(4, 5, 3, CellType.LSTM.cells(4, TWO_LAYERS), TWO_LAYERS, 2);
        Function<Long, Double> loss = seed -> model.loss(SOURCE, SOURCE_LENGTHS, TARGET, TARGET_LENGTHS,
                sampling(0.5, ScheduledSampling.Prediction.SAMPLED, seed), 0).item();
        assertEquals(loss.apply(6L), loss.apply(6L), 0.0);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void ratioOneIsTeacherForcingBitForBitForTheEncoderDecoder(CellType type) {
        Seq2Seq model = new Seq2Seq(4, 5, 3, type.cells(4, TWO_LAYERS), TWO_LAYERS, 1);
        assertSameBits(lossAndGradients(model, () -> model.loss(SOURCE, SOURCE_LENGTHS, TARGET, TARGET_LENGTHS)),
                lossAndGradients(model, () -> model.loss(SOURCE, SOURCE_LENGTHS, TARGET, TARGET_LENGTHS,
                        sampling(1, ScheduledSampling.Prediction.SAMPLED, 3), 0)), type.toString());
        assertNotEquals(model.loss(SOURCE, SOURCE_LENGTHS, TARGET, TARGET_LENGTHS).item(),
                model.loss(SOURCE, SOURCE_LENGTHS, TARGET, TARGET_LENGTHS, sampling(0, ScheduledSampling.Prediction.ARGMAX,
                        3), 0).item());
    }

    @Test
    void ratioOneIsTeacherForcingBitForBitForTheAttentionAndConditionedDecoders() {
        AttentionDecoder attention = new AttentionDecoder(5, 3, 4, 4, Attention.dot(true), 4);
        assertSameBits(lossAndGradients(attention, () -> attention.loss(FEATURES, VALID, TARGET, TARGET_LENGTHS)),
                lossAndGradients(attention, () -> attention.loss(FEATURES, VALID, TARGET, TARGET_LENGTHS,
                        sampling(1, ScheduledSampling.Prediction.SAMPLED, 3), 0)), "attention");
        for (ConditionedLanguageModel.Mode mode : ConditionedLanguageModel.Mode.values()) {
            ConditionedLanguageModel conditioned = new ConditionedLanguageModel(5, 3, 4,
                    CellType.GRU.cells(4, RecurrentOptions.defaults()), mode, 5);
            assertSameBits(lossAndGradients(conditioned, () -> conditioned.loss(VECTORS, TARGET, TARGET_LENGTHS)),
                    lossAndGradients(conditioned, () -> conditioned.loss(VECTORS, TARGET, TARGET_LENGTHS,
                            sampling(1, ScheduledSampling.Prediction.SAMPLED, 3), 0)), mode.toString());
        }
    }

    @Test
    void gradientsFlowThroughTheMixedInputsAsFiniteDifferencesSay() {
        Seq2Seq seq2seq = new Seq2Seq(4, 5, 2, CellType.LSTM.cells(3, TWO_LAYERS), TWO_LAYERS, 1);
        GradCheck.check(in -> seq2seq.loss(SOURCE, SOURCE_LENGTHS, TARGET, TARGET_LENGTHS,
                sampling(0.5, ScheduledSampling.Prediction.SAMPLED, 8), 0), seq2seq.parameters(), 1e-6).assertBelow(1e-6);
        AttentionDecoder attention = new AttentionDecoder(5, 2, 4, 3, Attention.additive(3, 4, 3, 2), 3);
        GradCheck.check(in -> attention.loss(FEATURES, VALID, TARGET, TARGET_LENGTHS,
                sampling(0.3, ScheduledSampling.Prediction.ARGMAX, 9), 0), attention.parameters(), 1e-6).assertBelow(1e-6);
        ConditionedLanguageModel conditioned = new ConditionedLanguageModel(5, 2, 4,
                CellType.LSTM.cells(3, RecurrentOptions.defaults()), ConditionedLanguageModel.Mode.BOTH, 4);
        GradCheck.check(in -> conditioned.loss(VECTORS, TARGET, TARGET_LENGTHS,
                sampling(0.5, ScheduledSampling.Prediction.SAMPLED, 10), 0), conditioned.parameters(), 1e-6)
                .assertBelow(1e-6);
    }

    @Test
    void theScheduleSetsTheRatioOfEachIteration() {
        ScheduledSampling decaying = new ScheduledSampling(TeacherForcingSchedule.linear(1, 0.5, 0),
                ScheduledSampling.Prediction.ARGMAX, Randomness.seeded(1));
        Seq2Seq model = new Seq2Seq(4, 5, 3, CellType.GRU.cells(4, TWO_LAYERS), TWO_LAYERS, 3);
        double forced = model.loss(SOURCE, SOURCE_LENGTHS, TARGET, TARGET_LENGTHS).item();
        assertEquals(forced, model.loss(SOURCE, SOURCE_LENGTHS, TARGET, TARGET_LENGTHS, decaying, 0).item(), 0.0);
        double own = model.loss(SOURCE, SOURCE_LENGTHS, TARGET, TARGET_LENGTHS, sampling(0,
                ScheduledSampling.Prediction.ARGMAX, 1), 0).item();
        assertEquals(own, model.loss(SOURCE, SOURCE_LENGTHS, TARGET, TARGET_LENGTHS, decaying, 2).item(), 0.0);
    }
}
