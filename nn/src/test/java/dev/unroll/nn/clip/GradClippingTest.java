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
        assertTrue(e.getMessage().contains("gradient of parameter 1 (1x2) is not finite (it holds NaN)"), e.getMessage());
        assertTrue(Double.isNaN(GradClipping.clipGradNorm(List.of(ok, bad), 1.0, false)));
        assertArrayEquals(new double[] {1, 1}, ok.grad().data());
    }

    @Test
    void hugeFiniteGradientsAreClippedNotMistakenForInfiniteOnes() {
        // squaring 3e200 overflows a double; the norm is 5e200 all the same
        Tensor a = withGrad(3e200, 0);
        Tensor b = withGrad(0, -4e200);
        double norm = GradClipping.clipGradNorm(List.of(a, b), 2.0);
        assertEquals(5e200, norm, 5e200 * 1e-15);
        assertArrayEquals(new double[] {1.2, 0}, a.grad().data(), 1e-15);
        assertArrayEquals(new double[] {0, -1.6}, b.grad().data(), 1e-15);
        // squares that together overflow although each one does not
        Tensor many = withGrad(1e154, 1e154, 1e154, 1e154);
        assertEquals(2e154, GradClipping.clipGradNorm(List.of(many), 1e300), 2e154 * 1e-15);
        // tiny gradients whose squares underflow to zero still have their norm
        Tensor tiny = withGrad(3e-170, 4e-170);
        assertEquals(5e-170, GradClipping.clipGradNorm(List.of(tiny), 1.0), 5e-170 * 1e-15);
        assertArrayEquals(new double[] {3e-170, 4e-170}, tiny.grad().data());
    }

    @Test
    void anInfiniteGradientIsRefusedAndLeftAloneWhenSkipping() {
        Tensor ok = withGrad(1, 1);
        Tensor inf = withGrad(Double.POSITIVE_INFINITY, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GradClipping.clipGradNorm(List.of(ok, inf), 1.0));
        assertTrue(e.getMessage().contains("gradient of parameter 1 (1x2) is not finite (it holds infinity)"),
                e.getMessage());
        assertEquals(Double.POSITIVE_INFINITY, GradClipping.clipGradNorm(List.of(ok, inf), 1.0, false));
        assertArrayEquals(new double[] {1, 1}, ok.grad().data());
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 2}, inf.grad().data());
    }

    @Test
    void aNormTooLargeForADoubleIsRefused() {
        Tensor a = withGrad(Double.MAX_VALUE, Double.MAX_VALUE);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GradClipping.clipGradNorm(List.of(a), 1));
        assertTrue(e.getMessage().contains("exceeds the largest double"), e.getMessage());
        assertEquals(Double.POSITIVE_INFINITY, GradClipping.clipGradNorm(List.of(a), 1, false));
    }

    @Test
    void aMaxNormThatIsNotPositiveIsRefused() {
        Tensor a = withGrad(3, 4);
        for (double bad : new double[] {0, -1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GradClipping.clipGradNorm(List.of(a), bad));
            assertEquals("clipGradNorm: max norm " + bad + " must be positive", e.getMessage());
        }
        assertArrayEquals(new double[] {3, 4}, a.grad().data());
    }

    @Test
    void aNormJustBelowTheLimitIsScaledAsPyTorchScalesIt() {
        // PyTorch multiplies by max_norm / (norm + 1e-6) whenever that is below 1: also for a norm of 5 with max 5
        Tensor a = withGrad(3, 4);
        assertEquals(5, GradClipping.clipGradNorm(List.of(a), 5.0), 1e-15);
        double scale = 5 / (5 + 1e-6);
        assertArrayEquals(new double[] {3 * scale, 4 * scale}, a.grad().data(), 1e-15);
        Tensor b = withGrad(3, 4);
        GradClipping.clipGradNorm(List.of(b), 5 + 2e-6);
        assertArrayEquals(new double[] {3, 4}, b.grad().data());
    }

    @Test
    void otherNormTypesUseTheirNormsAndRefuseNonFiniteGradients() {
        Tensor a = withGrad(3, -4);
        assertEquals(4, GradClipping.clipGradNorm(List.of(a), 10, GradClipping.INFINITY_NORM, true));
        assertEquals(7, GradClipping.clipGradNorm(List.of(a), 10, 1, true), 1e-15);
        // huge elements do not overflow the p-norm, tiny ones do not underflow
        assertEquals(7e300, GradClipping.clipGradNorm(List.of(withGrad(3e300, -4e300)), 1, 1, true), 7e300 * 1e-15);
        assertEquals(7e-300, GradClipping.clipGradNorm(List.of(withGrad(3e-300, -4e-300)), 1, 1, true), 7e-300 * 1e-15);
        Tensor bad = withGrad(1, Double.NaN);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GradClipping.clipGradNorm(List.of(a, bad), 1, GradClipping.INFINITY_NORM, true));
        assertTrue(e.getMessage().contains("gradient of parameter 1 (1x2) is not finite (it holds NaN)"), e.getMessage());
        assertTrue(Double.isNaN(GradClipping.clipGradNorm(List.of(a, bad), 1, 3, false)));
        assertArrayEquals(new double[] {3, -4}, a.grad().data());
        for (double p : new double[] {0, -2, Double.NaN}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> GradClipping.clipGradNorm(List.of(a), 1, p, true));
            assertTrue(refused.getMessage().startsWith("clipGradNorm: norm type " + p + " must be positive"),
                    refused.getMessage());
        }
    }

    @Test
    void clipGradValueClampsEachElement() {
        Tensor a = withGrad(-7, 2, 9);
        GradClipping.clipGradValue(List.of(a), 5);
        assertArrayEquals(new double[] {-5, 2, 5}, a.grad().data());
        assertThrows(IllegalArgumentException.class, () -> GradClipping.clipGradValue(List.of(a), 0));
    }
}
