package dev.unroll.autograd;

import java.util.List;
import java.util.function.Function;

/** Test helpers: random inputs and the gradient-check assertion every op test uses. */
final class Gradients {

    static final double TOLERANCE = 1e-6;

    private Gradients() {
    }

    static Tensor random(int rows, int cols, long seed) {
        return Tensor.uniform(rows, cols, -1, 1, seed);
    }

    static Tensor positive(int rows, int cols, long seed) {
        return Tensor.uniform(rows, cols, 0.5, 2.0, seed);
    }

    static void assertGradients(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        GradCheck.check(f, inputs).assertBelow(TOLERANCE);
    }

    /** A fixed weighting so that sum(w * out) tests every output element with a different weight. */
    static Tensor weighted(Tensor out) {
        return out.mul(Tensor.uniform(out.rows(), out.cols(), 0.5, 1.5, 99)).sum();
    }
}
