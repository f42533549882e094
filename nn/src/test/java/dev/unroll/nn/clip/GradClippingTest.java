package dev.unroll.nn.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradClippingTest {

    private static Tensor withGrad(double... g) {
        Tensor t = Tensor.zeros(1, g.length).requiresGrad(true);
        System.arraycopy(g, 0, t.gradBuffer().data, 0, g.length);
        return t;
    }

    @Test
    void clipGradNormScalesAllGradientsByTheGlobalNorm() {
        Tensor a = withGrad(3, 0);
        Tensor b = withGrad(0, 4);
        Tensor none = Tensor.zeros(1, 1).requiresGrad(true);
        double norm = GradClipping.clipGradNorm(List.of(a, b, none), 1.0);
        assertEquals(5, norm, 1e-15);
        double scale = 1.0 / (5 + 1e-6);
        assertArrayEquals(new double[] {3 * scale, 0}, a.grad().data(), 1e-15);
        assertArrayEquals(new double[] {0, 4 * scale}, b.grad().data(), 1e-15);
    }

    @Test
    void aNormBelowTheLimitLeavesGradientsAlone() {
        Tensor a = withGrad(0.3, 0.4);
        assertEquals(0.5, GradClipping.clipGradNorm(List.of(a), 1.0), 1e-15);
        assertArrayEquals(new double[] {0.3, 0.4}, a.grad().data());
    }

    @Test
    void aNonFiniteNormIsRefusedOrSkippedOnRequest() {
        Tensor ok = withGrad(1, 1);
        Tensor bad = withGrad(1, Double.NaN);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GradClipping.clipGradNorm(List.of(ok, bad), 1.0));
        assertTrue(e.getMessage().contains("gradient of parameter 1 (1x2) is not finite"), e.getMessage());
        assertTrue(Double.isNaN(GradClipping.clipGradNorm(List.of(ok, bad), 1.0, false)));
        assertArrayEquals(new double[] {1, 1}, ok.grad().data());
    }

    @Test
    void clipGradValueClampsEachElement() {
        Tensor a = withGrad(-7, 2, 9);
        GradClipping.clipGradValue(List.of(a), 5);
        assertArrayEquals(new double[] {-5, 2, 5}, a.grad().data());
        assertThrows(IllegalArgumentException.class, () -> GradClipping.clipGradValue(List.of(a), 0));
    }
}
