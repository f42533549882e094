package dev.unroll.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void stepDecayMultipliesByGammaEveryStepSizeEpochs() {
        LearningRateSchedule s = LearningRateSchedule.stepDecay(10, 0.5);
        assertEquals(1.0, s.rate(1.0, 9));
        assertEquals(0.5, s.rate(1.0, 10));
        assertEquals(0.25, s.rate(1.0, 25));
    }

    @Test
    void exponentialDecayIsGammaToTheEpoch() {
        assertEquals(2 * Math.pow(0.9, 7), LearningRateSchedule.exponentialDecay(0.9).rate(2, 7), 1e-15);
    }

    @Test
    void cosineAnnealsFromTheInitialRateToTheMinimumAndStays() {
        LearningRateSchedule s = LearningRateSchedule.cosine(100, 0.001);
        assertEquals(0.1, s.rate(0.1, 0), 1e-15);
        assertEquals(0.001 + 0.099 * (1 + Math.cos(Math.PI * 0.25)) / 2, s.rate(0.1, 25), 1e-15);
        assertEquals(0.0505, s.rate(0.1, 50), 1e-15);
        assertEquals(0.001, s.rate(0.1, 100), 1e-15);
        assertEquals(0.001, s.rate(0.1, 150), 1e-15);
    }

    @Test
    void applySetsTheOptimizersRateFromItsInitialRate() {
        Sgd sgd = Sgd.options().lr(0.4).build(Map.of("w", Parameter.of(Tensor.scalar(1))));
        LearningRateSchedule s = LearningRateSchedule.stepDecay(1, 0.5);
        s.apply(sgd, 1);
        s.apply(sgd, 2);
        assertEquals(0.1, sgd.groups().get(0).learningRate());
        assertThrows(IllegalArgumentException.class, () -> s.apply(sgd, -1));
    }

    @Test
    void applyScalesEachGroupsOwnRateAsPyTorchsSchedulersDo() {
        Map<String, Parameter> params = new LinkedHashMap<>();
        params.put("weight", Parameter.of(Tensor.scalar(1)));
        params.put("bias", Parameter.vector(Tensor.row(1)));
        Sgd sgd = Sgd.options().lr(0.4).group(ParameterFilter.vectors(), g -> g.lr(0.04)).build(params);
        LearningRateSchedule.exponentialDecay(0.5).apply(sgd, 2);
        assertEquals(0.1, sgd.groups().get(0).learningRate());
        assertEquals(0.01, sgd.groups().get(1).learningRate());
        assertEquals(0.04, sgd.groups().get(1).initialLearningRate());
    }

    @Test
    void cosineMayAnnealToZeroAsPyTorchsDefaultDoesAndTheOptimizerAcceptsIt() {
        Parameter w = Parameter.of(Tensor.scalar(1));
        Sgd sgd = Sgd.options().lr(0.4).build(Map.of("w", w));
        LearningRateSchedule s = LearningRateSchedule.cosine(10, 0);
        s.apply(sgd, 5);
        assertEquals(0.2, sgd.groups().get(0).learningRate(), 1e-15);
        s.apply(sgd, 10);
        assertEquals(0.0, sgd.groups().get(0).learningRate());
        w.gradBuffer().data[0] = 3;
        sgd.step();
        assertEquals(1.0, w.data()[0]);
        s.apply(sgd, 12);
        assertEquals(0.0, sgd.groups().get(0).learningRate());
    }

    @Test
    void aNegativeOrNaNMinimumIsRefused() {
        for (double bad : new double[] {-0.001, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LearningRateSchedule.cosine(10, bad));
            assertEquals("cosine: period 10 must be positive and minimum " + bad + " zero or positive", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0, 0.1));
    }
}
