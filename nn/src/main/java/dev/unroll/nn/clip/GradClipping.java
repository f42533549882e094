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

    private GradClipping() {
    }

    /**
     * Below this sum of squares, squaring may have lost small elements to underflow, so the norm
     * is recomputed with scaling.
     */
    private static final double UNDERFLOW_RISK = 0x1p-900;

    /**
     * Scales all gradients together so that their global L2 norm is at most {@code maxNorm}:
     * when the norm exceeds it, every gradient is multiplied by maxNorm / (norm + 1e-6). Refuses
     * a non-finite norm (which clipping cannot repair). The norm is computed without overflow or
     * underflow: finite gradients too large to square (above about 1e154) are clipped, not
     * mistaken for infinite ones.
     *
     * @param params the tensors whose gradients to clip, e.g. {@code module.parameters()}
     * @param maxNorm the largest allowed norm, positive
     * @return the global norm before clipping
     * @throws IllegalStateException if a gradient holds NaN or infinity, naming the first such tensor's position
     */
    public static double clipGradNorm(Collection<? extends Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, true);
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
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clipGradNorm: max norm " + maxNorm + " must be positive");
        }
        double sumSquares = 0;
        boolean nonFinite = false;
        int position = 0;
        for (Tensor p : params) {
            if (p.hasGrad()) {
                double s = p.isF32() ? GradientsF32.sumOfSquares(p.gradMatrixF32().data)
                        : GradientsF64.sumOfSquares(p.gradMatrix().data);
                if (!Double.isFinite(s) && !allFinite(p)) {
                    if (errorIfNonFinite) {
                        throw new IllegalStateException("clipGradNorm: the gradient of parameter " + position + " ("
                                + p.shape() + ") is not finite (it holds " + (Double.isNaN(s) ? "NaN" : "infinity")
                                + "); lower the learning rate, find the op with Tape.recordChecked(), "
                                + "or pass errorIfNonFinite=false to skip the step");
                    }
                    nonFinite = true;
                }
                sumSquares += s;
            }
            position++;
        }
        if (nonFinite) {
            return Math.sqrt(sumSquares);
        }
        double norm = Double.isFinite(sumSquares) && sumSquares >= UNDERFLOW_RISK
                ? Math.sqrt(sumSquares) : scaledNorm(params);
        if (!Double.isFinite(norm)) {
            if (errorIfNonFinite) {
                throw new IllegalStateException("clipGradNorm: the global gradient norm exceeds the largest double "
                        + "although every element is finite; lower the learning rate or pass errorIfNonFinite=false "
                        + "to skip the step");
            }
            return norm;
        }
        if (norm <= maxNorm) {
            return norm;
        }
        double scale = maxNorm / (norm + 1e-6);
        for (Tensor p : params) {
            if (p.gradMatrix() != null) {
                GradientsF64.scale(p.gradMatrix().data, scale);
            } else if (p.gradMatrixF32() != null) {
                GradientsF32.scale(p.gradMatrixF32().data, scale);
            }
        }
        return norm;
    }

    private static boolean allFinite(Tensor p) {
        return p.isF32() ? GradientsF32.allFinite(p.gradMatrixF32().data) : GradientsF64.allFinite(p.gradMatrix().data);
    }

    /**
     * The global L2 norm of finite gradients, scaled by the largest magnitude m so that nothing
     * overflows or underflows: m sqrt(sum (g / m)^2), as LAPACK's dnrm2 guards its sum.
     */
    private static double scaledNorm(Collection<? extends Tensor> params) {
        double largest = 0;
        for (Tensor p : params) {
            if (p.hasGrad()) {
                largest = Math.max(largest, p.isF32() ? GradientsF32.maxAbs(p.gradMatrixF32().data)
                        : GradientsF64.maxAbs(p.gradMatrix().data));
            }
        }
        if (largest == 0) {
            return 0;
        }
        double sum = 0;
        for (Tensor p : params) {
            if (p.hasGrad()) {
                sum += p.isF32() ? GradientsF32.sumOfScaledSquares(p.gradMatrixF32().data, largest)
                        : GradientsF64.sumOfScaledSquares(p.gradMatrix().data, largest);
            }
        }
        return largest * Math.sqrt(sum);
    }

    /**
     * Clamps every gradient element into [-limit, limit] (min-char-rnn clips to [-5, 5]).
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
