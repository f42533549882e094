package dev.unroll.autograd.internal;

/**
 * {@link PortableMath}'s exp, tanh and sigmoid in float arithmetic, for float32 tensors: the same
 * construction (round-to-integer by a shifter, Cody and Waite's two-part ln 2, a polynomial for
 * {@code e^r - 1}, the power of two assembled in the exponent bits) with float constants and a
 * degree-5 polynomial for {@code q(r) = (e^r - 1 - r) / r^2} on {@code |r| <= ln2 / 2} (fitted in
 * 40-digit arithmetic, relative error of {@code e^r - 1} 1.5e-8, a quarter of a float ulp). Only
 * exactly rounded operations, so {@link VectorActivations}' float lanes get the same bits, compiled
 * or not, and twice as many lanes as the double kernel: the float32 gates no longer widen to
 * double and back.
 *
 * <p>Accuracy, from {@link StrictMath}'s double result rounded to float ({@code
 * PortableMathF32Test}, over every magnitude, the tails, subnormal results, -0.0, infinities and
 * NaN): exp within 1 ulp, sigmoid within 2, tanh within 3. Internal.
 */
final class PortableMathF32 {

    /** 1 / ln 2. */
    static final float LOG2E = 1.4426950408889634f;
    /** 1.5 * 2^23: adding it rounds a float below 2^22 in magnitude to an integer held in the low mantissa bits. */
    static final float SHIFTER = 0x1.8p23f;
    /** The bits of {@link #SHIFTER}. */
    static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);
    /** ln 2 to 16 bits, so that {@code n * LN2_HI} is exact for every n used here. */
    static final float LN2_HI = 0.693145751953125f;
    /** ln 2 minus {@link #LN2_HI}. */
    static final float LN2_LO = 1.4286067653e-06f;
    /** exp's argument is clamped at -LIMIT; below -103.98 the float result is 0 anyway. */
    static final float LIMIT = 110;
    /** exp builds 2^(n + SCALE) in the exponent bits (normal for every n from -159 to 0), then multiplies by 2^-SCALE. */
    static final int SCALE = 100;
    /** 2^-SCALE. */
    static final float UNSCALE = 0x1p-100f;
    /** tanh's |x| is clamped at 10, where tanh rounds to 1 in float (it does from 9.01). */
    static final float TANH_SATURATION = 10;
    /** atanh(1/2): below it tanh is formed from e^-2|x| - 1, above from e^-2|x|. */
    static final float TANH_SMALL = 0.54930615f;
    /** The float exponent bias. */
    static final int BIAS = 127;
    /** Where the exponent field starts. */
    static final int MANTISSA_BITS = 23;
    /** The sign bit of a float. */
    static final int SIGN = 0x80000000;

    /** q(r) ~ (e^r - 1 - r) / r^2 on |r| <= ln2 / 2: coefficients of r^0 .. r^5. */
    static final float Q0 = 0.5f;
    static final float Q1 = 0.1666666716337204f;
    static final float Q2 = 0.04166635498404503f;
    static final float Q3 = 0.008333378471434116f;
    static final float Q4 = 0.001394097926095128f;
    static final float Q5 = 0.0001985159033210948f;

    private PortableMathF32() {
    }

    /**
     * e^x for x &le; 0.
     *
     * @param x zero, negative, -infinity or NaN
     * @return e^x, within 1 ulp
     */
    static float expOfNonPositive(float x) {
        float y = x < -LIMIT ? -LIMIT : x;
        float t = Math.fma(y, LOG2E, SHIFTER);
        float p = expm1Reduced(y, t - SHIFTER);
        float s = Float.intBitsToFloat((Float.floatToRawIntBits(t) - SHIFTER_BITS + SCALE + BIAS) << MANTISSA_BITS);
        return Math.fma(s, p, s) * UNSCALE;
    }

    /**
     * tanh(x).
     *
     * @param x any value
     * @return tanh(x), within 3 ulp, with the sign of x (also for -0.0)
     */
    static float tanh(float x) {
        float a = Math.abs(x);
        float y = -2 * (a > TANH_SATURATION ? TANH_SATURATION : a);
        float t = Math.fma(y, LOG2E, SHIFTER);
        float p = expm1Reduced(y, t - SHIFTER);
        float s = Float.intBitsToFloat((Float.floatToRawIntBits(t) - SHIFTER_BITS + BIAS) << MANTISSA_BITS);
        float em1 = Math.fma(s, p, s - 1);
        float u = Math.fma(s, p, s);
        boolean small = a < TANH_SMALL;
        float q = (small ? -em1 : 2 * u) / (small ? 2 + em1 : 1 + u);
        float magnitude = small ? q : 1 - q;
        return Float.intBitsToFloat(Float.floatToRawIntBits(magnitude) & ~SIGN | Float.floatToRawIntBits(x) & SIGN);
    }

    /**
     * The logistic function 1 / (1 + e^-x).
     *
     * @param x any value
     * @return sigmoid(x), within 2 ulp, 0 or 1 in the tails, never NaN unless x is
     */
    static float sigmoid(float x) {
        float u = expOfNonPositive(-Math.abs(x));
        return (x >= 0 ? 1 : u) / (1 + u);
    }

    /** e^r - 1 for {@code r = y - n ln2}, as {@link PortableMath}'s, in float. */
    private static float expm1Reduced(float y, float n) {
        float hi = Math.fma(n, -LN2_HI, y);
        float r = Math.fma(n, -LN2_LO, hi);
        float lo = Math.fma(n, -LN2_LO, hi - r);
        float q = Math.fma(Q5, r, Q4);
        q = Math.fma(q, r, Q3);
        q = Math.fma(q, r, Q2);
        q = Math.fma(q, r, Q1);
        q = Math.fma(q, r, Q0);
        return r + Math.fma(r * r, q, lo);
    }
}
