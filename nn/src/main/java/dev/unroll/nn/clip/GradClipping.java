package dev.unroll.nn.clip;

import dev.unroll.autograd.Tensor;
import dev.unroll.autograd.internal.ParameterUpdates;
import java.util.Collection;

/**
 * Gradient clipping, as PyTorch's {@code clip_grad_norm_} and {@code clip_grad_value_}: the
 * usual guard against the exploding gradients of recurrent networks. Tensors without a gradient
 * are skipped.
 */
public final class GradClipping {

    /** PyTorch's {@code norm_type=inf}: the largest magnitude of any element. */
    public static final double INFINITY_NORM = Double.POSITIVE_INFINITY;

    /** What PyTorch adds to the norm before dividing, so that a zero norm cannot divide by zero. */
    private static final double EPSILON = 1e-6;

    /**
     * Below this sum of squares, squaring may have lost small elements to underflow, so the norm
     * is recomputed with scaling.
     */
    private static final double UNDERFLOW_RISK = 0x1p-900;

    private GradClipping() {
    }

    /**
     * Scales all gradients together so that their global L2 norm is at most {@code maxNorm};
     * see {@link #clipGradNorm(Collection, double, double, boolean)}. Refuses a non-finite norm.
     *
     * @param params the tensors whose gradients to clip, e.g. {@code module.parameters()}
     * @param maxNorm the largest allowed norm, positive
     * @return the global norm before clipping
     * @throws IllegalStateException if a gradient holds NaN or infinity, naming the first such tensor's position
     */
    public static double clipGradNorm(Collection<? extends Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2, true);
    }

    /**
     * Like {@link #clipGradNorm(Collection, double)}, optionally tolerating a non-finite norm.
     *
     * @param params the tensors whose gradients to clip
     * @param maxNorm the largest allowed norm, positive
     * @param errorIfNonFinite true to throw on a non-finite norm; false to leave the gradients
     *     untouched and return the non-finite norm (so the caller can skip the step)
     * @return the global norm before clipping
     */
    public static double clipGradNorm(Collection<? extends Tensor> params, double maxNorm, boolean errorIfNonFinite) {
        return clipGradNorm(params, maxNorm, 2, errorIfNonFinite);
    }

    /**
     * Scales all gradients together so that their global p-norm is at most {@code maxNorm}, as
     * PyTorch's {@code clip_grad_norm_(params, max_norm, norm_type, error_if_nonfinite)}. The
     * global norm is the p-norm of all elements of all gradients, (sum |g|^p)^(1/p), or their
     * largest magnitude for {@link #INFINITY_NORM}. PyTorch's exact rule is followed: every
     * gradient is multiplied by clip_coef = maxNorm / (norm + 1e-6) whenever clip_coef is below 1,
     * so a norm just below {@code maxNorm} (within 1e-6) is scaled slightly too, and a clipped
     * norm ends just below {@code maxNorm}.
     *
     * <p>The norm is computed without overflow or underflow: finite gradients too large to square
     * (above about 1e154) are clipped, not mistaken for infinite ones. One deliberate difference:
     * with {@code errorIfNonFinite=false}, a non-finite norm leaves the gradients untouched
     * (PyTorch multiplies them by NaN), so the caller can skip the step and go on.
     *
     * @param params the tensors whose gradients to clip
     * @param maxNorm the largest allowed norm, positive
     * @param normType p, positive, or {@link #INFINITY_NORM}
     * @param errorIfNonFinite true to throw on a non-finite norm; false to leave the gradients
     *     untouched and return the non-finite norm
     * @return the global norm before clipping (PyTorch's {@code total_norm})
     * @throws IllegalStateException if the norm is not finite and {@code errorIfNonFinite}, naming
     *     the first gradient that holds NaN or infinity
     */
    public static double clipGradNorm(Collection<? extends Tensor> params, double maxNorm, double normType,
            boolean errorIfNonFinite) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clipGradNorm: max norm " + maxNorm + " must be positive");
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException("clipGradNorm: norm type " + normType + " must be positive (2 for "
                    + "the Euclidean norm, 1, or GradClipping.INFINITY_NORM for the largest magnitude)");
        }
        double norm = normType == 2 ? euclideanNorm(params, errorIfNonFinite) : pNorm(params, normType, errorIfNonFinite);
        if (!Double.isFinite(norm)) {
            if (errorIfNonFinite) {
                throw new IllegalStateException("clipGradNorm: the global gradient norm exceeds the largest double "
                        + "although every element is finite; lower the learning rate or pass errorIfNonFinite=false "
                        + "to skip the step");
            }
            return norm;
        }
        double clipCoefficient = maxNorm / (norm + EPSILON);
        if (clipCoefficient < 1) {
            for (Tensor p : params) {
                if (p.gradMatrix() != null) {
                    GradientsF64.scale(p.gradMatrix().data, clipCoefficient);
                } else if (p.gradMatrixF32() != null) {
                    GradientsF32.scale(p.gradMatrixF32().data, clipCoefficient);
                }
            }
        }
        return norm;
    }

    /** The L2 norm from one pass of squares, rescaled when it may have overflowed or underflowed. */
    private static double euclideanNorm(Collection<? extends Tensor> params, boolean errorIfNonFinite) {
        double sumSquares = 0;
        boolean nonFinite = false;
        int position = 0;
        for (Tensor p : params) {
            if (p.hasGrad()) {
                double s = p.isF32() ? GradientsF32.sumOfSquares(p.gradMatrixF32().data)
                        : GradientsF64.sumOfSquares(p.gradMatrix().data);
                if (!Double.isFinite(s) && !allFinite(p)) {
                    refuseIfAsked(errorIfNonFinite, position, p, s);
                    nonFinite = true;
                }
                sumSquares += s;
            }
            position++;
        }
        if (nonFinite) {
            return Math.sqrt(sumSquares);
        }
        return Double.isFinite(sumSquares) && sumSquares >= UNDERFLOW_RISK
                ? Math.sqrt(sumSquares) : scaled(params, largestMagnitude(params), 2);
    }

    /** Any other p-norm, computed scaled by the largest magnitude so nothing overflows or underflows. */
    private static double pNorm(Collection<? extends Tensor> params, double normType, boolean errorIfNonFinite) {
        int position = 0;
        for (Tensor p : params) {
            if (p.hasGrad()) {
                double m = maxAbs(p);
                if (!Double.isFinite(m)) {
                    refuseIfAsked(errorIfNonFinite, position, p, m);
                    return m;
                }
            }
            position++;
        }
        double largest = largestMagnitude(params);
        return normType == INFINITY_NORM ? largest : scaled(params, largest, normType);
    }

    private static void refuseIfAsked(boolean errorIfNonFinite, int position, Tensor p, double witness) {
        if (errorIfNonFinite) {
            throw new IllegalStateException("clipGradNorm: the gradient of parameter " + position + " ("
                    + p.shape() + ") is not finite (it holds " + (Double.isNaN(witness) ? "NaN" : "infinity")
                    + "); lower the learning rate, find the op with Tape.recordChecked(), "
                    + "or pass errorIfNonFinite=false to skip the step");
        }
    }

    private static boolean allFinite(Tensor p) {
        return p.isF32() ? GradientsF32.allFinite(p.gradMatrixF32().data) : GradientsF64.allFinite(p.gradMatrix().data);
    }

    private static double maxAbs(Tensor p) {
        return p.isF32() ? GradientsF32.maxAbs(p.gradMatrixF32().data) : GradientsF64.maxAbs(p.gradMatrix().data);
    }

    private static double largestMagnitude(Collection<? extends Tensor> params) {
        double largest = 0;
        for (Tensor p : params) {
            if (p.hasGrad()) {
                largest = Math.max(largest, maxAbs(p));
            }
        }
        return largest;
    }

    /**
     * The global p-norm of finite gradients, scaled by their largest magnitude m so that nothing
     * overflows or underflows: m (sum (|g| / m)^p)^(1/p), as LAPACK's dnrm2 guards its sum.
     */
    private static double scaled(Collection<? extends Tensor> params, double largest, double normType) {
        if (largest == 0) {
            return 0;
        }
        double sum = 0;
        for (Tensor p : params) {
            if (p.hasGrad()) {
                sum += p.isF32() ? GradientsF32.sumOfScaledPowers(p.gradMatrixF32().data, largest, normType)
                        : GradientsF64.sumOfScaledPowers(p.gradMatrix().data, largest, normType);
            }
        }
        return largest * (normType == 2 ? Math.sqrt(sum) : StrictMath.pow(sum, 1 / normType));
    }

    /**
     * Clamps every gradient element into [-limit, limit], as PyTorch's {@code clip_grad_value_}
     * (min-char-rnn clips to [-5, 5]).
     *
     * @param params the tensors whose gradients to clip
     * @param limit the bound, positive
     */
    public static void clipGradValue(Collection<? extends Tensor> params, double limit) {
        if (!(limit > 0)) {
            throw new IllegalArgumentException("clipGradValue: limit " + limit + " must be positive");
        }
        for (Tensor p : params) {
            if (p.gradMatrix() != null) {
                ParameterUpdates.clamp(p.gradMatrix().data, limit);
            } else if (p.gradMatrixF32() != null) {
                ParameterUpdates.clamp(p.gradMatrixF32().data, limit);
            }
        }
    }
}
