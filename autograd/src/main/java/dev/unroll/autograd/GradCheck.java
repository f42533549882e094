package dev.unroll.autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Compares the gradients the tape computes with central finite differences.
 *
 * <pre>{@code
 * GradCheck.Result r = GradCheck.check(in -> in.get(0).matmul(in.get(1)).tanh().sum(), x, w);
 * r.assertBelow(1e-6);
 * }</pre>
 *
 * <p>The function must be deterministic (seed any dropout inside it) and return a 1x1 tensor.
 * For every element v of every input, the numerical derivative is n = (f(v + h) - f(v - h)) / 2h,
 * evaluated without a tape. A central difference cannot resolve a derivative finer than the
 * rounding error of its two evaluations divided by 2h, so each element gets the absolute
 * allowance
 * <pre>
 * delta = 4 eps max(1, |f(v + h)|, |f(v - h)|) / h        (eps = 2^-52, the double precision)
 * </pre>
 * (at h = 1e-6 and |f| &lt;= 1, about 9e-10; a few units of rounding per evaluation), and its error is
 * <pre>
 * error = max(0, |a - n| - delta) / max(|a|, |n|, delta)   (a = the tape's gradient)
 * </pre>
 * that is, the relative error of the part of the difference that rounding cannot explain. An
 * element passes a tolerance t when |a - n| &lt;= delta + t max(|a|, |n|): a wrong gradient is
 * caught however small it is, down to the resolution delta of the finite difference, and the
 * allowance does not grow with the tolerance.
 */
public final class GradCheck {

    /** The default finite-difference step h. */
    public static final double DEFAULT_STEP = 1e-6;

    /** Units of rounding (of max(1, |f|)) allowed per evaluation of f; see the class comment. */
    private static final double ROUNDING_UNITS = 4;

    private GradCheck() {
    }

    /**
     * Checks {@code f}'s gradients with respect to every input, with the default step.
     *
     * @param f a function of the inputs (in the given order) returning a 1x1 tensor
     * @param inputs leaf tensors; they are made to require gradients for the check, and their
     *     values and previous gradient settings are restored afterwards
     * @return the largest error and where it occurred
     */
    public static Result check(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return check(f, List.of(inputs), DEFAULT_STEP);
    }

    /**
     * Checks {@code f}'s gradients with respect to every input.
     *
     * @param f a function of the inputs returning a 1x1 tensor
     * @param leaves leaf tensors (e.g. a module's parameters), passed to f in this order
     * @param step the finite-difference step h
     * @return the largest error and where it occurred
     */
    public static Result check(Function<List<Tensor>, Tensor> f, List<? extends Tensor> leaves, double step) {
        if (!(step > 0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("GradCheck: step " + step + " must be a positive finite number (e.g. "
                    + DEFAULT_STEP + ")");
        }
        List<Tensor> inputs = List.copyOf(leaves);
        if (Tape.isRecording()) {
            throw new IllegalStateException("GradCheck: a tape is open on this thread; run the check outside any tape");
        }
        boolean[] previouslyRequired = new boolean[inputs.size()];
        List<double[]> analytic = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor in = inputs.get(i);
            if (!in.isLeaf()) {
                throw new IllegalArgumentException("GradCheck: input " + i + " (" + in.shape()
                        + ") is the output of a recorded op; pass leaf tensors (detach() it)");
            }
            previouslyRequired[i] = in.requiresGrad();
            in.requiresGrad(true);
            in.clearGrad();
        }
        try {
            try (Tape tape = Tape.record()) {
                Tensor out = f.apply(inputs);
                tape.backward(out);
            }
            for (Tensor in : inputs) {
                analytic.add(in.gradMatrix() == null ? new double[in.size()] : in.gradMatrix().data.clone());
            }
            return compare(f, inputs, analytic, step);
        } finally {
            for (int i = 0; i < inputs.size(); i++) {
                inputs.get(i).clearGrad();
                inputs.get(i).requiresGrad(previouslyRequired[i]);
            }
        }
    }

    private static Result compare(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, List<double[]> analytic,
            double step) {
        Result worst = new Result(0, -1, -1, -1, 0, 0);
        for (int i = 0; i < inputs.size(); i++) {
            Tensor in = inputs.get(i);
            double[] v = in.data();
            for (int k = 0; k < v.length; k++) {
                double saved = v[k];
                v[k] = saved + step;
                double plus = f.apply(inputs).item();
                v[k] = saved - step;
                double minus = f.apply(inputs).item();
                v[k] = saved;
                double numeric = (plus - minus) / (2 * step);
                double a = analytic.get(i)[k];
                double error = error(a, numeric, plus, minus, step);
                boolean worse = Double.isNaN(error) ? !Double.isNaN(worst.maxError) : error > worst.maxError;
                if (worse || worst.input < 0) {
                    worst = new Result(error, i, k / in.cols(), k % in.cols(), a, numeric);
                }
            }
        }
        return worst;
    }

    /**
     * The error of one element, as the class comment defines it.
     *
     * @param a the tape's gradient
     * @param numeric the central difference
     * @param plus f(v + h)
     * @param minus f(v - h)
     * @param step h
     * @return the relative error beyond the finite difference's rounding (NaN if a value is NaN)
     */
    static double error(double a, double numeric, double plus, double minus, double step) {
        double scale = Math.max(1.0, Math.max(Math.abs(plus), Math.abs(minus)));
        double delta = ROUNDING_UNITS * Math.ulp(1.0) * scale / step;
        double difference = Math.abs(a - numeric);
        if (Double.isNaN(difference)) {
            return Double.NaN;
        }
        return Math.max(0.0, difference - delta) / Math.max(delta, Math.max(Math.abs(a), Math.abs(numeric)));
    }

    /**
     * The outcome of a check: the largest error and the element where it occurred.
     *
     * @param maxError the largest error over all elements (NaN if any gradient is NaN)
     * @param input index of the input holding the worst element
     * @param row its row
     * @param col its column
     * @param analytic the tape's gradient there
     * @param numeric the finite-difference gradient there
     */
    public record Result(double maxError, int input, int row, int col, double analytic, double numeric) {

        /**
         * @param tolerance the largest acceptable error
         * @return whether every element's error is at most {@code tolerance}
         */
        public boolean passes(double tolerance) {
            return maxError <= tolerance;
        }

        /**
         * Throws an {@link AssertionError} describing the worst element when the check fails.
         *
         * @param tolerance the largest acceptable error
         */
        public void assertBelow(double tolerance) {
            if (!passes(tolerance)) {
                throw new AssertionError("gradient check failed: " + this + " (tolerance " + tolerance + ")");
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "max error %.3e at input %d (%d, %d): tape %.9g, finite difference %.9g",
                    maxError, input, row, col, analytic, numeric);
        }
    }
}
