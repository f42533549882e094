package dev.unroll.autograd;

import static dev.unroll.autograd.Gradients.assertGradients;
import static dev.unroll.autograd.Gradients.random;
import static dev.unroll.autograd.Gradients.weighted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShapeOpsTest {

    @Test
    void concatAndSliceMoveTheRightElements() {
        Tensor a = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        Tensor b = Tensor.of(new double[][] {{5}, {6}});
        Tensor side = ShapeOps.concatCols(List.of(a, b));
        assertArrayEquals(new double[] {1, 2, 5, 3, 4, 6}, side.data());
        assertArrayEquals(new double[] {2, 5, 4, 6}, side.sliceCols(1, 3).data());
        Tensor stacked = ShapeOps.concatRows(List.of(a, Tensor.row(7, 8)));
        assertArrayEquals(new double[] {1, 2, 3, 4, 7, 8}, stacked.data());
        assertArrayEquals(new double[] {3, 4, 7, 8}, stacked.sliceRows(1, 3).data());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void concatAndSliceGradientsMatchFiniteDifferences(int batch) {
        Tensor a = random(batch, 2, 1);
        Tensor b = random(batch, 3, 2);
        assertGradients(in -> weighted(ShapeOps.concatCols(List.of(in.get(0), in.get(1), in.get(0)))), a, b);
        assertGradients(in -> weighted(ShapeOps.concatRows(List.of(in.get(0), in.get(0).tanh()))), a);
        assertGradients(in -> weighted(in.get(0).sliceCols(1, 3).mul(in.get(0).sliceCols(0, 2))), b);
        assertGradients(in -> weighted(ShapeOps.concatRows(List.of(in.get(0), in.get(0))).sliceRows(batch - 1, batch + 1)), a);
    }

    @Test
    void changingTheListAfterRecordingAConcatDoesNotRedirectItsGradients() {
        Tensor a = Tensor.row(1, 2).requiresGrad(true);
        Tensor b = Tensor.row(3).requiresGrad(true);
        Tensor c = Tensor.row(4, 5, 6).requiresGrad(true);
        List<Tensor> side = new ArrayList<>(List.of(a, b));
        List<Tensor> stacked = new ArrayList<>(List.of(a, Tensor.row(7, 8).requiresGrad(true)));
        try (Tape tape = Tape.record()) {
            Tensor cols = ShapeOps.concatCols(side);
            Tensor rows = ShapeOps.concatRows(stacked);
            side.set(0, c);
            side.add(c);
            stacked.clear();
            tape.backward(cols.mul(Tensor.row(10, 20, 30)).sum().add(rows.mul(Tensor.row(100, 200)).sum()));
        }
        assertArrayEquals(new double[] {110, 220}, a.grad().data());
        assertArrayEquals(new double[] {30}, b.grad().data());
        assertEquals(null, c.grad());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void gatherRowsWithAFrozenRowReturnsItsValuesButSendsItNoGradient(int batch) {
        Tensor table = random(4, 3, 5);
        int[] ids = batch == 1 ? new int[] {1} : new int[] {1, 3, 1};
        int[] withFrozen = batch == 1 ? new int[] {2} : new int[] {2, 0, 2};
        assertArrayEquals(ShapeOps.gatherRows(table, withFrozen).data(), ShapeOps.gatherRows(table, withFrozen, 2).data());
        table.requiresGrad(true);
        try (Tape tape = Tape.record()) {
            tape.backward(weighted(ShapeOps.gatherRows(table, withFrozen, 2)));
        }
        assertArrayEquals(new double[3], table.grad().sliceRows(2, 3).data());
        assertArrayEquals(new double[3], table.grad().sliceRows(1, 2).data());
        table.clearGrad();
        table.requiresGrad(false);
        // rows other than the frozen one still get their exact gradient, also when looked up twice
        assertGradients(in -> weighted(ShapeOps.gatherRows(in.get(0), ids, 2)), table);
    }

    @Test
    void gatherRowsLooksUpAndScatterAddsRepeatedRows() {
        Tensor table = Tensor.of(new double[][] {{1, 2}, {3, 4}, {5, 6}}).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor rows = ShapeOps.gatherRows(table, new int[] {2, 0, 2});
            assertArrayEquals(new double[] {5, 6, 1, 2, 5, 6}, rows.data());
            tape.backward(rows.sum());
        }
        assertArrayEquals(new double[] {1, 1, 0, 0, 2, 2}, table.grad().data());
        assertGradients(in -> weighted(ShapeOps.gatherRows(in.get(0), new int[] {1, 1, 0})), random(3, 4, 3));
        assertGradients(in -> weighted(ShapeOps.gatherRows(in.get(0), new int[] {2})), random(3, 4, 3));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void selectRowsTakesEachRowFromItsSourceAndRoutesTheGradientBack(int batch) {
        boolean[] flags = batch == 1 ? new boolean[] {false} : new boolean[] {true, false, true};
        Tensor a = random(batch, 2, 1);
        Tensor b = random(batch, 2, 2);
        Tensor s = ShapeOps.selectRows(flags, a, b);
        for (int r = 0; r < batch; r++) {
            assertArrayEquals((flags[r] ? a : b).sliceRows(r, r + 1).data(), s.sliceRows(r, r + 1).data());
        }
        assertGradients(in -> weighted(ShapeOps.selectRows(flags, in.get(0), in.get(1).tanh())), a, b);
        assertGradients(in -> weighted(ShapeOps.selectRows(flags, in.get(0), in.get(0).scale(3))), a);
        assertThrows(IllegalArgumentException.class, () -> ShapeOps.selectRows(new boolean[batch + 1], a, b));
    }

    @Test
    void oneHotIsAConstantWithOneOnePerRow() {
        Tensor h = ShapeOps.oneHot(new int[] {2, 0}, 3);
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0}, h.data());
        assertEquals(false, h.requiresGrad());
    }

    @Test
    void badIndicesAndShapesAreRejectedWithTheirValues() {
        assertEquals("gatherRows: index 3 at position 1 is outside the table's rows [0, 3)",
                assertThrows(IllegalArgumentException.class,
                        () -> ShapeOps.gatherRows(Tensor.zeros(3, 2), new int[] {0, 3})).getMessage());
        assertEquals("sliceCols: columns [2, 5) of a 2x4 tensor; need 0 <= from < to <= 4",
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 4).sliceCols(2, 5)).getMessage());
        assertEquals("concatCols: 2x4 and 3x1 have different numbers of rows (2 and 3)",
                assertThrows(IllegalArgumentException.class,
                        () -> ShapeOps.concatCols(List.of(Tensor.zeros(2, 4), Tensor.zeros(3, 1)))).getMessage());
        assertEquals("oneHot: index 3 at position 1 is outside [0, 3)",
                assertThrows(IllegalArgumentException.class, () -> ShapeOps.oneHot(new int[] {0, 3}, 3)).getMessage());
        assertEquals("oneHot: 0 indices and 3 classes; need at least one of each",
                assertThrows(IllegalArgumentException.class, () -> ShapeOps.oneHot(new int[0], 3)).getMessage());
        assertEquals("sliceRows: rows [2, 5) of a 4x3 tensor; need 0 <= from < to <= 4",
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(4, 3).sliceRows(2, 5)).getMessage());
        assertEquals("sliceRows: rows [2, 2) of a 4x3 tensor; need 0 <= from < to <= 4",
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(4, 3).sliceRows(2, 2)).getMessage());
        assertEquals("concatRows: 2x4 and 3x1 have different numbers of columns (4 and 1)",
                assertThrows(IllegalArgumentException.class,
                        () -> ShapeOps.concatRows(List.of(Tensor.zeros(2, 4), Tensor.zeros(3, 1)))).getMessage());
        assertEquals("selectRows: 4 flags for 3x2 and 3x2; both tensors need the same shape and one flag per row",
                assertThrows(IllegalArgumentException.class,
                        () -> ShapeOps.selectRows(new boolean[4], Tensor.zeros(3, 2), Tensor.zeros(3, 2))).getMessage());
        assertEquals("selectRows: 3 flags for 3x2 and 3x1; both tensors need the same shape and one flag per row",
                assertThrows(IllegalArgumentException.class,
                        () -> ShapeOps.selectRows(new boolean[3], Tensor.zeros(3, 2), Tensor.zeros(3, 1))).getMessage());
    }
}
