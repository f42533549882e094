package dev.unroll.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LossesTest {

    /** Classes 0, 1, 2, 0, ... with row {@code ignored} (if any) set to the default ignore index. */
    private static int[] targets(int batch, int ignored) {
        int[] targets = new int[batch];
        for (int i = 0; i < batch; i++) {
            targets[i] = i == ignored ? LossOps.DEFAULT_IGNORE_INDEX : i % 3;
        }
        return targets;
    }

    @Test
    void crossEntropyLossAppliesItsSettings() {
        Tensor logits = Tensor.of(new double[][] {{2, 0, 0}, {0, 1, 0}, {0, 0, 3}});
        int[] targets = {0, 1, 2};
        double[] rows = LossOps.softmaxCrossEntropy(logits, targets, Reduction.NONE).data();
        assertEquals((rows[0] + rows[1] + rows[2]) / 3, new CrossEntropyLoss().apply(logits, targets).item(), 1e-14);
        CrossEntropyLoss summed = new CrossEntropyLoss().reduction(Reduction.SUM).ignoreIndex(1);
        assertEquals(rows[0] + rows[2], summed.apply(logits, targets).item(), 1e-14);
        CrossEntropyLoss weighted = new CrossEntropyLoss().classWeights(1, 2, 3);
        assertEquals((rows[0] + 2 * rows[1] + 3 * rows[2]) / 6, weighted.apply(logits, targets).item(), 1e-14);
        assertEquals("CrossEntropyLoss(reduction=SUM, ignoreIndex=1)", summed.toString());
        assertEquals(-Math.log(Math.exp(3) / (2 + Math.exp(3))), rows[2], 1e-14);
    }

    @Test
    void nllMseAndBinaryCrossEntropyMatchTheirFormulas() {
        Tensor logProbs = Tensor.of(new double[][] {{Math.log(0.25), Math.log(0.75)}});
        assertEquals(-Math.log(0.75), new NllLoss().apply(logProbs, new int[] {1}).item(), 1e-14);
        assertEquals(2.5, new MseLoss().apply(Tensor.row(1, 2), Tensor.row(0, 0)).item(), 1e-14);
        assertEquals(5, new MseLoss(Reduction.SUM).apply(Tensor.row(1, 2), Tensor.row(0, 0)).item(), 1e-14);
        assertEquals(Math.log(2), new BceWithLogitsLoss().apply(Tensor.row(0), Tensor.row(1)).item(), 1e-14);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void lossGradientsMatchFiniteDifferences(int batch) {
        Tensor logits = Tensor.uniform(batch, 3, -2, 2, 1);
        int[] targets = targets(batch, -1);
        Tensor y = Tensor.uniform(batch, 3, 0, 1, 2);
        GradCheck.check(in -> new CrossEntropyLoss().classWeights(1, 0.5, 2).apply(in.get(0), targets), logits)
                .assertBelow(1e-6);
        GradCheck.check(in -> new NllLoss().reduction(Reduction.SUM).apply(in.get(0).logSoftmax(), targets), logits)
                .assertBelow(1e-6);
        GradCheck.check(in -> new MseLoss().apply(in.get(0), in.get(0).tanh()), logits).assertBelow(1e-6);
        GradCheck.check(in -> new BceWithLogitsLoss().apply(in.get(0), y), logits).assertBelow(1e-6);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void newOptionsGradientsMatchFiniteDifferences(int batch) {
        Tensor logits = Tensor.uniform(batch, 3, -2, 2, 3);
        int[] targets = targets(batch, 1);
        Tensor soft = Tensor.uniform(batch, 3, 0, 1, 4);
        CrossEntropyLoss smoothed = new CrossEntropyLoss().labelSmoothing(0.2).classWeights(1, 0.5, 2);
        GradCheck.check(in -> smoothed.apply(in.get(0), targets), logits).assertBelow(1e-6);
        GradCheck.check(in -> smoothed.reduction(Reduction.SUM).apply(in.get(0), in.get(1)), logits, soft).assertBelow(1e-6);
        BceWithLogitsLoss bce = new BceWithLogitsLoss().weight(Tensor.row(1, 2, 0.5)).posWeight(3, 1, 0.25);
        GradCheck.check(in -> bce.apply(in.get(0), soft), logits).assertBelow(1e-6);
    }

    @Test
    void probabilityTargetsRefuseAnIgnoreIndexAndSettingsPrint() {
        CrossEntropyLoss ignoring = new CrossEntropyLoss().ignoreIndex(0).labelSmoothing(0.1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ignoring.apply(Tensor.zeros(1, 2), Tensor.row(0.5, 0.5)));
        assertEquals("CrossEntropyLoss: ignore index 0 applies to class targets; probability targets have none (as in "
                + "PyTorch): give a row to skip all-zero probabilities, or use class targets", e.getMessage());
        assertEquals("CrossEntropyLoss(reduction=MEAN, ignoreIndex=0, labelSmoothing=0.1)", ignoring.toString());
        assertEquals("BceWithLogitsLoss(reduction=SUM, posWeight)", new BceWithLogitsLoss().posWeight(2).reduction(Reduction.SUM)
                .toString());
    }
}
