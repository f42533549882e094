package dev.unroll.autograd;

import dev.unroll.autograd.internal.Activations;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * Elementwise ops: arithmetic with broadcasting, activations and other functions applied to each
 * element. Each op computes its output and, when recorded, the backward step that adds
 * dLoss/dInput = dLoss/dOutput * dOutput/dInput into each input needing a gradient; the two are
 * written side by side.
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
        Tensor out = Tensor.zeros(bc.rows, bc.cols);
        double[] av = a.data();
        double[] bv = b.data();
        double[] o = out.data();
        if (bc.sameShape) {
            for (int i = 0; i < o.length; i++) {
                o[i] = av[i] + sign * bv[i];
            }
        } else {
            for (int r = 0, k = 0; r < bc.rows; r++) {
                for (int c = 0; c < bc.cols; c++, k++) {
                    o[k] = av[bc.a(r, c)] + sign * bv[bc.b(r, c)];
                }
            }
        }
        Tape tape = Tape.recording(a, b);
        if (tape != null) {
            tape.add(op, out, a, b, g -> {
                if (a.requiresGrad()) {
                    accumulate(g.data, 1.0, a.gradBuffer().data, bc, true);
                }
                if (b.requiresGrad()) {
                    accumulate(g.data, sign, b.gradBuffer().data, bc, false);
                }
            });
        }
        return out;
    }

    /** Adds {@code factor * g} into an operand's gradient, summing over its broadcast dimensions. */
    private static void accumulate(double[] g, double factor, double[] target, Broadcast bc, boolean first) {
        if (bc.sameShape) {
            axpy(factor, g, target);
            return;
        }
        for (int r = 0, k = 0; r < bc.rows; r++) {
            for (int c = 0; c < bc.cols; c++, k++) {
                target[first ? bc.a(r, c) : bc.b(r, c)] += factor * g[k];
            }
        }
    }

    /** {@code target += factor * g}, elementwise over arrays of equal length. */
    static void axpy(double factor, double[] g, double[] target) {
        for (int i = 0; i < g.length; i++) {
            target[i] += factor * g[i];
        }
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
     * 1 x C (one per feature) or 1 x 1. The mask is never differentiated. Gradient:
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
        return multiply("maskMul", x, mask.detach());
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
        DMatrixRMaj mask = DMatrixRMaj.wrap(x.rows(), x.cols(), Tape.scratch(x.rows() * x.cols()));
        double keep = 1.0 / (1.0 - p);
        for (int i = 0; i < mask.data.length; i++) {
            mask.data[i] = rng.nextDouble() < p ? 0.0 : keep;
        }
        return multiply("dropout", x, new Tensor(mask));
    }

    private static Tensor multiply(String op, Tensor a, Tensor b) {
        Broadcast bc = Broadcast.of(op, a, b);
        Tensor out = Tensor.zeros(bc.rows, bc.cols);
        double[] av = a.data();
        double[] bv = b.data();
        double[] o = out.data();
        if (bc.sameShape) {
            for (int i = 0; i < o.length; i++) {
                o[i] = av[i] * bv[i];
            }
        } else {
            for (int r = 0, k = 0; r < bc.rows; r++) {
                for (int c = 0; c < bc.cols; c++, k++) {
                    o[k] = av[bc.a(r, c)] * bv[bc.b(r, c)];
                }
            }
        }
        Tape tape = Tape.recording(a, b);
        if (tape != null) {
            tape.add(op, out, a, b, g -> {
                double[] gv = g.data;
                if (a.requiresGrad()) {
                    double[] ga = a.gradBuffer().data;
                    if (bc.sameShape) {
                        for (int i = 0; i < gv.length; i++) {
                            ga[i] += gv[i] * bv[i];
                        }
                    } else {
                        for (int r = 0, k = 0; r < bc.rows; r++) {
                            for (int c = 0; c < bc.cols; c++, k++) {
                                ga[bc.a(r, c)] += gv[k] * bv[bc.b(r, c)];
                            }
                        }
                    }
                }
                if (b.requiresGrad()) {
                    double[] gb = b.gradBuffer().data;
                    if (bc.sameShape) {
                        for (int i = 0; i < gv.length; i++) {
                            gb[i] += gv[i] * av[i];
                        }
                    } else {
                        for (int r = 0, k = 0; r < bc.rows; r++) {
                            for (int c = 0; c < bc.cols; c++, k++) {
                                gb[bc.b(r, c)] += gv[k] * av[bc.a(r, c)];
                            }
                        }
                    }
                }
            });
        }
        return out;
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
        Tensor out = Tensor.zeros(bc.rows, bc.cols);
        double[] av = a.data();
        double[] bv = b.data();
        double[] o = out.data();
        for (int r = 0, k = 0; r < bc.rows; r++) {
            for (int c = 0; c < bc.cols; c++, k++) {
                o[k] = av[bc.a(r, c)] / bv[bc.b(r, c)];
            }
        }
        Tape tape = Tape.recording(a, b);
        if (tape != null) {
            tape.add("div", out, a, b, g -> {
                double[] gv = g.data;
                double[] ga = a.requiresGrad() ? a.gradBuffer().data : null;
                double[] gb = b.requiresGrad() ? b.gradBuffer().data : null;
                for (int r = 0, k = 0; r < bc.rows; r++) {
                    for (int c = 0; c < bc.cols; c++, k++) {
                        double divisor = bv[bc.b(r, c)];
                        if (ga != null) {
                            ga[bc.a(r, c)] += gv[k] / divisor;
                        }
                        if (gb != null) {
                            gb[bc.b(r, c)] -= gv[k] * o[k] / divisor;
                        }
                    }
                }
            });
        }
        return out;
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
        Tensor out = Tensor.zeros(x.rows(), x.cols());
        double[] xv = x.data();
        double[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            o[i] = factor * xv[i];
        }
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add(op, out, x, g -> axpy(factor, g.data, x.gradBuffer().data));
        }
        return out;
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
        Tensor out = Tensor.zeros(x.rows(), x.cols());
        double[] xv = x.data();
        double[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            o[i] = xv[i] + constant;
        }
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add("addScalar", out, x, g -> axpy(1.0, g.data, x.gradBuffer().data));
        }
        return out;
    }

    /**
     * Hyperbolic tangent. Gradient: dL/dx = dL/dout * (1 - tanh(x)^2).
     *
     * @param x the input
     * @return tanh(x)
     */
    public static Tensor tanh(Tensor x) {
        Tensor out = Tensor.zeros(x.rows(), x.cols());
        double[] xv = x.data();
        double[] o = out.data();
        Activations.tanh(xv, 0, o, 0, o.length);
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add("tanh", out, x, g -> {
                double[] gx = x.gradBuffer().data;
                for (int i = 0; i < gx.length; i++) {
                    gx[i] += g.data[i] * (1.0 - o[i] * o[i]);
                }
            });
        }
        return out;
    }

    /**
     * Logistic sigmoid 1 / (1 + e^-x), computed without overflow for large |x|.
     * Gradient: dL/dx = dL/dout * s (1 - s).
     *
     * @param x the input
     * @return sigmoid(x)
     */
    public static Tensor sigmoid(Tensor x) {
        Tensor out = Tensor.zeros(x.rows(), x.cols());
        double[] xv = x.data();
        double[] o = out.data();
        Activations.sigmoid(xv, 0, o, 0, o.length);
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add("sigmoid", out, x, g -> {
                double[] gx = x.gradBuffer().data;
                for (int i = 0; i < gx.length; i++) {
                    gx[i] += g.data[i] * o[i] * (1.0 - o[i]);
                }
            });
        }
        return out;
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
        Tensor out = Tensor.zeros(x.rows(), x.cols());
        double[] xv = x.data();
        double[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            o[i] = xv[i] > 0 ? xv[i] : 0.0;
        }
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add("relu", out, x, g -> {
                double[] gx = x.gradBuffer().data;
                for (int i = 0; i < gx.length; i++) {
                    if (xv[i] > 0) {
                        gx[i] += g.data[i];
                    }
                }
            });
        }
        return out;
    }

    /**
     * Exponential e^x. Gradient: dL/dx = dL/dout * e^x.
     *
     * @param x the input
     * @return e^x
     */
    public static Tensor exp(Tensor x) {
        Tensor out = Tensor.zeros(x.rows(), x.cols());
        double[] xv = x.data();
        double[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            o[i] = Math.exp(xv[i]);
        }
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add("exp", out, x, g -> {
                double[] gx = x.gradBuffer().data;
                for (int i = 0; i < gx.length; i++) {
                    gx[i] += g.data[i] * o[i];
                }
            });
        }
        return out;
    }

    /**
     * Natural logarithm. Gradient: dL/dx = dL/dout / x.
     *
     * @param x the input (positive)
     * @return ln(x)
     */
    public static Tensor log(Tensor x) {
        Tensor out = Tensor.zeros(x.rows(), x.cols());
        double[] xv = x.data();
        double[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            o[i] = Math.log(xv[i]);
        }
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add("log", out, x, g -> {
                double[] gx = x.gradBuffer().data;
                for (int i = 0; i < gx.length; i++) {
                    gx[i] += g.data[i] / xv[i];
                }
            });
        }
        return out;
    }

    /**
     * Square root. Gradient: dL/dx = dL/dout / (2 sqrt(x)).
     *
     * @param x the input (non-negative)
     * @return sqrt(x)
     */
    public static Tensor sqrt(Tensor x) {
        Tensor out = Tensor.zeros(x.rows(), x.cols());
        double[] xv = x.data();
        double[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            o[i] = Math.sqrt(xv[i]);
        }
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add("sqrt", out, x, g -> {
                double[] gx = x.gradBuffer().data;
                for (int i = 0; i < gx.length; i++) {
                    gx[i] += g.data[i] * 0.5 / o[i];
                }
            });
        }
        return out;
    }

    /**
     * Power by a constant exponent x^p. Gradient: dL/dx = dL/dout * p x^(p-1).
     *
     * @param x the input
     * @param exponent the constant p
     * @return x^p
     */
    public static Tensor pow(Tensor x, double exponent) {
        Tensor out = Tensor.zeros(x.rows(), x.cols());
        double[] xv = x.data();
        double[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            o[i] = exponent == 2.0 ? xv[i] * xv[i] : Math.pow(xv[i], exponent);
        }
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add("pow", out, x, g -> {
                double[] gx = x.gradBuffer().data;
                for (int i = 0; i < gx.length; i++) {
                    double slope = exponent == 2.0 ? 2.0 * xv[i] : exponent * Math.pow(xv[i], exponent - 1.0);
                    gx[i] += g.data[i] * slope;
                }
            });
        }
        return out;
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
        Tensor out = Tensor.zeros(x.rows(), x.cols());
        double[] xv = x.data();
        double[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            o[i] = Math.min(max, Math.max(min, xv[i]));
        }
        Tape tape = Tape.recording(x);
        if (tape != null) {
            tape.add("clamp", out, x, g -> {
                double[] gx = x.gradBuffer().data;
                for (int i = 0; i < gx.length; i++) {
                    if (xv[i] >= min && xv[i] <= max) {
                        gx[i] += g.data[i];
                    }
                }
            });
        }
        return out;
    }
}
