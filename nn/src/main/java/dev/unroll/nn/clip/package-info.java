/**
 * Gradient clipping, applied between backward and the optimizer's step:
 * {@link dev.unroll.nn.clip.GradClipping#clipGradNorm(java.util.Collection, double, double, boolean)}
 * scales all gradients together so that their global p-norm (any p, or
 * {@link dev.unroll.nn.clip.GradClipping#INFINITY_NORM}) is at most a bound, with PyTorch's
 * {@code clip_grad_norm_} coefficient max_norm / (norm + 1e-6), returning the total norm and
 * refusing a non-finite one unless told otherwise; and
 * {@link dev.unroll.nn.clip.GradClipping#clipGradValue(java.util.Collection, double)} clamps each
 * element, as {@code clip_grad_value_} and min-char-rnn do.
 */
package dev.unroll.nn.clip;
