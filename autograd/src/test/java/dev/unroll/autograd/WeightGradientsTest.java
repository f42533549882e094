package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A backward pass gathers the weight gradients g^T x of a shared weight and adds them in one
 * product at the end: the result must equal the per-step products (which the checking mode still
 * does one by one), whether the rows fit one gathering, overflow it, or are too many to gather.
 */
class WeightGradientsTest {

    private static final int HIDDEN = 5;

    /** h_t = tanh(x_t W_x^T + h_{t-1} W_h^T + b) over {@code steps} steps; loss = sum of the last h. */
    private static Tensor rnn(Tensor wx, Tensor wh, Tensor b, int steps, int batch) {
        Tensor h = Tensor.zeros(batch, HIDDEN);
        for (int t = 0; t < steps; t++) {
            Tensor x = Tensor.uniform(batch, 3, -1, 1, 1000 + t);
            h = MatrixOps.addLinear(MatrixOps.linear(x, wx, null), h, wh, b).tanh();
        }
        return h.sum();
    }

    private static double[][] gradients(Supplier<Tape> open, int steps, int batch) {
        Tensor wx = Tensor.uniform(HIDDEN, 3, -0.5, 0.5, 1).requiresGrad(true);
        Tensor wh = Tensor.uniform(HIDDEN, HIDDEN, -0.5, 0.5, 2).requiresGrad(true);
        Tensor b = Tensor.uniform(1, HIDDEN, -0.1, 0.1, 3).requiresGrad(true);
        try (Tape tape = open.get()) {
            tape.backward(rnn(wx, wh, b, steps, batch));
        }
        return new double[][] {wx.grad().data().clone(), wh.grad().data().clone(), b.grad().data().clone()};
    }

    @ParameterizedTest(name = "{0} steps of batch {1}")
    @CsvSource({"1, 1", "25, 1", "300, 1", "20, 3", "3, 70", "10, 40"})
    void gatheredWeightGradientsEqualThePerStepProducts(int steps, int batch) {
        double[][] gathered = gradients(Tape::record, steps, batch);
        double[][] perStep = gradients(Tape::recordChecked, steps, batch);
        for (int p = 0; p < gathered.length; p++) {
            for (int i = 0; i < gathered[p].length; i++) {
                assertEquals(perStep[p][i], gathered[p][i], 1e-12 * Math.max(1, Math.abs(perStep[p][i])),
                        "parameter " + p + " element " + i);
            }
        }
    }

    @Test
    void gatheredWeightGradientsPassTheGradientCheck() {
        Tensor wx = Tensor.uniform(HIDDEN, 3, -0.5, 0.5, 1);
        Tensor wh = Tensor.uniform(HIDDEN, HIDDEN, -0.5, 0.5, 2);
        Tensor b = Tensor.uniform(1, HIDDEN, -0.1, 0.1, 3);
        GradCheck.check(in -> rnn(in.get(0), in.get(1), in.get(2), 12, 2), wx, wh, b).assertBelow(1e-6);
    }

    @Test
    void aBackwardThatFailsLeavesNoGatheredUpdateBehind() {
        Tensor w = Tensor.uniform(HIDDEN, 3, -0.5, 0.5, 4).requiresGrad(true);
        Tensor x = Tensor.uniform(2, 3, -1, 1, 5).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor failing = Tensor.wrap(x.value().copy());
            Tape.record("failsInBackward", failing, x, () -> {
                throw new IllegalStateException("backward failed on purpose");
            });
            Tensor loss = MatrixOps.linear(failing, w, null).sum();
            assertThrows(IllegalStateException.class, () -> tape.backward(loss));
        }
        assertNull(w.grad(), "the update gathered before the failure must not reach the weight");
        try (Tape tape = Tape.record()) {
            tape.backward(MatrixOps.linear(x.detach(), w, null).sum());
        }
        double[] expected = new double[HIDDEN * 3];
        for (int o = 0; o < HIDDEN; o++) {
            for (int i = 0; i < 3; i++) {
                expected[o * 3 + i] = x.get(0, i) + x.get(1, i);
            }
        }
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], w.grad().data()[k], 1e-15);
        }
    }
}
