package dev.unroll.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
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

    @Test
    void theSameSeedGivesTheSameBits() {
        assertArrayEquals(Init.orthogonal(Tensor.zeros(8, 8), 1, Randomness.seeded(9)).data(),
                Init.orthogonal(Tensor.zeros(8, 8), 1, Randomness.seeded(9)).data());
        assertArrayEquals(Init.xavierNormal(Tensor.zeros(8, 8), 1, Randomness.seeded(9)).data(),
                Init.xavierNormal(Tensor.zeros(8, 8), 1, Randomness.seeded(9)).data());
    }

    @Test
    void invalidArgumentsAreRefused() {
        assertEquals("Init.scaledIdentity: the weight is 2x3; an identity needs a square matrix",
                assertThrows(IllegalArgumentException.class, () -> Init.scaledIdentity(Tensor.zeros(2, 3), 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Init.uniform(Tensor.zeros(1, 1), 1, 0, Randomness.seeded(1)));
        assertThrows(IllegalArgumentException.class, () -> Init.normal(Tensor.zeros(1, 1), 0, -1, Randomness.seeded(1)));
    }
}
