package dev.unroll.autograd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every activation kernel that can run here agrees with {@link Math} to a few ulp, at every offset. */
class ActivationsTest {

    private static double[] sample(int n, SplittableRandom rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double magnitude = i % 2 == 0 ? rng.nextDouble(0, 25) : Math.scalb(rng.nextDouble(), -rng.nextInt(40));
            x[i] = i % 3 == 0 ? -magnitude : magnitude;
        }
        return x;
    }

    private static double ulps(double expected, double actual) {
        return Math.abs(expected - actual) / Math.ulp(expected);
    }

    @Test
    void tanhIsWithinFourUlpOfMathTanhInEveryKernel() {
        double[] x = sample(20_003, new SplittableRandom(1));
        for (ActivationKernel kernel : Activations.available()) {
            double[] out = new double[x.length + 3];
            kernel.tanh(x, 2, out, 3, x.length - 2);
            for (int i = 2; i < x.length; i++) {
                double expected = Math.tanh(x[i]);
                assertTrue(ulps(expected, out[i + 1]) <= 4,
                        kernel.name() + ": tanh(" + x[i] + ") = " + out[i + 1] + ", expected " + expected);
            }
            assertEquals(0.0, out[0] + out[1] + out[2], kernel.name() + " wrote before the destination range");
        }
    }

    @Test
    void sigmoidIsWithinFourUlpOfTheExactFormulaAndSaturatesWithoutNaN() {
        double[] x = sample(20_001, new SplittableRandom(2));
        x[0] = 800;
        x[1] = -800;
        for (ActivationKernel kernel : Activations.available()) {
            double[] out = x.clone();
            kernel.sigmoid(out, 0, out, 0, out.length);
            assertEquals(1.0, out[0], kernel.name());
            assertEquals(0.0, out[1], kernel.name());
            for (int i = 2; i < x.length; i++) {
                double expected = ScalarActivations.sigmoid(x[i]);
                assertTrue(ulps(expected, out[i]) <= 4,
                        kernel.name() + ": sigmoid(" + x[i] + ") = " + out[i] + ", expected " + expected);
            }
        }
    }
}
