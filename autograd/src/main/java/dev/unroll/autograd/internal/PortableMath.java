package dev.unroll.autograd.internal;

/**
 * exp, tanh and the logistic sigmoid built only from operations that IEEE 754 rounds exactly
 * (add, subtract, multiply, fused multiply-add, divide, compare, select) and integer operations on
 * the exponent bits, so every JVM computes the same bits, interpreted or compiled, with or without
 * the Vector API: {@link VectorActivations} performs these very steps on lanes, fusing exactly
 * where this class calls {@link Math#fma}. (The JDK's {@code Math.tanh} and the Vector API's
 * {@code TANH}/{@code EXP} promise no particular bits; the latter round one way interpreted and
 * another once compiled.)
 *
 * <p>exp (of x &le; 0, all that tanh and sigmoid need): {@code x = n ln2 + r} with {@code n} the
 * nearest integer to {@code x / ln2} (rounded by adding 1.5 * 2^52), {@code r} exact in two parts
 * (Cody and Waite's split of ln 2, the second part through fma), {@code e^r - 1 = r + r^2 q(r)} with
 * {@code q} a degree-9 near-minimax polynomial on {@code |r| <= ln2 / 2} (relative error 2e-17), and
 * {@code 2^(n + 600)} assembled in the exponent bits, then scaled by 2^-600, so that subnormal results
 * come out right. tanh uses {@code e^(-2|x|) - 1}
 * below |x| = atanh(1/2) (no cancellation near 0) and {@code 1 - 2 e^(-2|x|) / (1 + e^(-2|x|))}
 * above; sigmoid is {@code 1 / (1 + e^-x)} for x &ge; 0 and {@code e^x / (1 + e^x)} below, so
 * neither overflows.
 *
 * <p>Accuracy: from the exact value, exp is within 1 ulp (subnormal results included), sigmoid
 * within 2 ulp and tanh within 2.5 ulp, the bound the JDK states for {@code Math.tanh} (worst
 * seen against 40-digit arithmetic: 0.86, 1.95 and 2.17 ulp). From {@link StrictMath}, itself up
 * to 1 ulp (exp) or 2.1 ulp (tanh) off, {@code PortableMathTest} bounds exp to 1 ulp, sigmoid to 2
 * and tanh to 3 over the whole double range (exp over x &le; 0), tails, subnormals, -0.0, infinities
 * and NaN.
 * tanh(-0.0) is -0.0, tanh(&plusmn;inf) = &plusmn;1, exp(-inf) = 0, sigmoid saturates at 0 and 1
 * without NaN, and NaN stays NaN. Internal.
 */
final class PortableMath {

    /** 1 / ln 2. */
    static final double LOG2E = 1.4426950408889634;
    /** 1.5 * 2^52: adding it rounds a double below 2^51 in magnitude to an integer held in the low mantissa bits. */
    static final double SHIFTER = 0x1.8p52;
    /** The bits of {@link #SHIFTER}: subtracting them from the bits of {@code SHIFTER + n} leaves n. */
    static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    /** ln 2 rounded to a double. */
    static final double LN2_HI = 0.6931471805599453;
    /** ln 2 minus {@link #LN2_HI}. */
    static final double LN2_LO = 2.3190468138462996e-17;
    /** exp's argument is clamped at -LIMIT; below -746 the result is 0 anyway. */
    static final double LIMIT = 1100;
    /** exp builds 2^(n + SCALE) in the exponent bits (a normal number for every n from -1587 to 0), then multiplies by 2^-SCALE. */
    static final long SCALE = 600;
    /** 2^-SCALE. */
    static final double UNSCALE = 0x1p-600;
    /** tanh's |x| is clamped at 20, where tanh rounds to 1 (it does from 19.06). */
    static final double TANH_SATURATION = 20;
    /** atanh(1/2): below it tanh is formed from e^-2|x| - 1, above from e^-2|x|. */
    static final double TANH_SMALL = 0.5493061443340549;
    /** The double exponent bias. */
    static final long BIAS = 1023;
    /** Where the exponent field starts. */
    static final int MANTISSA_BITS = 52;
    /** The sign bit of a double. */
    static final long SIGN = 0x8000000000000000L;

