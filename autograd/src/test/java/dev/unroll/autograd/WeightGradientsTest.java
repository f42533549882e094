package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.autograd.internal.ProductsF32;
import dev.unroll.autograd.internal.ProductsF64;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
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

    private static final int OUT = 64;
    private static final int IN = 48;
    private static final int BATCH = 16;
    private static final int STEPS = 40;
    private static final int DIRECT_AT = 25;

    /**
     * The products of one pass keep a weight's gradient in native memory between them (on
     * OpenBLAS, which these sizes reach): the result must have the bits of adding each product
     * into the gradient directly, in the same order, also when an update too large to gather
     * (100 rows) comes in between and reads the gradient. 40 steps of 16 rows fill two gatherings
     * of 256 rows and leave 128.
     */
    @Test
    void aGradientHeldBetweenProductsHasTheBitsOfAddingEachDirectly() {
        Tensor weight = Tensor.uniform(OUT, IN, -1, 1, 7).requiresGrad(true);
        DMatrixRMaj[] g = new DMatrixRMaj[STEPS];
        DMatrixRMaj[] x = new DMatrixRMaj[STEPS];
        for (int t = 0; t < STEPS; t++) {
            g[t] = Tensor.uniform(BATCH, OUT, -1, 1, 100 + t).value();
            x[t] = Tensor.uniform(BATCH, IN, -1, 1, 200 + t).value();
        }
        DMatrixRMaj directG = Tensor.uniform(100, OUT, -1, 1, 300).value();
        DMatrixRMaj directX = Tensor.uniform(100, IN, -1, 1, 301).value();
        WeightGradientsF64 gathered = new WeightGradientsF64();
        gathered.open(true);
        double[] afterDirect = null;
        for (int t = 0; t < STEPS; t++) {
            gathered.addTransposedProduct(weight, g[t], x[t]);
            if (t == DIRECT_AT) {
                gathered.addTransposedProduct(weight, directG, directX);
                afterDirect = weight.gradMatrix().data.clone();
            }
        }
        gathered.finish();

        DMatrixRMaj expected = new DMatrixRMaj(OUT, IN);
        ProductsF64.mult(stacked(g, 0, 16), true, stacked(x, 0, 16), false, expected, true);
        ProductsF64.mult(directG, true, directX, false, expected, true);
        assertArrayEquals(expected.data, afterDirect, "read between the products");
        ProductsF64.mult(stacked(g, 16, 32), true, stacked(x, 16, 32), false, expected, true);
        ProductsF64.mult(stacked(g, 32, STEPS), true, stacked(x, 32, STEPS), false, expected, true);
        assertArrayEquals(expected.data, weight.grad().data());
    }

    /** The same for float32, whose gradients OpenBLAS's sgemm adds into. */
    @Test
    void aFloat32GradientHeldBetweenProductsHasTheBitsOfAddingEachDirectly() {
        Tensor weight = Tensor.uniform(OUT, IN, -1, 1, 7).to(DType.F32).requiresGrad(true);
        FMatrixRMaj[] g = new FMatrixRMaj[STEPS];
        FMatrixRMaj[] x = new FMatrixRMaj[STEPS];
        for (int t = 0; t < STEPS; t++) {
            g[t] = Tensor.uniform(BATCH, OUT, -1, 1, 100 + t).to(DType.F32).valueF32();
            x[t] = Tensor.uniform(BATCH, IN, -1, 1, 200 + t).to(DType.F32).valueF32();
        }
        FMatrixRMaj directG = Tensor.uniform(100, OUT, -1, 1, 300).to(DType.F32).valueF32();
        FMatrixRMaj directX = Tensor.uniform(100, IN, -1, 1, 301).to(DType.F32).valueF32();
        WeightGradientsF32 gathered = new WeightGradientsF32();
        gathered.open(true);
        for (int t = 0; t < STEPS; t++) {
            gathered.addTransposedProduct(weight, g[t], x[t]);
            if (t == DIRECT_AT) {
                gathered.addTransposedProduct(weight, directG, directX);
            }
        }
        gathered.finish();

        FMatrixRMaj expected = new FMatrixRMaj(OUT, IN);
        ProductsF32.mult(stacked(g, 0, 16), true, stacked(x, 0, 16), false, expected, true);
        ProductsF32.mult(directG, true, directX, false, expected, true);
        ProductsF32.mult(stacked(g, 16, 32), true, stacked(x, 16, 32), false, expected, true);
        ProductsF32.mult(stacked(g, 32, STEPS), true, stacked(x, 32, STEPS), false, expected, true);
        assertArrayEquals(expected.data, weight.gradMatrixF32().data);
    }

    /** Steps [from, to) of the per-step matrices, stacked by rows. */
    private static DMatrixRMaj stacked(DMatrixRMaj[] steps, int from, int to) {
        int cols = steps[0].numCols;
        DMatrixRMaj out = new DMatrixRMaj((to - from) * BATCH, cols);
        for (int t = from; t < to; t++) {
            System.arraycopy(steps[t].data, 0, out.data, (t - from) * BATCH * cols, BATCH * cols);
        }
        return out;
    }

    private static FMatrixRMaj stacked(FMatrixRMaj[] steps, int from, int to) {
        int cols = steps[0].numCols;
        FMatrixRMaj out = new FMatrixRMaj((to - from) * BATCH, cols);
        for (int t = from; t < to; t++) {
            System.arraycopy(steps[t].data, 0, out.data, (t - from) * BATCH * cols, BATCH * cols);
        }
        return out;
    }
}
