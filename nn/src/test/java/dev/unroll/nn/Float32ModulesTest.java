package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.clip.GradClipping;
import dev.unroll.nn.init.Fan;
import dev.unroll.nn.init.Init;
import dev.unroll.nn.init.Nonlinearity;
import dev.unroll.nn.layers.LayerNorm;
import dev.unroll.nn.layers.Linear;
import dev.unroll.nn.optim.Sgd;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Modules convert to float32 as PyTorch's module.to(dtype) does, and clipping and optimizers treat float32 alike. */
class Float32ModulesTest {

    @Test
    void toConvertsEveryParameterInPlaceAndDropsGradients() {
        Linear linear = new Linear(3, 2, 7);
        Parameter weight = linear.namedParameters().get("weight");
        double before = weight.get(1, 2);
        weight.gradBuffer();
        linear.to(DType.F32);
        assertEquals(DType.F32, weight.dtype(), "the same Parameter object, converted");
        assertEquals((float) before, weight.get(1, 2), 0.0);
        assertNull(weight.grad());
        assertEquals(DType.F32, linear.forward(Tensor.uniform(4, 3, -1, 1, 1).to(DType.F32)).dtype());
        try (Tape tape = Tape.record()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> linear.to(DType.F64));
            assertTrue(e.getMessage().contains("outside any tape"), e.getMessage());
        }
    }

    @Test
    void initializersFillFloat32TensorsWithTheFloat64DrawsRounded() {
        Tensor wide = Tensor.zeros(4, 3);
        Tensor narrow = Tensor.zeros(DType.F32, 4, 3);
        Init.orthogonal(wide, 1.5, Randomness.seeded(3));
        Init.orthogonal(narrow, 1.5, Randomness.seeded(3));
        Tensor wideNormal = Init.kaimingNormal(Tensor.zeros(5, 6), Fan.IN, Nonlinearity.RELU, Randomness.seeded(4));
        Tensor narrowNormal = Init.kaimingNormal(Tensor.zeros(DType.F32, 5, 6), Fan.IN, Nonlinearity.RELU,
                Randomness.seeded(4));
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals((float) wide.get(r, c), narrow.get(r, c), 0.0);
                assertEquals((float) wideNormal.get(r, c), narrowNormal.get(r, c), 0.0);
            }
        }
        assertEquals(2.0f, Init.scaledIdentity(Tensor.zeros(DType.F32, 3, 3), 2).get(1, 1), 0.0);
    }

    @Test
    void layerNormMatchesFloat64() {
        Tensor x = Tensor.uniform(3, 5, -2, 2, 3);
        LayerNorm wide = new LayerNorm(5, 1e-5, true);
        LayerNorm narrow = new LayerNorm(5, 1e-5, true);
        narrow.to(DType.F32);
        Tensor xw = x.copy().requiresGrad(true);
        Tensor xn = x.to(DType.F32).requiresGrad(true);
        Tensor r = Tensor.uniform(3, 5, -1, 1, 4);
        try (Tape tape = Tape.record()) {
            tape.backward(wide.forward(xw).mul(r).sum());
        }
        try (Tape tape = Tape.record()) {
            tape.backward(narrow.forward(xn).mul(r.to(DType.F32)).sum());
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(xw.grad().get(i, j), xn.grad().get(i, j), 1e-5);
            }
        }
        for (int j = 0; j < 5; j++) {
            assertEquals(wide.weight().grad().get(0, j), narrow.weight().grad().get(0, j), 1e-5);
        }
    }

    @Test
    void clippingAndAnOptimizerStepGiveTheFloat64ResultRounded() {
        double[] wide = clippedStep(DType.F64);
        double[] narrow = clippedStep(DType.F32);
        for (int i = 0; i < wide.length; i++) {
            assertEquals(wide[i], narrow[i], 1e-6, "weight " + i);
        }
    }

    private static double[] clippedStep(DType dtype) {
        Linear linear = new Linear(4, 3, 11);
        linear.to(dtype);
        Sgd sgd = new Sgd(linear, 0.5);
        try (Tape tape = Tape.record()) {
            tape.backward(linear.forward(Tensor.uniform(2, 4, -3, 3, 5).to(dtype)).pow(2).sum());
        }
        double norm = GradClipping.clipGradNorm(linear.parameters(), 0.1);
        assertTrue(norm > 0.1, "the gradient was large enough to be clipped");
        GradClipping.clipGradValue(List.of(linear.namedParameters().get("bias")), 0.01);
        sgd.step();
        double[][] w = linear.namedParameters().get("weight").toArray();
        return new double[] {w[0][0], w[1][2], w[2][3], linear.namedParameters().get("bias").get(0, 1)};
    }
}
