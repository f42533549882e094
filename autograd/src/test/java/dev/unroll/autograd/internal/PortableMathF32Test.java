package dev.unroll.autograd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link PortableMathF32} against {@link StrictMath}'s double results rounded to float, over the
 * whole float range: random floats of every magnitude (subnormal to 3e38), dense sweeps where the
 * results change fastest or become subnormal, and the special values; errors in float ulps of the
 * rounded reference.
 */
class PortableMathF32Test {

    private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        -Float.MIN_NORMAL, 1e-30f, -1e-30f, 1e-8f, -1e-8f, 0.5f, -0.5f, 1, -1, PortableMathF32.TANH_SMALL,
        Math.nextDown(PortableMathF32.TANH_SMALL), -PortableMathF32.TANH_SMALL, 9, -9, 9.1f, -9.1f, 10, -10, 11, -11,
        -87.3f, -87.4f, -103.9f, -103.98f, -104, -110, -111, 88.8f, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE};

    /** Random floats of every magnitude and sign, plus uniform sweeps of [-span, span] and the special values. */
    private static float[] inputs(long seed, float span) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[400_000];
        for (int i = 0; i < x.length; i++) {
            float v = switch (i % 4) {
                case 0 -> Float.intBitsToFloat(rng.nextInt() & 0x7f7fffff);
                case 1 -> Math.scalb(1 + (float) rng.nextDouble(), rng.nextInt(-149, 7));
                case 2 -> (float) rng.nextDouble(-span, span);
                default -> (float) rng.nextDouble(-2, 2);
            };
            x[i] = rng.nextBoolean() ? -v : v;
        }
        System.arraycopy(SPECIAL, 0, x, 0, SPECIAL.length);
        return x;
    }

    private static float[] sweep(float from, float to) {
        float[] x = new float[200_001];
        for (int i = 0; i < x.length; i++) {
            x[i] = from + (to - from) * i / (x.length - 1);
        }
        return x;
    }

    /** The largest error in float ulps of the reference, after checking that zeros, infinities and NaN agree exactly. */
    private static double worstUlps(float[] x, DoubleUnaryOperator reference, FloatFunction actual, String name) {
        double worst = 0;
        for (float v : x) {
            float expected = (float) reference.applyAsDouble(v);
            float got = actual.apply(v);
            if (Float.isNaN(expected) || Float.isInfinite(expected) || expected == 0) {
                assertEquals(expected, got, 0f, name + "(" + v + ")");
                assertEquals(Math.copySign(1f, expected), Math.copySign(1f, got), name + "(" + v + "): sign");
            } else {
                worst = Math.max(worst, Math.abs((double) expected - got) / Math.ulp(expected));
            }
        }
        return worst;
    }

    /** A float function of a float, so that no widening hides the float arithmetic under test. */
    private interface FloatFunction {
        float apply(float x);
    }

    private static double sigmoidReference(double x) {
        double e = StrictMath.exp(-Math.abs(x));
        return x >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    @Test
    void expOfNonPositiveArgumentsIsWithinOneUlpIncludingSubnormalResults() {
        float[] x = inputs(1, 110);
        for (int i = 0; i < x.length; i++) {
            x[i] = -Math.abs(x[i]);
        }
        assertTrue(worstUlps(x, StrictMath::exp, PortableMathF32::expOfNonPositive, "exp") <= 1);
        assertTrue(worstUlps(sweep(-104, -80), StrictMath::exp, PortableMathF32::expOfNonPositive, "exp") <= 1,
                "subnormal results: within 1 ulp (of the smallest subnormal)");
        assertEquals(0f, PortableMathF32.expOfNonPositive(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(PortableMathF32.expOfNonPositive(Float.NaN)));
        assertEquals(1f, PortableMathF32.expOfNonPositive(-0f));
        assertEquals(Float.MIN_VALUE, PortableMathF32.expOfNonPositive(-103.5f), "the smallest subnormal");
    }

    @Test
    void tanhIsWithinThreeUlpAndKeepsTheSignOfZero() {
        assertTrue(worstUlps(inputs(2, 12), StrictMath::tanh, PortableMathF32::tanh, "tanh") <= 3);
        assertTrue(worstUlps(sweep(-3, 3), StrictMath::tanh, PortableMathF32::tanh, "tanh") <= 3);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(PortableMathF32.tanh(-0f)));
        assertEquals(1f, PortableMathF32.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, PortableMathF32.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(Float.MIN_VALUE, PortableMathF32.tanh(Float.MIN_VALUE));
        assertTrue(Float.isNaN(PortableMathF32.tanh(Float.NaN)));
    }

    @Test
    void sigmoidIsWithinTwoUlpAndSaturatesWithoutNaN() {
        assertTrue(worstUlps(inputs(3, 110), PortableMathF32Test::sigmoidReference, PortableMathF32::sigmoid,
                "sigmoid") <= 2);
        assertTrue(worstUlps(sweep(-20, 20), PortableMathF32Test::sigmoidReference, PortableMathF32::sigmoid,
                "sigmoid") <= 2);
        assertEquals(1f, PortableMathF32.sigmoid(Float.POSITIVE_INFINITY));
        assertEquals(0f, PortableMathF32.sigmoid(Float.NEGATIVE_INFINITY));
        assertEquals(0.5f, PortableMathF32.sigmoid(-0f));
        assertTrue(PortableMathF32.sigmoid(-103) > 0, "a subnormal, not 0");
        assertTrue(Float.isNaN(PortableMathF32.sigmoid(Float.NaN)));
    }
}
