package dev.unroll.autograd.internal;

/**
 * The one seam for the elementwise passes over every parameter that run once per training
 * iteration (clipping gradients by value, Adagrad's update). On a small model such as
 * min-char-rnn's they cost as much as a fifth of the iteration in scalar Java, so they use the
 * Vector API when the JVM has {@code --add-modules jdk.incubator.vector} (plain loops otherwise,
 * or with {@code -Dunroll.activations=scalar}). Internal: not part of the public API.
 */
public final class ParameterUpdates {

    private static final boolean VECTOR = VectorSupport.present()
            && !System.getProperty("unroll.activations", "auto").equalsIgnoreCase("scalar");

    private ParameterUpdates() {
    }

    /**
     * Clamps every value into [-limit, limit]; NaN stays NaN.
     *
     * @param values the values, changed in place
     * @param limit the bound, positive
     */
    public static void clamp(double[] values, double limit) {
        if (VECTOR) {
            VectorParameterUpdates.clamp(values, limit);
        } else {
            clampScalar(values, 0, limit);
        }
    }

    /**
     * Clamps every float value into [-limit, limit]; NaN stays NaN (float32 gradients).
     *
     * @param values the values, changed in place
     * @param limit the bound, positive
     */
    public static void clamp(float[] values, double limit) {
        float bound = (float) limit;
        if (VECTOR) {
            VectorParameterUpdates.clamp(values, bound);
        } else {
            clampScalar(values, 0, bound);
        }
    }

    static void clampScalar(float[] values, int from, float bound) {
        for (int i = from; i < values.length; i++) {
            float v = values[i];
            values[i] = v > bound ? bound : v < -bound ? -bound : v;
        }
    }

    static void clampScalar(double[] values, int from, double limit) {
        for (int i = from; i < values.length; i++) {
            double v = values[i];
            values[i] = v > limit ? limit : v < -limit ? -limit : v;
        }
    }

    /**
     * Adagrad's step: {@code s += g^2; w -= lr g / sqrt(s + eps)} with eps inside the square
     * root (min-char-rnn), or {@code w -= lr g / (sqrt(s) + eps)} (PyTorch).
     *
     * @param w the parameter values, updated in place
     * @param g the gradient
     * @param s the running sum of squared gradients, updated in place
     * @param lr the learning rate
     * @param eps the small constant that keeps the division finite
     * @param epsInsideSqrt where eps is added
     */
    public static void adagrad(double[] w, double[] g, double[] s, double lr, double eps, boolean epsInsideSqrt) {
        if (VECTOR) {
            VectorParameterUpdates.adagrad(w, g, s, lr, eps, epsInsideSqrt);
        } else {
            adagradScalar(w, g, s, 0, lr, eps, epsInsideSqrt);
        }
    }

    static void adagradScalar(double[] w, double[] g, double[] s, int from, double lr, double eps,
            boolean epsInsideSqrt) {
        for (int k = from; k < w.length; k++) {
            s[k] += g[k] * g[k];
            double denominator = epsInsideSqrt ? Math.sqrt(s[k] + eps) : Math.sqrt(s[k]) + eps;
            w[k] -= lr * g[k] / denominator;
        }
    }
}
