package dev.unroll.autograd;

import static dev.unroll.autograd.Gradients.assertGradients;
import static dev.unroll.autograd.Gradients.random;
import static dev.unroll.autograd.Gradients.weighted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SoftmaxOpsTest {

    @Test
    void softmaxRowsSumToOneAndMatchTheFormulaEvenForHugeLogits() {
        Tensor p = Tensor.of(new double[][] {{1, 2, 3}, {1000, 1000, 1000}}).softmax();
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new double[] {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z, 1 / 3.0, 1 / 3.0, 1 / 3.0},
                p.data(), 1e-15);
        Tensor lp = Tensor.row(1000, 0).logSoftmax();
        assertEquals(0, lp.get(0, 0), 1e-12);
        assertEquals(-1000, lp.get(0, 1), 1e-9);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void softmaxGradientsMatchFiniteDifferences(int batch) {
        Tensor x = random(batch, 5, 3).scale(3);
        assertGradients(in -> weighted(in.get(0).softmax()), x);
        assertGradients(in -> weighted(in.get(0).logSoftmax()), x);
        assertGradients(in -> weighted(in.get(0).softmax().mul(in.get(0))), x);
        assertGradients(in -> weighted(in.get(0).logSoftmax().mul(in.get(0))), x);
        assertGradients(in -> weighted(in.get(0).logSoftmax().add(in.get(0).scale(2).logSoftmax())), x);
    }
}
