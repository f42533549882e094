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
    void aLargeTensorShowsItsCornersWithEllipsesBetween() {
        double[][] rows = new double[9][10];
        for (int r = 0; r < 9; r++) {
            for (int c = 0; c < 10; c++) {
                rows[r][c] = r + c / 10.0;
            }
        }
        assertEquals("Tensor 9x10\n"
                + "[[     0 0.1000 0.2000 ... 0.7000 0.8000 0.9000]\n"
                + " [1.0000 1.1000 1.2000 ... 1.7000 1.8000 1.9000]\n"
                + " [2.0000 2.1000 2.2000 ... 2.7000 2.8000 2.9000]\n"
                + " ...\n"
                + " [6.0000 6.1000 6.2000 ... 6.7000 6.8000 6.9000]\n"
                + " [7.0000 7.1000 7.2000 ... 7.7000 7.8000 7.9000]\n"
                + " [8.0000 8.1000 8.2000 ... 8.7000 8.8000 8.9000]]", Tensor.of(rows).toString());
    }

    @Test
    void printingAHugeTensorFormatsOnlyTheShownCells() {
        Tensor huge = Tensor.zeros(3000, 3000);
        huge.data()[3000 * 3000 - 1] = 5;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean measurable = threads instanceof com.sun.management.ThreadMXBean sun
                && sun.isThreadAllocatedMemorySupported() && sun.isThreadAllocatedMemoryEnabled();
        long before = measurable ? ((com.sun.management.ThreadMXBean) threads).getCurrentThreadAllocatedBytes() : 0;
        String text = huge.toString();
        long allocated = measurable ? ((com.sun.management.ThreadMXBean) threads).getCurrentThreadAllocatedBytes() - before : 0;
        String[] lines = text.split("\n");
        assertEquals(8, lines.length);
        assertEquals("Tensor 3000x3000", lines[0]);
        assertEquals(" ...", lines[4]);
        assertEquals(" [     0      0      0 ...      0      0 5.0000]]", lines[7]);
        // a grid of 3000 x 3000 cells would take tens of megabytes; the 6 x 6 shown cells a few kilobytes
        assertTrue(allocated < 1_000_000, allocated + " bytes allocated to print a 3000x3000 tensor");
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
