package dev.unroll.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
import java.util.Arrays;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.MatrixFeatures_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InitTest {

    private static double mean(Tensor t) {
        return t.mean().item();
    }

    private static double std(Tensor t) {
        double m = mean(t);
        double s = 0;
        for (double v : t.data()) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / t.size());
    }

    private static double maxAbs(Tensor t) {
        double max = 0;
        for (double v : t.data()) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    @Test
    void constantsFillEveryElement() {
        Tensor t = Tensor.ones(3, 4);
        assertSame(t, Init.zeros(t));
        assertEquals(0, maxAbs(t));
        assertEquals(2.5, Init.constant(t, 2.5).get(2, 3));
        assertEquals(2, Init.scaledIdentity(Tensor.zeros(3, 3), 2).get(1, 1));
        assertEquals(0, Init.scaledIdentity(Tensor.ones(3, 3), 2).get(0, 1));
    }

    @Test
    void distributionsHaveTheirDefiningStatistics() {
        Tensor u = Init.uniform(Tensor.zeros(200, 200), -2, 4, Randomness.seeded(1));
        assertEquals(1, mean(u), 0.05);
        assertTrue(maxAbs(u) <= 4);
        Tensor n = Init.normal(Tensor.zeros(200, 200), 3, 0.5, Randomness.seeded(2));
        assertEquals(3, mean(n), 0.01);
        assertEquals(0.5, std(n), 0.01);
    }

    @Test
    void xavierAndKaimingUsePyTorchsBoundsAndFans() {
        int out = 300;
        int in = 100;
        Tensor xu = Init.xavierUniform(Tensor.zeros(out, in), 1.0, Randomness.seeded(3));
        double a = Math.sqrt(6.0 / (in + out));
        assertTrue(maxAbs(xu) <= a && maxAbs(xu) > 0.99 * a);
        Tensor xn = Init.xavierNormal(Tensor.zeros(out, in), Nonlinearity.TANH.gain(), Randomness.seeded(4));
        assertEquals(5.0 / 3 * Math.sqrt(2.0 / (in + out)), std(xn), 0.003);
        Tensor ku = Init.kaimingUniform(Tensor.zeros(out, in), Fan.IN, Nonlinearity.RELU, Randomness.seeded(5));
        double b = Math.sqrt(2) * Math.sqrt(3.0 / in);
        assertTrue(maxAbs(ku) <= b && maxAbs(ku) > 0.99 * b);
        Tensor kn = Init.kaimingNormal(Tensor.zeros(out, in), Fan.OUT, Nonlinearity.RELU, Randomness.seeded(6));
        assertEquals(Math.sqrt(2) / Math.sqrt(out), std(kn), 0.002);
    }

    @ParameterizedTest
    @CsvSource({"50, 50", "20, 60", "60, 20"})
    void orthogonalGivesOrthonormalRowsOrColumnsScaledByTheGain(int rows, int cols) {
        Tensor q = Init.orthogonal(Tensor.zeros(rows, cols), 2.0, Randomness.seeded(7));
        DMatrixRMaj gram = rows <= cols ? new DMatrixRMaj(rows, rows) : new DMatrixRMaj(cols, cols);
        if (rows <= cols) {
            CommonOps_DDRM.multTransB(q.value(), q.value(), gram);
        } else {
            CommonOps_DDRM.multTransA(q.value(), q.value(), gram);
        }
        CommonOps_DDRM.scale(0.25, gram);
        assertTrue(MatrixFeatures_DDRM.isIdentity(gram, 1e-10));
    }

    /** Asserts that {@code init} fills a 300 x 100 weight with the given standard deviation, within 2 %. */
    private static void assertStd(double expected, Tensor t) {
        assertEquals(0, mean(t), 0.02 * expected);
        // the sample std of 30,000 draws is within 0.5 % of the true one; a gain or fan off by the
        // smallest ratio between candidates (tanh 5/3 vs relu sqrt 2: 18 %) is far outside 2 %
        assertEquals(expected, std(t), 0.02 * expected);
    }

    @Test
    void kaimingNormalWithFanInScalesByTheInputs() {
        int out = 300;
        int in = 100;
        assertStd(Math.sqrt(2) / Math.sqrt(in),
                Init.kaimingNormal(Tensor.zeros(out, in), Fan.IN, Nonlinearity.RELU, Randomness.seeded(21)));
        assertStd(5.0 / 3 / Math.sqrt(in),
                Init.kaimingNormal(Tensor.zeros(out, in), Fan.IN, Nonlinearity.TANH, Randomness.seeded(22)));
        assertStd(1.0 / Math.sqrt(in),
                Init.kaimingNormal(Tensor.zeros(out, in), Fan.IN, Nonlinearity.LINEAR, Randomness.seeded(23)));
    }

    @Test
    void kaimingUniformWithFanOutScalesByTheOutputsAndUsesTheTanhGain() {
        int out = 300;
        int in = 100;
        double bound = 5.0 / 3 * Math.sqrt(3.0 / out);
        Tensor t = Init.kaimingUniform(Tensor.zeros(out, in), Fan.OUT, Nonlinearity.TANH, Randomness.seeded(24));
        assertTrue(maxAbs(t) <= bound && maxAbs(t) > 0.99 * bound, maxAbs(t) + " vs bound " + bound);
        assertStd(bound / Math.sqrt(3), t);
        Tensor relu = Init.kaimingUniform(Tensor.zeros(out, in), Fan.OUT, Nonlinearity.RELU, Randomness.seeded(25));
        double reluBound = Math.sqrt(2) * Math.sqrt(3.0 / out);
        assertTrue(maxAbs(relu) <= reluBound && maxAbs(relu) > 0.99 * reluBound, maxAbs(relu) + " vs " + reluBound);
        Tensor fanIn = Init.kaimingUniform(Tensor.zeros(out, in), Fan.IN, Nonlinearity.TANH, Randomness.seeded(26));
        assertStd(5.0 / 3 * Math.sqrt(3.0 / in) / Math.sqrt(3), fanIn);
    }

    @Test
    void everyInitializerGivesTheSameBitsForTheSameSeed() {
        Map<String, java.util.function.LongFunction<Tensor>> inits = new java.util.LinkedHashMap<>();
        inits.put("uniform", seed -> Init.uniform(Tensor.zeros(7, 5), -1, 2, Randomness.seeded(seed)));
        inits.put("normal", seed -> Init.normal(Tensor.zeros(7, 5), 1, 3, Randomness.seeded(seed)));
        inits.put("xavierUniform", seed -> Init.xavierUniform(Tensor.zeros(7, 5), 1.5, Randomness.seeded(seed)));
        inits.put("xavierNormal", seed -> Init.xavierNormal(Tensor.zeros(7, 5), 1.5, Randomness.seeded(seed)));
        for (Fan fan : Fan.values()) {
            for (Nonlinearity g : Nonlinearity.values()) {
                inits.put("kaimingUniform " + fan + " " + g,
                        seed -> Init.kaimingUniform(Tensor.zeros(7, 5), fan, g, Randomness.seeded(seed)));
                inits.put("kaimingNormal " + fan + " " + g,
                        seed -> Init.kaimingNormal(Tensor.zeros(7, 5), fan, g, Randomness.seeded(seed)));
            }
        }
        inits.put("orthogonal wide", seed -> Init.orthogonal(Tensor.zeros(5, 7), 1.2, Randomness.seeded(seed)));
        inits.put("orthogonal tall", seed -> Init.orthogonal(Tensor.zeros(7, 5), 1.2, Randomness.seeded(seed)));
        inits.forEach((name, init) -> {
            double[] first = init.apply(9).data();
            assertArrayEquals(first, init.apply(9).data(), name);
            assertFalse(Arrays.equals(first, init.apply(10).data()), name + " ignores its seed");
        });
        assertArrayEquals(Init.constant(Tensor.zeros(2, 2), 0.5).data(), Init.constant(Tensor.ones(2, 2), 0.5).data());
        assertArrayEquals(Init.scaledIdentity(Tensor.ones(3, 3), 0.5).data(), Init.scaledIdentity(Tensor.zeros(3, 3), 0.5).data());
    }

    @Test
    void invalidArgumentsAreRefused() {
        assertEquals("Init.scaledIdentity: the weight is 2x3; an identity needs a square matrix",
                assertThrows(IllegalArgumentException.class, () -> Init.scaledIdentity(Tensor.zeros(2, 3), 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Init.uniform(Tensor.zeros(1, 1), 1, 0, Randomness.seeded(1)));
        assertThrows(IllegalArgumentException.class, () -> Init.normal(Tensor.zeros(1, 1), 0, -1, Randomness.seeded(1)));
    }
}
