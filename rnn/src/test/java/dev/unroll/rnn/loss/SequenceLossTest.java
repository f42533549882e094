package dev.unroll.rnn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tensor;
import dev.unroll.rnn.State;
import dev.unroll.rnn.layer.Gru;
import dev.unroll.rnn.layer.Lstm;
import dev.unroll.rnn.layer.RecurrentOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SequenceLossTest {

    private static final int STEPS = 4;
    private static final int BATCH = 3;
    private static final int[] LENGTHS = {4, 2, 3};
    private static final int[][] TARGETS = {{0, 1, 2}, {2, 2, 1}, {1, 0, 0}, {2, 1, 1}};

    private static List<Tensor> logits(long seed) {
        List<Tensor> out = new ArrayList<>();
        for (int t = 0; t < STEPS; t++) {
            out.add(Tensor.uniform(BATCH, 3, -2, 2, seed + t));
        }
        return out;
    }

    /** The same loss computed one (step, sequence) at a time. */
    private static double byHand(List<Tensor> logits, StepMask mask, Reduction r) {
        double sum = 0;
        for (int t = 0; t < STEPS; t++) {
            for (int b = 0; b < BATCH; b++) {
                if (mask.counts(t, b)) {
                    sum += LossOps.softmaxCrossEntropy(logits.get(t).sliceRows(b, b + 1), new int[] {TARGETS[t][b]}).item();
                }
            }
        }
        return r == Reduction.MEAN ? sum / mask.count() : sum;
    }

    @ParameterizedTest
    @EnumSource(value = Reduction.class, names = {"SUM", "MEAN"})
    void crossEntropyCountsExactlyTheMaskedSteps(Reduction r) {
        List<Tensor> logits = logits(1);
        for (StepMask mask : List.of(StepMask.all(STEPS, BATCH), StepMask.lengths(LENGTHS, STEPS),
                StepMask.lastStep(LENGTHS, STEPS), StepMask.lastSteps(2, LENGTHS, STEPS))) {
            assertEquals(byHand(logits, mask, r), SequenceLoss.crossEntropy(logits, TARGETS, mask, r).item(), 1e-12);
        }
        assertEquals(3, StepMask.lastStep(LENGTHS, STEPS).count());
        assertEquals(9, StepMask.lengths(LENGTHS, STEPS).count());
        assertEquals(6, StepMask.lastSteps(2, LENGTHS, STEPS).count());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        List<Tensor> logits = logits(2);
        StepMask mask = StepMask.lengths(LENGTHS, STEPS);
        GradCheck.check(in -> SequenceLoss.crossEntropy(in, TARGETS, mask, Reduction.MEAN), logits.toArray(new Tensor[0]))
                .assertBelow(1e-6);
        List<Tensor> outs = logits(3);
        List<Tensor> targets = logits(4);
        GradCheck.check(in -> SequenceLoss.mse(in, targets, StepMask.lastSteps(2, LENGTHS, STEPS), Reduction.MEAN),
                outs.toArray(new Tensor[0])).assertBelow(1e-6);
        Tensor h = Tensor.uniform(1, 3, -1, 1, 5);
        GradCheck.check(in -> SequenceLoss.finalState(State.of(in.get(0)), Tensor.row(1, 0, -1)), h).assertBelow(1e-6);
        GradCheck.check(in -> SequenceLoss.lastOutputs(in, LENGTHS).sum().mul(in.get(1).sum()),
                outs.toArray(new Tensor[0])).assertBelow(1e-6);
    }

    @Test
    void stackedLogitsGiveTheSameLossAsPerStepLogits() {
        List<Tensor> logits = logits(7);
        Tensor stacked = dev.unroll.autograd.ShapeOps.concatRows(logits);
        for (Reduction r : new Reduction[] {Reduction.SUM, Reduction.MEAN}) {
            StepMask mask = StepMask.lastSteps(2, LENGTHS, STEPS);
            assertEquals(byHand(logits, mask, r), SequenceLoss.crossEntropy(stacked, TARGETS, mask, r).item(), 1e-12);
        }
        GradCheck.check(in -> SequenceLoss.crossEntropy(in.get(0), TARGETS, StepMask.lengths(LENGTHS, STEPS),
                Reduction.MEAN), stacked).assertBelow(1e-6);
        assertEquals("SequenceLoss.crossEntropy: stacked logits 9x3 have 9 rows but the mask covers 4 steps of 3 "
                + "sequences (12 rows, step-major)", assertThrows(IllegalArgumentException.class,
                        () -> SequenceLoss.crossEntropy(stacked.sliceRows(0, 9), TARGETS, StepMask.all(STEPS, BATCH),
                                Reduction.SUM)).getMessage());
    }

    @Test
    void finalStateIsTheMeanSquaredErrorOfHOrOfHAndC() {
        State state = State.of(Tensor.of(new double[][] {{1, 2}, {3, 4}}), Tensor.of(new double[][] {{1, 0}, {0, 1}}));
        Tensor zeros = Tensor.zeros(2, 2);
        assertEquals((1 + 4 + 9 + 16) / 4.0, SequenceLoss.finalState(state, zeros).item(), 1e-15);
        assertEquals((1 + 4 + 9 + 16 + 1 + 1) / 8.0, SequenceLoss.finalState(state, State.of(zeros, zeros)).item(), 1e-15);
        assertEquals((0 + 1 + 4 + 9 + 0 + 1 + 0 + 1) / 8.0, SequenceLoss.finalState(state,
                State.of(Tensor.of(new double[][] {{1, 1}, {1, 1}}), Tensor.of(new double[][] {{1, 1}, {0, 0}}))).item(),
                1e-15);
        assertThrows(IllegalArgumentException.class,
                () -> SequenceLoss.finalState(State.of(state.h()), State.of(zeros, zeros)));
    }

    /** "Desired final activities": a target for the state a real layer ends in, through BPTT. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void finalStateTargetsBackpropagateThroughALayer(int batch) {
        List<Tensor> xs = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            xs.add(Tensor.uniform(batch, 2, -1, 1, 20 + t));
        }
        Tensor targetH = Tensor.uniform(batch, 3, -0.5, 0.5, 30);
        Tensor targetC = Tensor.uniform(batch, 3, -0.5, 0.5, 31);
        Lstm lstm = new Lstm(2, 3, RecurrentOptions.defaults().layers(2).bidirectional(), 32);
        List<Tensor> leaves = new ArrayList<>(lstm.parameters());
        leaves.add(xs.get(0));
        GradCheck.check(in -> SequenceLoss.finalState(lstm.forward(xs).topState(), State.of(targetH, targetC)),
                leaves, 1e-6).assertBelow(1e-6);
        Gru gru = new Gru(2, 3, RecurrentOptions.defaults().learnedInitialState(), 33);
        int[] lengths = batch == 1 ? new int[] {2} : new int[] {3, 1};
        GradCheck.check(in -> SequenceLoss.finalState(gru.forward(xs, null, lengths).topState(), targetH),
                gru.parameters(), 1e-6).assertBelow(1e-6);
    }

    @Test
    void maskedMseIgnoresPaddedRowsAndAveragesOverCountedElements() {
        List<Tensor> outs = List.of(Tensor.of(new double[][] {{1, 1}, {5, 5}}), Tensor.of(new double[][] {{2, 0}, {9, 9}}));
        List<Tensor> targets = List.of(Tensor.zeros(2, 2), Tensor.zeros(2, 2));
        StepMask mask = StepMask.lengths(new int[] {2, 1}, 2);
        assertEquals((1 + 1 + 25 + 25 + 4) / 6.0, SequenceLoss.mse(outs, targets, mask, Reduction.MEAN).item(), 1e-14);
    }

    @Test
    void lastOutputsPicksEachSequencesOwnLastStep() {
        List<Tensor> outs = logits(6);
        Tensor last = SequenceLoss.lastOutputs(outs, LENGTHS);
        for (int b = 0; b < BATCH; b++) {
            assertArrayEquals(outs.get(LENGTHS[b] - 1).sliceRows(b, b + 1).data(), last.sliceRows(b, b + 1).data());
        }
    }

    @Test
    void reductionNoneGivesEveryStepsLossStackedWithZerosWhereNotCounted() {
        List<Tensor> logits = logits(1);
        StepMask mask = StepMask.lengths(LENGTHS, STEPS);
        double[] perStep = SequenceLoss.crossEntropy(logits, TARGETS, mask, Reduction.NONE).data();
        List<Tensor> targets = logits(20);
        double[] squared = SequenceLoss.mse(logits, targets, mask, Reduction.NONE).data();
        for (int t = 0; t < STEPS; t++) {
            for (int b = 0; b < BATCH; b++) {
                double expected = mask.counts(t, b)
                        ? LossOps.softmaxCrossEntropy(logits.get(t).sliceRows(b, b + 1), new int[] {TARGETS[t][b]}).item() : 0;
                assertEquals(expected, perStep[t * BATCH + b], 1e-14);
                for (int c = 0; c < 3; c++) {
                    double d = logits.get(t).get(b, c) - targets.get(t).get(b, c);
                    assertEquals(mask.counts(t, b) ? d * d : 0, squared[(t * BATCH + b) * 3 + c], 1e-14);
                }
            }
        }
        GradCheck.check(in -> SequenceLoss.crossEntropy(in, TARGETS, mask, Reduction.NONE).mul(
                Tensor.uniform(STEPS * BATCH, 1, -1, 1, 30)).sum(), logits, 1e-6).assertBelow(1e-6);
        GradCheck.check(in -> SequenceLoss.mse(in, targets, mask, Reduction.NONE).mul(
                Tensor.uniform(STEPS * BATCH, 3, -1, 1, 31)).sum(), logits, 1e-6).assertBelow(1e-6);
    }

    @Test
    void mismatchedMasksAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> SequenceLoss.crossEntropy(logits(1), TARGETS, StepMask.all(3, BATCH), Reduction.SUM));
        assertThrows(IllegalArgumentException.class, () -> StepMask.lengths(new int[] {5}, STEPS));
    }

    @Test
    void stepsOfUnequalBatchesAreRefusedEvenWhenTheirRowsAddUp() {
        List<Tensor> logits = new ArrayList<>(logits(1));
        logits.set(1, Tensor.uniform(BATCH + 1, 3, -2, 2, 5));
        logits.set(2, Tensor.uniform(BATCH - 1, 3, -2, 2, 6));
        assertEquals("SequenceLoss.crossEntropy: logits at step 1 are 4x3 but step 0 has 3 rows; every step needs "
                + "one row per sequence", assertThrows(IllegalArgumentException.class,
                        () -> SequenceLoss.crossEntropy(logits, TARGETS, StepMask.all(STEPS, BATCH), Reduction.SUM))
                        .getMessage());
    }

    @Test
    void aMaskThatCountsNothingIsRefusedForStackedLogitsToo() {
        StepMask none = StepMask.of(new boolean[STEPS][BATCH]);
        Tensor stacked = dev.unroll.autograd.ShapeOps.concatRows(logits(1));
        assertEquals("SequenceLoss.crossEntropy: the mask counts no step; nothing to learn from",
                assertThrows(IllegalArgumentException.class,
                        () -> SequenceLoss.crossEntropy(stacked, TARGETS, none, Reduction.SUM)).getMessage());
    }
}
