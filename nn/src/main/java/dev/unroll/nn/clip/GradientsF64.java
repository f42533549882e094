package dev.unroll.nn.clip;

/**
 * The passes {@link GradClipping} makes over one float64 gradient array (the float32 twin is
 * derived by the build); sums accumulate in double in both.
 */
final class GradientsF64 {

    private GradientsF64() {
    }

    static double/*wide*/ sumOfSquares(double[] g) {
        double/*wide*/ s = 0;
        for (double v : g) {
            s += (double/*wide*/) v * v;
        }
        return s;
    }

    static boolean allFinite(double[] g) {
        for (double v : g) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    static double/*wide*/ maxAbs(double[] g) {
        double/*wide*/ largest = 0;
        for (double v : g) {
            largest = Math.max(largest, Math.abs(v));
        }
        return largest;
    }

    /**
     * sum of (|g| / divisor)^p, for a norm that must neither overflow nor underflow; squares
     * are multiplied, other powers taken with StrictMath so every run gives the same bits.
     */
    static double/*wide*/ sumOfScaledPowers(double[] g, double/*wide*/ divisor, double/*wide*/ p) {
        double/*wide*/ s = 0;
        for (double v : g) {
            double/*wide*/ r = Math.abs(v) / divisor;
            s += p == 2 ? r * r : p == 1 ? r : StrictMath.pow(r, p);
        }
        return s;
    }

    static void scale(double[] g, double/*wide*/ factor) {
        for (int i = 0; i < g.length; i++) {
            g[i] = (double) (g[i] * factor);
        }
    }
}
