package dev.unroll.autograd;

import static dev.unroll.autograd.Gradients.assertGradients;
import static dev.unroll.autograd.Gradients.random;
import static dev.unroll.autograd.Gradients.weighted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LossOpsTest {

    private static final int IGNORE = LossOps.DEFAULT_IGNORE_INDEX;

    /** Targets of 4 classes for a batch, row 2 ignored when there is one. */
    private static int[] targets(int batch) {
        int[] targets = new int[batch];
        for (int r = 0; r < batch; r++) {
            targets[r] = batch > 1 && r == 2 ? IGNORE : (r * 3) % 4;
        }
        return targets;
    }

    @Test
    void crossEntropyIsMinusLogTheTargetProbability() {
        Tensor logits = Tensor.of(new double[][] {{1, 2, 3}, {0, 0, 0}});
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        double row0 = -Math.log(Math.exp(1) / z);
        double row1 = Math.log(3);
        assertEquals(row0 + row1, LossOps.softmaxCrossEntropy(logits, new int[] {0, 2}, Reduction.SUM).item(), 1e-14);
        assertEquals((row0 + row1) / 2, LossOps.softmaxCrossEntropy(logits, new int[] {0, 2}).item(), 1e-14);
        assertArrayEquals(new double[] {row0, row1},
                LossOps.softmaxCrossEntropy(logits, new int[] {0, 2}, Reduction.NONE).data(), 1e-14);
        assertEquals(row1, LossOps.softmaxCrossEntropy(logits, new int[] {IGNORE, 2}).item(), 1e-14);
    }

    @Test
    void classWeightsScaleRowsAndTheMeanDividesByTotalWeightAsInPyTorch() {
        Tensor logits = Tensor.of(new double[][] {{1, 2, 3}, {0, 0, 0}, {3, 1, 0}});
        double[] w = {2, 1, 0.5};
        double[] plain = LossOps.softmaxCrossEntropy(logits, new int[] {0, 2, 1}, Reduction.NONE).data();
        double expected = (2 * plain[0] + 0.5 * plain[1] + 1 * plain[2]) / 3.5;
        assertEquals(expected, LossOps.softmaxCrossEntropy(logits, new int[] {0, 2, 1}, w, Reduction.MEAN, IGNORE).item(),
                1e-14);
    }

    @Test
    void meanOfAFullyIgnoredBatchIsZeroNotNaN() {
        assertEquals(0, LossOps.softmaxCrossEntropy(Tensor.zeros(2, 3), new int[] {IGNORE, IGNORE}).item());
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void crossEntropyAndNllGradientsMatchFiniteDifferences(Reduction reduction) {
        double[] w = {0.5, 2, 1, 1.5};
        for (int batch : new int[] {1, 5}) {
            Tensor logits = random(batch, 4, 17).scale(2);
            int[] targets = targets(batch);
            assertGradients(in -> weighted(LossOps.softmaxCrossEntropy(in.get(0), targets, reduction)), logits);
            assertGradients(in -> weighted(LossOps.softmaxCrossEntropy(in.get(0), targets, w, reduction, IGNORE)), logits);
            assertGradients(in -> weighted(LossOps.nllLoss(in.get(0).logSoftmax(), targets, w, reduction, IGNORE)), logits);
        }
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void classificationLossesOfAnInputUsedTwiceGetBothGradients(Reduction reduction) {
        double[] w = {0.5, 2, 1, 1.5};
        int[] targets = {1, IGNORE, 3, 0};
        Tensor x = random(4, 4, 21).scale(2);
        assertGradients(in -> weighted(LossOps.softmaxCrossEntropy(in.get(0), targets, w, reduction, IGNORE)
                .mul(ReductionOps.sumOverCols(in.get(0)).sum())), x);
        assertGradients(in -> weighted(LossOps.softmaxCrossEntropy(in.get(0).add(in.get(0).tanh()), targets, reduction)), x);
        assertGradients(in -> weighted(LossOps.nllLoss(in.get(0).logSoftmax(), targets, w, reduction, IGNORE)
                .mul(in.get(0).pow(2).sum())), x);
        assertGradients(in -> weighted(LossOps.nllLoss(in.get(0), targets, null, reduction, IGNORE)
                .add(LossOps.nllLoss(in.get(0).exp(), targets, w, reduction, IGNORE))), x);
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void binaryCrossEntropyOfAnInputUsedTwiceGetsBothGradients(Reduction reduction) {
        Tensor x = random(3, 4, 22).scale(3);
        Tensor probs = Tensor.uniform(3, 4, 0, 1, 23);
        assertGradients(in -> weighted(LossOps.binaryCrossEntropyWithLogits(in.get(0), probs, reduction).mul(in.get(0).sum())),
                x);
        assertGradients(in -> weighted(LossOps.binaryCrossEntropyWithLogits(in.get(0).mul(in.get(0)), probs, reduction)), x);
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void labelSmoothingProbabilityTargetsAndBinaryWeightsMatchFiniteDifferences(Reduction reduction) {
        double[] w = {0.5, 0, 1, 1.5};
        for (int batch : new int[] {1, 5}) {
            Tensor logits = random(batch, 4, 31).scale(2);
            int[] targets = targets(batch);
            Tensor probs = Tensor.uniform(batch, 4, 0, 1, 32);
            assertGradients(in -> weighted(LossOps.softmaxCrossEntropy(in.get(0), targets, null, reduction, IGNORE, 0.2)),
                    logits);
            assertGradients(in -> weighted(LossOps.softmaxCrossEntropy(in.get(0), targets, w, reduction, IGNORE, 0.1)),
                    logits);
            assertGradients(in -> weighted(LossOps.softmaxCrossEntropy(in.get(0), in.get(1), w, reduction, 0.3)),
                    logits, probs);
            assertGradients(in -> weighted(LossOps.softmaxCrossEntropy(in.get(0), in.get(0).softmax(), null, reduction, 0)),
                    logits);
            Tensor bceTargets = Tensor.uniform(batch, 4, 0, 1, 33);
            Tensor perClass = Tensor.row(0.5, 2, 1, 0.25);
            double[] positive = {3, 0.5, 1, 2};
            assertGradients(in -> weighted(LossOps.binaryCrossEntropyWithLogits(in.get(0), bceTargets, perClass, positive,
                    reduction).mul(in.get(0).sum())), logits.scale(2));
            assertGradients(in -> weighted(LossOps.binaryCrossEntropyWithLogits(in.get(0), bceTargets,
                    Tensor.uniform(batch, 1, 0, 1, 34), null, reduction)), logits.scale(2));
        }
    }

    @Test
    void anEmptyMeanIsZeroWithAZeroGradientAlsoWithLabelSmoothing() {
        Tensor logits = random(2, 3, 35).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor loss = LossOps.softmaxCrossEntropy(logits, new int[] {IGNORE, IGNORE}, null, Reduction.MEAN, IGNORE, 0.1);
            assertEquals(0, loss.item());
            tape.backward(loss);
        }
        assertArrayEquals(new double[6], logits.grad().data());
    }

    @Test
    void badLabelSmoothingProbabilityShapesAndBinaryWeightsAreRefusedWithTheFix() {
        Tensor x = Tensor.zeros(2, 3);
        assertEquals("softmaxCrossEntropy: label smoothing 1.5 is outside [0, 1]; 0 is none, 0.1 a common choice",
                assertThrows(IllegalArgumentException.class, () -> LossOps.softmaxCrossEntropy(x, new int[] {0, 1}, null,
                        Reduction.MEAN, IGNORE, 1.5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> LossOps.softmaxCrossEntropy(x, Tensor.zeros(2, 2), null,
                Reduction.MEAN, 0));
        assertEquals("binaryCrossEntropyWithLogits: weight 2x2 does not broadcast to 2x3; give 2x3, 1x3 (per class) or 2x1 "
                + "(per example)", assertThrows(IllegalArgumentException.class, () -> LossOps.binaryCrossEntropyWithLogits(
                        x, x, Tensor.zeros(2, 2), null, Reduction.MEAN)).getMessage());
        assertEquals("binaryCrossEntropyWithLogits: 2 positive weights for 3 classes (columns); give one per class",
                assertThrows(IllegalArgumentException.class, () -> LossOps.binaryCrossEntropyWithLogits(x, x, null,
                        new double[] {1, 2}, Reduction.MEAN)).getMessage());
    }

    @Test
    void fusedCrossEntropyEqualsNllOfLogSoftmax() {
        Tensor logits = random(6, 5, 2).scale(4);
        int[] t = {0, 1, 2, 3, 4, 0};
        assertEquals(LossOps.nllLoss(logits.logSoftmax(), t).item(), LossOps.softmaxCrossEntropy(logits, t).item(), 1e-14);
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void mseAndBinaryCrossEntropyGradientsMatchFiniteDifferencesForBatchOneAndMany(Reduction reduction) {
        for (int batch : new int[] {1, 3}) {
            Tensor p = random(batch, 4, 5);
            Tensor y = random(batch, 4, 6);
            assertGradients(in -> weighted(LossOps.mse(in.get(0), in.get(1), reduction)), p, y);
            assertGradients(in -> weighted(LossOps.mse(in.get(0), in.get(0).tanh(), reduction)), p);
            Tensor probs = Tensor.uniform(batch, 4, 0, 1, 7);
            assertGradients(in -> weighted(LossOps.binaryCrossEntropyWithLogits(in.get(0), probs, reduction)), p.scale(3));
        }
    }

    @Test
    void mseAndBinaryCrossEntropyMatchTheirFormulas() {
        assertEquals((1 + 4) / 2.0, LossOps.mse(Tensor.row(1, 2), Tensor.row(0, 0)).item());
        double x = 2.0;
        double y = 0.25;
        double s = 1 / (1 + Math.exp(-x));
        double expected = -(y * Math.log(s) + (1 - y) * Math.log(1 - s));
        assertEquals(expected, LossOps.binaryCrossEntropyWithLogits(Tensor.scalar(x), Tensor.scalar(y), Reduction.MEAN).item(),
                1e-14);
        assertEquals(1000, LossOps.binaryCrossEntropyWithLogits(Tensor.scalar(-1000), Tensor.scalar(1), Reduction.SUM).item(),
                1e-9);
    }

    @Test
    void targetErrorsNameTheProblem() {
        assertEquals("softmaxCrossEntropy: target 3 at row 1 is outside [0, 3) and is not the ignore index -100",
                assertThrows(IllegalArgumentException.class,
                        () -> LossOps.softmaxCrossEntropy(Tensor.zeros(2, 3), new int[] {0, 3})).getMessage());
        assertEquals("softmaxCrossEntropy: 1 targets for 2x3 scores; give one target per row",
                assertThrows(IllegalArgumentException.class,
                        () -> LossOps.softmaxCrossEntropy(Tensor.zeros(2, 3), new int[] {0})).getMessage());
        assertEquals("softmaxCrossEntropy: 2 class weights for 3 classes; give one weight per class",
                assertThrows(IllegalArgumentException.class, () -> LossOps.softmaxCrossEntropy(Tensor.zeros(2, 3),
                        new int[] {0, 1}, new double[] {1, 2}, Reduction.MEAN, IGNORE)).getMessage());
        assertEquals("nllLoss: 4 class weights for 3 classes; give one weight per class",
                assertThrows(IllegalArgumentException.class, () -> LossOps.nllLoss(Tensor.zeros(2, 3),
                        new int[] {0, 1}, new double[] {1, 2, 3, 4}, Reduction.SUM, IGNORE)).getMessage());
        assertEquals("nllLoss: target -1 at row 0 is outside [0, 3) and is not the ignore index -100",
                assertThrows(IllegalArgumentException.class,
                        () -> LossOps.nllLoss(Tensor.zeros(2, 3), new int[] {-1, 0})).getMessage());
        assertEquals("nllLoss: target 3 at row 1 is outside [0, 3) and is not the ignore index 7",
                assertThrows(IllegalArgumentException.class, () -> LossOps.nllLoss(Tensor.zeros(2, 3),
                        new int[] {7, 3}, null, Reduction.MEAN, 7)).getMessage());
        assertEquals("nllLoss: 3 targets for 2x3 scores; give one target per row",
                assertThrows(IllegalArgumentException.class,
                        () -> LossOps.nllLoss(Tensor.zeros(2, 3), new int[] {0, 1, 2})).getMessage());
        assertEquals("binaryCrossEntropyWithLogits: logits 2x3 and targets 2x1 differ in shape",
                assertThrows(IllegalArgumentException.class, () -> LossOps.binaryCrossEntropyWithLogits(Tensor.zeros(2, 3),
                        Tensor.zeros(2, 1), Reduction.MEAN)).getMessage());
        assertEquals("mse: prediction 2x3 and target 3x2 differ in shape",
                assertThrows(IllegalArgumentException.class,
                        () -> LossOps.mse(Tensor.zeros(2, 3), Tensor.zeros(3, 2))).getMessage());
    }
}
