package dev.unroll.autograd.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Vector API passes give the scalar loops' bits, at every length (full vectors and tails). */
class ParameterUpdatesTest {

    private static double[] random(int n, SplittableRandom rng) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = rng.nextDouble(-10, 10);
        }
        return d;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 7, 8, 9, 16, 31, 100, 1000})
    void clampMatchesTheScalarLoopAndKeepsNaN(int n) {
        assumeTrue(VectorSupport.present(), "needs --add-modules jdk.incubator.vector");
        double[] values = random(n + 1, new SplittableRandom(n));
        values[n / 2] = Double.NaN;
        double[] expected = values.clone();
        ParameterUpdates.clampScalar(expected, 0, 5);
        VectorParameterUpdates.clamp(values, 5);
        assertArrayEquals(expected, values);
        assertTrue(Double.isNaN(values[n / 2]));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 7, 8, 9, 16, 31, 100, 1000})
    void adagradMatchesTheScalarLoopBitForBit(int n) {
        assumeTrue(VectorSupport.present(), "needs --add-modules jdk.incubator.vector");
        SplittableRandom rng = new SplittableRandom(100 + n);
        for (boolean inside : new boolean[] {true, false}) {
            double[] w = random(n, rng);
            double[] g = random(n, rng);
            double[] s = random(n, rng);
            for (int i = 0; i < n; i++) {
                s[i] = Math.abs(s[i]);
            }
            double[] w2 = w.clone();
            double[] s2 = s.clone();
            ParameterUpdates.adagradScalar(w2, g, s2, 0, 0.1, 1e-8, inside);
            VectorParameterUpdates.adagrad(w, g, s, 0.1, 1e-8, inside);
            assertArrayEquals(w2, w);
            assertArrayEquals(s2, s);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 7, 8, 9, 16, 31, 100, 1000})
    void floatClampMatchesTheScalarLoopAndKeepsNaNAndSignedZero(int n) {
        assumeTrue(VectorSupport.present(), "needs --add-modules jdk.incubator.vector");
        float[] values = narrowed(random(n + 2, new SplittableRandom(n)));
        values[n / 2] = Float.NaN;
        values[n + 1] = -0.0f;
        float[] expected = values.clone();
        ParameterUpdates.clampScalar(expected, 0, 5f);
        VectorParameterUpdates.clamp(values, 5f);
        assertArrayEquals(expected, values);
        assertTrue(Float.isNaN(values[n / 2]));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(values[n + 1]));
    }

    private static float[] narrowed(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
