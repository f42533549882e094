package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GradCheckTest {

    /** An op with a deliberately wrong backward (it forgets the factor 2 of d(x^2)/dx). */
    private static Tensor brokenSquare(Tensor x) {
        Tensor out = Tensor.zeros(x.rows(), x.cols());
        for (int i = 0; i < out.size(); i++) {
            out.data()[i] = x.data()[i] * x.data()[i];
        }
        return Tape.record("brokenSquare", out, x, () -> {
            double[] g = out.gradData();
            for (int i = 0; i < g.length; i++) {
                x.gradData()[i] += g[i] * x.data()[i];
            }
        });
    }

    @Test
    void aWrongGradientIsReportedWithItsLocation() {
        Tensor x = Tensor.of(new double[][] {{0.5, 1.0}, {2.0, -1.5}});
        GradCheck.Result r = GradCheck.check(in -> brokenSquare(in.get(0)).sum(), x);
        assertFalse(r.passes(1e-3));
        assertEquals(0.5, r.maxError(), 1e-6);
        assertEquals(0, r.input());
        AssertionError e = assertThrows(AssertionError.class, () -> r.assertBelow(1e-6));
        assertTrue(e.getMessage().contains("max error 5.000e-01 at input 0"), e.getMessage());
    }

    @Test
    void aCorrectGradientPassesAndInputsAreRestored() {
        Tensor x = Tensor.of(new double[][] {{0.5, 1.0}, {2.0, -1.5}});
        double[] before = x.data().clone();
        GradCheck.Result r = GradCheck.check(in -> in.get(0).pow(2).sum(), x);
        assertTrue(r.passes(1e-8), r.toString());
        assertArrayEquals(before, x.data());
        assertFalse(x.requiresGrad());
        assertEquals(null, x.grad());
    }

    @Test
    void aWrongGradientIsCaughtHoweverSmallAndWhateverTheTolerance() {
        Tensor x = Tensor.of(new double[][] {{0.5, 1.0}, {2.0, -1.5}});
        // gradients of about 1e-8, half of the true value: far above the finite difference's
        // resolution (about 9e-10 here), so even a loose tolerance must refuse them
        GradCheck.Result r = GradCheck.check(in -> brokenSquare(in.get(0)).scale(1e-8).sum(), x);
        assertFalse(r.passes(1e-2), r.toString());
        assertTrue(GradCheck.check(in -> in.get(0).pow(2).scale(1e-8).sum(), x).passes(1e-6));
    }

    @Test
    void theErrorIsRelativeBeyondTheRoundingOfTheFiniteDifference() {
        double h = 1e-6;
        double delta = 4 * Math.ulp(1.0) / h;
        // within rounding: a zero gradient whose finite difference is noise
        assertEquals(0, GradCheck.error(0, 0.9 * delta, 1, 1, h));
        // beyond it: (|a - n| - delta) / max(|a|, |n|, delta)
        assertEquals((1e-8 - delta) / 2e-8, GradCheck.error(1e-8, 2e-8, 1, 1, h), 1e-15);
        assertEquals((1e-4 - delta) / 1.0001, GradCheck.error(1, 1.0001, 0.5, -0.5, h), 1e-15);
        // the allowance grows with |f|, whose rounding it is
        assertEquals(0, GradCheck.error(0, 500 * delta, 1000, 1000, h));
        assertTrue(GradCheck.error(0, 500 * delta, 1, 1, h) > 0.99);
        assertTrue(Double.isNaN(GradCheck.error(Double.NaN, 1, 1, 1, h)));
    }

    @Test
    void aStepThatIsNotPositiveIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(in -> in.get(0).sum(), java.util.List.of(Tensor.scalar(1)), 0));
        assertEquals("GradCheck: step 0.0 must be a positive finite number (e.g. 1.0E-6)", e.getMessage());
    }

    @Test
    void refusesToRunInsideAnOpenTape() {
        try (Tape tape = Tape.record()) {
            assertThrows(IllegalStateException.class, () -> GradCheck.check(in -> in.get(0).sum(), Tensor.scalar(1)));
        }
    }
}
