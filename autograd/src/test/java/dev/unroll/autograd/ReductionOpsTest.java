package dev.unroll.autograd;

import static dev.unroll.autograd.Gradients.assertGradients;
import static dev.unroll.autograd.Gradients.random;
import static dev.unroll.autograd.Gradients.weighted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReductionOpsTest {

    private final Tensor m = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});

    @Test
    void reductionsComputeSumsAndMeansAlongTheRightAxis() {
        assertEquals(21, m.sum().item());
        assertEquals(3.5, m.mean().item());
        assertArrayEquals(new double[] {5, 7, 9}, ReductionOps.sumOverRows(m).data());
        assertEquals("1x3", ReductionOps.sumOverRows(m).shape());
        assertArrayEquals(new double[] {2.5, 3.5, 4.5}, ReductionOps.meanOverRows(m).data());
        assertArrayEquals(new double[] {6, 15}, ReductionOps.sumOverCols(m).data());
        assertEquals("2x1", ReductionOps.sumOverCols(m).shape());
        assertArrayEquals(new double[] {2, 5}, ReductionOps.meanOverCols(m).data());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void reductionGradientsMatchFiniteDifferences(int batch) {
        Tensor x = random(batch, 3, 5);
        assertGradients(in -> in.get(0).sum().mul(in.get(0).mean()), x);
        assertGradients(in -> weighted(ReductionOps.sumOverRows(in.get(0))), x);
        assertGradients(in -> weighted(ReductionOps.meanOverRows(in.get(0))), x);
        assertGradients(in -> weighted(ReductionOps.sumOverCols(in.get(0))), x);
        assertGradients(in -> weighted(ReductionOps.meanOverCols(in.get(0)).mul(in.get(0))), x);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void reductionsOfAnInputUsedTwiceGetBothGradients(int batch) {
        Tensor x = random(batch, 3, 6);
        assertGradients(in -> weighted(ReductionOps.sumOverRows(in.get(0)).mul(in.get(0))), x);
        assertGradients(in -> weighted(ReductionOps.sumOverRows(in.get(0).mul(in.get(0))).add(in.get(0))), x);
        assertGradients(in -> weighted(ReductionOps.meanOverRows(in.get(0)).mul(in.get(0))), x);
        assertGradients(in -> weighted(ReductionOps.meanOverRows(in.get(0).tanh()).sub(in.get(0))), x);
        assertGradients(in -> weighted(ReductionOps.sumOverCols(in.get(0)).mul(in.get(0))), x);
        assertGradients(in -> weighted(ReductionOps.sumOverCols(in.get(0).exp()).div(in.get(0).addScalar(3))), x);
    }
}
