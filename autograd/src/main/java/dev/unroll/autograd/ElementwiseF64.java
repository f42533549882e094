package dev.unroll.autograd;

import dev.unroll.autograd.internal.Activations;
import java.util.random.RandomGenerator;

/**
 * The float64 forward and backward of {@link ElementwiseOps} (the float32 twin is derived by the
 * build). Shapes and precisions are checked by {@link ElementwiseOps} before these run.
 */
final class ElementwiseF64 {

    private ElementwiseF64() {
    }

    /** The value of a unary op at one element. */
    @FunctionalInterface
    interface ValueF64 {
        double at(double x);
    }

    /** The slope dy/dx of a unary op, given the input x and the output y at one element. */
    @FunctionalInterface
    interface SlopeF64 {
        double at(double x, double y);
    }

    /** An activation kernel over a range of an array (tanh, sigmoid). */
    @FunctionalInterface
    interface KernelF64 {
        void apply(double[] src, int srcFrom, double[] dst, int dstFrom, int length);
    }

    /** y = value(x) elementwise; dL/dx = dL/dy * slope(x, y). */
    static Tensor unary(String op, Tensor x, ValueF64 value, SlopeF64 slope) {
        Tensor out = Tensor.empty(DType.F64, x.rows(), x.cols());
        double[] xv = x.data();
        double[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            o[i] = value.at(xv[i]);
        }
        return withSlope(op, out, x, slope);
    }

    /** Like {@link #unary} with the value computed by an array kernel. */
    static Tensor kernel(String op, Tensor x, KernelF64 value, SlopeF64 slope) {
        Tensor out = Tensor.empty(DType.F64, x.rows(), x.cols());
        double[] o = out.data();
        value.apply(x.data(), 0, o, 0, o.length);
        return withSlope(op, out, x, slope);
    }

    private static Tensor withSlope(String op, Tensor out, Tensor x, SlopeF64 slope) {
        double[] xv = x.data();
        double[] o = out.data();
        return Tape.record(op, out, x, () -> {
            double[] g = out.gradData();
            double[] gx = x.gradData();
            for (int i = 0; i < gx.length; i++) {
                gx[i] += g[i] * slope.at(xv[i], o[i]);
            }
        });
    }

    static Tensor tanh(Tensor x) {
        return kernel("tanh", x, Activations::tanh, (v, y) -> 1 - y * y);
    }

    static Tensor sigmoid(Tensor x) {
        return kernel("sigmoid", x, Activations::sigmoid, (v, y) -> y * (1 - y));
    }

    static Tensor relu(Tensor x) {
        return unary("relu", x, v -> v > 0 ? v : 0, (v, y) -> v > 0 ? 1 : 0);
    }

    static Tensor exp(Tensor x) {
        return unary("exp", x, v -> (double) Math.exp(v), (v, y) -> y);
    }

    static Tensor log(Tensor x) {
        return unary("log", x, v -> (double) Math.log(v), (v, y) -> 1 / v);
    }

    static Tensor sqrt(Tensor x) {
        return unary("sqrt", x, v -> (double) Math.sqrt(v), (v, y) -> (double) 0.5 / y);
    }

    static Tensor pow(Tensor x, double p) {
        return p == 2 ? unary("pow", x, v -> v * v, (v, y) -> 2 * v)
                : unary("pow", x, v -> (double) Math.pow(v, p), (v, y) -> p * (double) Math.pow(v, p - 1));
    }

    static Tensor clamp(Tensor x, double min, double max) {
        return unary("clamp", x, v -> Math.min(max, Math.max(min, v)), (v, y) -> v >= min && v <= max ? 1 : 0);
    }

    static Tensor scaled(String op, Tensor x, double factor) {
        return unary(op, x, v -> factor * v, (v, y) -> factor);
    }

    static Tensor addScalar(Tensor x, double constant) {
        return unary("addScalar", x, v -> v + constant, (v, y) -> 1);
    }

    /** a + sign * b, broadcasting; dL/da = dL/dout, dL/db = sign * dL/dout (summed over broadcast dimensions). */
    static Tensor addScaled(String op, Broadcast bc, Tensor a, Tensor b, double sign) {
        Tensor out = Tensor.empty(DType.F64, bc.rows, bc.cols);
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
        return Tape.record(op, out, a, b, () -> {
            double[] g = out.gradData();
            if (a.requiresGrad()) {
                accumulate(g, 1, a.gradData(), bc, true);
            }
            if (b.requiresGrad()) {
                accumulate(g, sign, b.gradData(), bc, false);
            }
        });
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

    /** a * b, broadcasting; dL/da = dL/dout * b, dL/db = dL/dout * a. */
    static Tensor multiply(String op, Broadcast bc, Tensor a, Tensor b) {
        Tensor out = Tensor.empty(DType.F64, bc.rows, bc.cols);
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
        return Tape.record(op, out, a, b, () -> {
            double[] g = out.gradData();
            if (a.requiresGrad()) {
                productInto(g, bv, a.gradData(), bc, true);
            }
            if (b.requiresGrad()) {
                productInto(g, av, b.gradData(), bc, false);
            }
        });
    }

    /** target[operand index] += g * other[other index], over the broadcast grid. */
    private static void productInto(double[] g, double[] other, double[] target, Broadcast bc, boolean first) {
        if (bc.sameShape) {
            for (int i = 0; i < g.length; i++) {
                target[i] += g[i] * other[i];
            }
            return;
        }
        for (int r = 0, k = 0; r < bc.rows; r++) {
            for (int c = 0; c < bc.cols; c++, k++) {
                target[first ? bc.a(r, c) : bc.b(r, c)] += g[k] * other[first ? bc.b(r, c) : bc.a(r, c)];
            }
        }
    }

    /** a / b, broadcasting; dL/da = dL/dout / b, dL/db = -dL/dout * out / b. */
    static Tensor div(Broadcast bc, Tensor a, Tensor b) {
        Tensor out = Tensor.empty(DType.F64, bc.rows, bc.cols);
        double[] av = a.data();
        double[] bv = b.data();
        double[] o = out.data();
        for (int r = 0, k = 0; r < bc.rows; r++) {
            for (int c = 0; c < bc.cols; c++, k++) {
                o[k] = av[bc.a(r, c)] / bv[bc.b(r, c)];
            }
        }
        return Tape.record("div", out, a, b, () -> {
            double[] g = out.gradData();
            double[] ga = a.requiresGrad() ? a.gradData() : null;
            double[] gb = b.requiresGrad() ? b.gradData() : null;
            for (int r = 0, k = 0; r < bc.rows; r++) {
                for (int c = 0; c < bc.cols; c++, k++) {
                    double divisor = bv[bc.b(r, c)];
                    if (ga != null) {
                        ga[bc.a(r, c)] += g[k] / divisor;
                    }
                    if (gb != null) {
                        gb[bc.b(r, c)] -= g[k] * o[k] / divisor;
                    }
                }
            }
        });
    }

    /** An inverted-dropout mask of x's shape: 0 with probability p, else 1 / (1 - p), as a constant tensor. */
    static Tensor dropoutMask(Tensor x, double p, RandomGenerator rng) {
        double[] mask = Storage.scratch(x.rows() * x.cols());
        double keep = 1 / (1 - p);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextDouble() < p ? 0 : (double) keep;
        }
        return Tensor.wrap(org.ejml.data.DMatrixRMaj.wrap(x.rows(), x.cols(), mask));
    }
}
