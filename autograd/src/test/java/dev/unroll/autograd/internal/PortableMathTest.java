package dev.unroll.autograd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link PortableMath} against {@link StrictMath} over the whole double range: random values of
 * every magnitude (subnormal to 1e308), dense sweeps where the results change fastest or become
 * subnormal, and the special values. The bounds are those its javadoc states against StrictMath,
 * which is itself up to 1 ulp (exp) or 2.1 ulp (tanh) from the exact value.
 */
class PortableMathTest {

    private static final double[] SPECIAL = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        -Double.MIN_NORMAL, 1e-300, -1e-300, 1e-17, -1e-17, 1e-8, -1e-8, 0.5, -0.5, 1, -1, PortableMath.TANH_SMALL,
        Math.nextDown(PortableMath.TANH_SMALL), -PortableMath.TANH_SMALL, 19.06, -19.06, 20, -20, 21, -21,
        709.782712893384, 709.7827128933841, -708.3964185322641, -708.4, -745.1332191019411, -745.1332191019412,
        -746, 746, 1e300, -1e300, Double.MAX_VALUE, -Double.MAX_VALUE};

    /** Random doubles of every magnitude and sign, plus uniform sweeps of [-span, span] and the special values. */
    private static double[] inputs(long seed, double span) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[400_000];
        for (int i = 0; i < x.length; i++) {
            double v = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(rng.nextLong() & 0x7fefffffffffffffL);
                case 1 -> Math.scalb(1 + rng.nextDouble(), rng.nextInt(-1074, 11));
                case 2 -> rng.nextDouble(-span, span);
                default -> rng.nextDouble(-2, 2);
            };
            x[i] = rng.nextBoolean() ? -v : v;
        }
        System.arraycopy(SPECIAL, 0, x, 0, SPECIAL.length);
        return x;
    }

    /** The largest error in ulps of the reference, after checking that infinities and NaN agree exactly. */
    private static double worstUlps(double[] x, DoubleUnaryOperator reference, DoubleUnaryOperator actual, String name) {
        double worst = 0;
        for (double v : x) {
            double expected = reference.applyAsDouble(v);
            double got = actual.applyAsDouble(v);
            if (Double.isNaN(expected) || Double.isInfinite(expected) || expected == 0) {
                assertEquals(expected, got, 0.0, name + "(" + v + ")");
                assertEquals(Math.copySign(1, expected), Math.copySign(1, got), name + "(" + v + "): sign");
            } else {
                worst = Math.max(worst, Math.abs(expected - got) / Math.ulp(expected));
            }
        }
        return worst;
    }

    private static double sigmoidReference(double x) {
        double e = StrictMath.exp(-Math.abs(x));
        return x >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    @Test
    void expOfNonPositiveArgumentsIsWithinOneUlpOfStrictMathIncludingSubnormalResults() {
        double[] x = inputs(1, 750);
        for (int i = 0; i < x.length; i++) {
            x[i] = -Math.abs(x[i]);
        }
        assertTrue(worstUlps(x, StrictMath::exp, PortableMath::expOfNonPositive, "exp") <= 1);
        assertEquals(0.0, PortableMath.expOfNonPositive(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(PortableMath.expOfNonPositive(Double.NaN)));
        assertEquals(1.0, PortableMath.expOfNonPositive(-0.0));
        assertEquals(1.0, PortableMath.expOfNonPositive(0.0));
        assertEquals(Double.MIN_VALUE, PortableMath.expOfNonPositive(-745.1), "the smallest subnormal");
        assertTrue(worstUlps(sweep(-745.2, -700), StrictMath::exp, PortableMath::expOfNonPositive, "exp") <= 1,
                "subnormal results: within 1 ulp (of the smallest subnormal)");
    }

    @Test
    void tanhIsWithinThreeUlpOfStrictMathAndKeepsTheSignOfZero() {
        assertTrue(worstUlps(inputs(2, 25), StrictMath::tanh, PortableMath::tanh, "tanh") <= 3);
        assertTrue(worstUlps(sweep(-3, 3), StrictMath::tanh, PortableMath::tanh, "tanh") <= 3);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(PortableMath.tanh(-0.0)));
        assertEquals(1.0, PortableMath.tanh(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, PortableMath.tanh(Double.NEGATIVE_INFINITY));
        assertEquals(Double.MIN_VALUE, PortableMath.tanh(Double.MIN_VALUE));
        assertTrue(Double.isNaN(PortableMath.tanh(Double.NaN)));
    }

    @Test
    void sigmoidIsWithinTwoUlpOfTheStrictMathFormulaAndSaturatesWithoutNaN() {
        assertTrue(worstUlps(inputs(3, 800), PortableMathTest::sigmoidReference, PortableMath::sigmoid, "sigmoid") <= 2);
        assertTrue(worstUlps(sweep(-40, 40), PortableMathTest::sigmoidReference, PortableMath::sigmoid, "sigmoid") <= 2);
        assertEquals(1.0, PortableMath.sigmoid(Double.POSITIVE_INFINITY));
        assertEquals(0.0, PortableMath.sigmoid(Double.NEGATIVE_INFINITY));
        assertEquals(0.5, PortableMath.sigmoid(-0.0));
        assertTrue(PortableMath.sigmoid(-745) > 0, "a subnormal, not 0");
        assertTrue(Double.isNaN(PortableMath.sigmoid(Double.NaN)));
    }

    private static double[] sweep(double from, double to) {
        double[] x = new double[200_001];
        for (int i = 0; i < x.length; i++) {
            x[i] = from + (to - from) * i / (x.length - 1);
        }
        return x;
    }
}
