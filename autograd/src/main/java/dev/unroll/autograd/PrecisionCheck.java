package dev.unroll.autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Runs a function of tensors once in float64 and once in float32 and compares what comes out:
 * the output and the gradient of every input. Gradient checks ({@link GradCheck}) prove an op's
 * float64 derivative; this proves its float32 twin computes the same thing within float32's
 * rounding. Each difference is taken relative to the largest magnitude of the float64 tensor it
 * belongs to, as one compares against a reference implementation.
 */
public final class PrecisionCheck {

    private PrecisionCheck() {
    }

    /**
     * Compares float32 against float64.
     *
     * @param f the function; it receives float64 leaves in one run and float32 leaves in the other
     * @param inputs float64 leaves (they are not changed; copies are differentiated)
     * @return the largest relative difference and where it is
     */
    public static Result compare(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        if (Tape.isRecording()) {
            throw new IllegalStateException("PrecisionCheck: a tape is open on this thread; run the check outside any tape");
        }
        List<Tensor> wide = new ArrayList<>();
        List<Tensor> narrow = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].isF32()) {
                throw new IllegalArgumentException("PrecisionCheck: input " + i + " is float32; pass float64 inputs");
            }
            wide.add(inputs[i].copy().requiresGrad(true));
            narrow.add(inputs[i].copy().to(DType.F32).requiresGrad(true));
        }
        double[][] out64 = run(f, wide);
        double[][] out32 = run(f, narrow);
        Result worst = new Result(0, "output");
        worst = worst.max(out64[0], out32[0], "output");
        for (int i = 0; i < inputs.length; i++) {
            worst = worst.max(gradient(wide.get(i)), gradient(narrow.get(i)), "gradient of input " + i);
        }
        return worst;
    }

    /** The output's values, then backward from sum(output * weights) with fixed weights. */
    private static double[][] run(Function<List<Tensor>, Tensor> f, List<Tensor> leaves) {
        try (Tape tape = Tape.record()) {
            Tensor out = f.apply(leaves);
            double[] values = flat(out);
            Tensor weights = Tensor.uniform(out.rows(), out.cols(), 0.5, 1.5, 17).to(out.dtype());
            tape.backward(out, weights);
            return new double[][] {values};
        }
    }

    private static double[] gradient(Tensor leaf) {
        return leaf.hasGrad() ? flat(leaf.grad()) : new double[leaf.size()];
    }

    private static double[] flat(Tensor t) {
        double[][] rows = t.toArray();
        double[] out = new double[t.size()];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * t.cols(), t.cols());
        }
        return out;
    }

    /**
     * The largest difference found.
     *
     * @param maxRelativeError max |float32 - float64| / max(|float64|) over one tensor, the worst tensor
     * @param where which tensor: the output or the gradient of input i
     */
    public record Result(double maxRelativeError, String where) {

        Result max(double[] reference, double[] candidate, String what) {
            double scale = 0;
            for (double v : reference) {
                scale = Math.max(scale, Math.abs(v));
            }
            double worst = 0;
            for (int k = 0; k < reference.length; k++) {
                worst = Math.max(worst, Math.abs(candidate[k] - reference[k]));
            }
            double relative = scale == 0 ? worst : worst / scale;
            return relative > maxRelativeError || Double.isNaN(relative) ? new Result(relative, what) : this;
        }

        /**
         * @param tolerance the largest relative difference allowed (float32 rounding is about 6e-8)
         * @throws AssertionError saying where the difference is when it is larger
         */
        public void assertBelow(double tolerance) {
            if (!(maxRelativeError <= tolerance)) {
                throw new AssertionError("float32 differs from float64: " + this + " (tolerance " + tolerance + ")");
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "max relative difference %.3e in the %s", maxRelativeError, where);
        }
    }
}
