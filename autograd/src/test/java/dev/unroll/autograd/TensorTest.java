package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void factoriesBuildTheRequestedShapesAndValues() {
        assertEquals("2x3", Tensor.zeros(2, 3).shape());
        assertArrayEquals(new double[] {1, 1}, Tensor.ones(1, 2).data());
        assertArrayEquals(new double[] {7, 7, 7}, Tensor.full(3, 1, 7).data());
        assertEquals(4.5, Tensor.scalar(4.5).item());
        Tensor m = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        assertEquals(3, m.get(1, 0));
        assertArrayEquals(new double[][] {{1, 2}, {3, 4}}, m.toArray());
        DMatrixRMaj raw = new DMatrixRMaj(2, 2);
        assertSame(raw, Tensor.wrap(raw).value());
    }

    @Test
    void randomFactoriesAreReproducibleFromTheirSeed() {
        assertArrayEquals(Tensor.normal(4, 4, 0, 1, 5).data(), Tensor.normal(4, 4, 0, 1, 5).data());
        assertArrayEquals(Tensor.uniform(4, 4, -1, 1, 5).data(), Tensor.uniform(4, 4, -1, 1, 5).data());
        assertNotEquals(Tensor.uniform(1, 4, -1, 1, 5).get(0, 0), Tensor.uniform(1, 4, -1, 1, 6).get(0, 0));
        for (double v : Tensor.uniform(10, 10, 2, 3, 1).data()) {
            assertTrue(v >= 2 && v < 3);
        }
        double mean = Tensor.normal(100, 100, 3, 2, 9).mean().item();
        assertEquals(3, mean, 0.1);
    }

    @Test
    void badShapesAndAccessesSayWhatIsWrong() {
        assertEquals("Tensor.of: row 1 has 1 values but row 0 has 2; every row must have the same length",
                assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[][] {{1, 2}, {3}})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 2).get(2, 0));
        assertTrue(assertThrows(IllegalStateException.class, () -> Tensor.zeros(2, 2).item()).getMessage()
                .contains("needs a 1x1 tensor but this one is 2x2"));
    }

    @Test
    void toStringShowsShapeAndAlignedValuesAndElidesLargeTensors() {
        assertEquals("Tensor 2x2\n[[ 1.0000 -2.5000]\n [      0  3.0000]]",
                Tensor.of(new double[][] {{1, -2.5}, {0, 3}}).toString());
        assertTrue(Tensor.scalar(1).requiresGrad(true).toString().startsWith("Tensor 1x1 (requires grad)"));
        String big = Tensor.zeros(100, 100).toString();
        assertTrue(big.contains("..."));
        assertEquals(8, big.split("\n").length);
    }

    @Test
    void detachSharesTheValueButCutsTheHistory() {
        Tensor x = Tensor.row(1, 2).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor y = x.scale(2);
            Tensor d = y.detach();
            assertSame(y.value(), d.value());
            assertTrue(d.isLeaf());
            assertEquals(false, d.requiresGrad());
            assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        }
    }
}
