package dev.unroll.autograd;

import dev.unroll.autograd.internal.Activations;
import java.util.random.RandomGenerator;

/**
 * Elementwise ops: arithmetic with broadcasting, activations and other functions applied to each
 * element. Each op checks its inputs here; its forward and backward are written side by side in
 * {@code ElementwiseF64} (a unary op is its value and its slope), from which the build derives
 * the float32 twin. Inputs must share one precision.
 *
 * <p>Binary ops broadcast: each dimension of each operand must equal the other's or be 1, so a
 * 1xC row (a bias) applies to every row, an Rx1 column (a per-example mask or weight) to every
 * column and a 1x1 scalar to every element. The gradient of a broadcast operand is summed over
 * the dimensions it was broadcast along.
 */
public final class ElementwiseOps {

    private ElementwiseOps() {
    }

    /**
     * Elementwise sum {@code a + b}, broadcasting. Gradient: dL/da = dL/dout, dL/db = dL/dout
     * (each summed over its broadcast dimensions).
     *
     * @param a left operand
     * @param b right operand
     * @return a + b
     */
    public static Tensor add(Tensor a, Tensor b) {
        return addScaled("add", a, b, 1.0);
    }

    /**
     * Elementwise difference {@code a - b}, broadcasting. Gradient: dL/da = dL/dout,
     * dL/db = -dL/dout.
     *
     * @param a left operand
     * @param b right operand
     * @return a - b
     */
    public static Tensor sub(Tensor a, Tensor b) {
        return addScaled("sub", a, b, -1.0);
    }

    private static Tensor addScaled(String op, Tensor a, Tensor b, double sign) {
        Broadcast bc = Broadcast.of(op, a, b);
        return DType.common(op, a, b) == DType.F32 ? ElementwiseF32.addScaled(op, bc, a, b, (float) sign)
                : ElementwiseF64.addScaled(op, bc, a, b, sign);
    }

    /**
     * Elementwise (Hadamard) product {@code a * b}, broadcasting. Gradient: dL/da = dL/dout * b,
     * dL/db = dL/dout * a.
     *
     * @param a left operand
     * @param b right operand
     * @return a * b
     */
    public static Tensor mul(Tensor a, Tensor b) {
        return multiply("mul", a, b);
    }

    /**
     * Multiplies {@code x} by a constant mask (e.g. 0/1 for padded timesteps). The mask is
     * broadcast over x, never x over the mask, so the output always has x's shape: for an R x C
     * x the mask is R x C (one factor per element), R x 1 (one per row, i.e. per example),
     * 1 x C (one per feature) or 1 x 1, in either precision (it is converted to x's). The mask
     * is never differentiated. Gradient:
     * dL/dx = dL/dout * mask.
     *
     * @param x the tensor to mask, R x C
     * @param mask the constant mask: R x C, R x 1, 1 x C or 1 x 1
     * @return x * mask, R x C
     * @throws IllegalArgumentException naming both shapes when the mask has another shape
     */
    public static Tensor maskMul(Tensor x, Tensor mask) {
        boolean rowsFit = mask.rows() == x.rows() || mask.rows() == 1;
        boolean colsFit = mask.cols() == x.cols() || mask.cols() == 1;
        if (!rowsFit || !colsFit) {
            throw new IllegalArgumentException("maskMul: mask " + mask.shape() + " does not fit x " + x.shape()
                    + "; the mask must be " + x.shape() + ", " + x.rows() + "x1 (one value per row), 1x" + x.cols()
                    + " (one per column) or 1x1");
        }
        return multiply("maskMul", x, mask.detach().to(x.dtype()));
    }

