package dev.unroll.nn.clip;

import dev.unroll.autograd.Tensor;
import dev.unroll.autograd.internal.ParameterUpdates;
import java.util.Collection;
import org.ejml.data.DMatrixRMaj;

/**
 * Gradient clipping, as PyTorch's {@code clip_grad_norm_} and {@code clip_grad_value_}: the
 * usual guard against the exploding gradients of recurrent networks. Tensors without a gradient
 * are skipped.
 */
public final class GradClipping {

    private GradClipping() {
    }

    /**
     * Scales all gradients together so that their global L2 norm is at most {@code maxNorm}:
     * when the norm exceeds it, every gradient is multiplied by maxNorm / (norm + 1e-6). Refuses
     * a non-finite norm (which clipping cannot repair).
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
        int position = 0;
        for (Tensor p : params) {
            DMatrixRMaj g = p.gradMatrix();
            if (g != null) {
                double s = 0;
                for (double v : g.data) {
                    s += v * v;
                }
                if (!Double.isFinite(s) && errorIfNonFinite) {
                    throw new IllegalStateException("clipGradNorm: the gradient of parameter " + position + " ("
                            + p.shape() + ") is not finite (norm " + Math.sqrt(s) + "); lower the learning rate, "
                            + "find the op with Tape.recordChecked(), or pass errorIfNonFinite=false to skip the step");
                }
                sumSquares += s;
            }
            position++;
        }
        double norm = Math.sqrt(sumSquares);
        if (!Double.isFinite(norm) || norm <= maxNorm) {
            return norm;
        }
        double scale = maxNorm / (norm + 1e-6);
        for (Tensor p : params) {
            DMatrixRMaj g = p.gradMatrix();
            if (g != null) {
                for (int i = 0; i < g.data.length; i++) {
                    g.data[i] *= scale;
                }
            }
        }
        return norm;
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
            DMatrixRMaj g = p.gradMatrix();
            if (g != null) {
                ParameterUpdates.clamp(g.data, limit);
            }
        }
    }
}