    /** q(r) ~ (e^r - 1 - r) / r^2 on |r| <= ln2 / 2: coefficients of r^0 .. r^9. */
    static final double Q0 = 0.5000000000000001;
    static final double Q1 = 0.16666666666666669;
    static final double Q2 = 0.041666666666623824;
    static final double Q3 = 0.008333333333330039;
    static final double Q4 = 0.0013888888917367081;
    static final double Q5 = 0.00019841269863171557;
    static final double Q6 = 2.4801521057868204e-05;
    static final double Q7 = 2.7557268276905696e-06;
    static final double Q8 = 2.7620201591031547e-07;
    static final double Q9 = 2.5100472505694996e-08;

    private PortableMath() {
    }

    /**
     * e^x for x &le; 0.
     *
     * @param x zero, negative, -infinity or NaN
     * @return e^x, within 1 ulp
     */
    static double expOfNonPositive(double x) {
        double y = x < -LIMIT ? -LIMIT : x;
        double t = Math.fma(y, LOG2E, SHIFTER);
        double p = expm1Reduced(y, t - SHIFTER);
        double s = Double.longBitsToDouble((Double.doubleToRawLongBits(t) - SHIFTER_BITS + SCALE + BIAS) << MANTISSA_BITS);
        return Math.fma(s, p, s) * UNSCALE;
    }

    /**
     * tanh(x).
     *
     * @param x any value
     * @return tanh(x), within 2.5 ulp, with the sign of x (also for -0.0)
     */
    static double tanh(double x) {
        double a = Math.abs(x);
        double y = -2 * (a > TANH_SATURATION ? TANH_SATURATION : a);
        double t = Math.fma(y, LOG2E, SHIFTER);
        double n = t - SHIFTER;
        double p = expm1Reduced(y, n);
        double s = Double.longBitsToDouble((Double.doubleToRawLongBits(t) - SHIFTER_BITS + BIAS) << MANTISSA_BITS);
        double em1 = Math.fma(s, p, s - 1);
        double u = Math.fma(s, p, s);
        boolean small = a < TANH_SMALL;
        double q = (small ? -em1 : 2 * u) / (small ? 2 + em1 : 1 + u);
        double magnitude = small ? q : 1 - q;
        return Double.longBitsToDouble(Double.doubleToRawLongBits(magnitude) & ~SIGN
                | Double.doubleToRawLongBits(x) & SIGN);
    }

    /**
     * The logistic function 1 / (1 + e^-x).
     *
     * @param x any value
     * @return sigmoid(x), within 2 ulp, 0 or 1 in the tails, never NaN unless x is
     */
    static double sigmoid(double x) {
        double u = expOfNonPositive(-Math.abs(x));
        return (x >= 0 ? 1 : u) / (1 + u);
    }

    /**
     * e^r - 1 for {@code r = y - n ln2}, |r| &le; ln2 / 2, from the reduced argument in two
     * parts: {@code hi = y - n LN2_HI} is exact, the rounding error of {@code hi - n LN2_LO} is
     * carried as {@code lo} and added to the polynomial's small term.
     */
    private static double expm1Reduced(double y, double n) {
        double hi = Math.fma(n, -LN2_HI, y);
        double r = Math.fma(n, -LN2_LO, hi);
        double lo = Math.fma(n, -LN2_LO, hi - r);
        double q = Math.fma(Q9, r, Q8);
        q = Math.fma(q, r, Q7);
        q = Math.fma(q, r, Q6);
        q = Math.fma(q, r, Q5);
        q = Math.fma(q, r, Q4);
        q = Math.fma(q, r, Q3);
        q = Math.fma(q, r, Q2);
        q = Math.fma(q, r, Q1);
        q = Math.fma(q, r, Q0);
        return r + Math.fma(r * r, q, lo);
    }
}