    /**
     * Inverted dropout: zeroes each element with probability {@code p} and scales the survivors
     * by 1 / (1 - p), so the expected value is unchanged and evaluation needs no rescaling.
     * Gradient: dL/dx = dL/dout * mask / (1 - p). Call it only in training.
     *
     * @param x the input
     * @param p drop probability in [0, 1)
     * @param rng the generator drawing the mask
     * @return x with dropped elements zeroed, or x itself when p = 0
     */
    public static Tensor dropout(Tensor x, double p, RandomGenerator rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout: probability " + p + " is outside [0, 1)");
        }
        if (p == 0) {
            return x;
        }
        Tensor mask = x.isF32() ? ElementwiseF32.dropoutMask(x, (float) p, rng) : ElementwiseF64.dropoutMask(x, p, rng);
        return multiply("dropout", x, mask);
    }

    private static Tensor multiply(String op, Tensor a, Tensor b) {
        Broadcast bc = Broadcast.of(op, a, b);
        return DType.common(op, a, b) == DType.F32 ? ElementwiseF32.multiply(op, bc, a, b)
                : ElementwiseF64.multiply(op, bc, a, b);
    }

    /**
     * Elementwise quotient {@code a / b}, broadcasting. Gradient: dL/da = dL/dout / b,
     * dL/db = -dL/dout * a / b^2.
     *
     * @param a dividend
     * @param b divisor
     * @return a / b
     */
    public static Tensor div(Tensor a, Tensor b) {
        Broadcast bc = Broadcast.of("div", a, b);
        return DType.common("div", a, b) == DType.F32 ? ElementwiseF32.div(bc, a, b) : ElementwiseF64.div(bc, a, b);
    }

    /**
     * Negation {@code -x}. Gradient: dL/dx = -dL/dout.
     *
     * @param x the input
     * @return -x
     */
    public static Tensor neg(Tensor x) {
        return scaled("neg", x, -1.0);
    }

    /**
     * Multiplication by a constant {@code factor * x}. Gradient: dL/dx = factor * dL/dout.
     *
     * @param x the input
     * @param factor the constant
     * @return factor * x
     */
    public static Tensor scale(Tensor x, double factor) {
        return scaled("scale", x, factor);
    }

    private static Tensor scaled(String op, Tensor x, double factor) {
        return x.isF32() ? ElementwiseF32.scaled(op, x, (float) factor) : ElementwiseF64.scaled(op, x, factor);
    }

    /**
     * Addition of a constant {@code x + constant} (e.g. {@code 1 - z} as {@code z.neg().addScalar(1)}).
     * Gradient: dL/dx = dL/dout.
     *
     * @param x the input
     * @param constant the constant
     * @return x + constant
     */
    public static Tensor addScalar(Tensor x, double constant) {
        return x.isF32() ? ElementwiseF32.addScalar(x, (float) constant) : ElementwiseF64.addScalar(x, constant);
    }

    /**
     * Hyperbolic tangent. Gradient: dL/dx = dL/dout * (1 - tanh(x)^2).
     *
     * @param x the input
     * @return tanh(x)
     */
    public static Tensor tanh(Tensor x) {
        return x.isF32() ? ElementwiseF32.tanh(x) : ElementwiseF64.tanh(x);
    }

    /**
     * Logistic sigmoid 1 / (1 + e^-x), computed without overflow for large |x|.
     * Gradient: dL/dx = dL/dout * s (1 - s).
     *
     * @param x the input
     * @return sigmoid(x)
     */
    public static Tensor sigmoid(Tensor x) {
        return x.isF32() ? ElementwiseF32.sigmoid(x) : ElementwiseF64.sigmoid(x);
    }

    /**
     * The logistic function of one value, stable for large |v|.
     *
     * @param v any value
     * @return 1 / (1 + e^-v)
     */
    public static double sigmoid(double v) {
        return Activations.sigmoid(v);
    }

    /**
     * Rectified linear unit max(x, 0). Gradient: dL/dx = dL/dout where x &gt; 0, else 0.
     *
     * @param x the input
     * @return max(x, 0)
     */
    public static Tensor relu(Tensor x) {
        return x.isF32() ? ElementwiseF32.relu(x) : ElementwiseF64.relu(x);
    }

    /**
     * Exponential e^x. Gradient: dL/dx = dL/dout * e^x.
     *
     * @param x the input
     * @return e^x
     */
    public static Tensor exp(Tensor x) {
        return x.isF32() ? ElementwiseF32.exp(x) : ElementwiseF64.exp(x);
    }

    /**
     * Natural logarithm. Gradient: dL/dx = dL/dout / x.
     *
     * @param x the input (positive)
     * @return ln(x)
     */
    public static Tensor log(Tensor x) {
        return x.isF32() ? ElementwiseF32.log(x) : ElementwiseF64.log(x);
    }

    /**
     * Square root. Gradient: dL/dx = dL/dout / (2 sqrt(x)).
     *
     * @param x the input (non-negative)
     * @return sqrt(x)
     */
    public static Tensor sqrt(Tensor x) {
        return x.isF32() ? ElementwiseF32.sqrt(x) : ElementwiseF64.sqrt(x);
    }

    /**
     * Power by a constant exponent x^p. Gradient: dL/dx = dL/dout * p x^(p-1).
     *
     * @param x the input
     * @param exponent the constant p
     * @return x^p
     */
    public static Tensor pow(Tensor x, double exponent) {
        return x.isF32() ? ElementwiseF32.pow(x, (float) exponent) : ElementwiseF64.pow(x, exponent);
    }

    /**
     * Clamps each element into [min, max]. Gradient: dL/dx = dL/dout where min &lt;= x &lt;= max,
     * else 0 (as in PyTorch).
     *
     * @param x the input
     * @param min lower bound
     * @param max upper bound, at least min
     * @return x clamped
     */
    public static Tensor clamp(Tensor x, double min, double max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        return x.isF32() ? ElementwiseF32.clamp(x, (float) min, (float) max) : ElementwiseF64.clamp(x, min, max);
    }
}
