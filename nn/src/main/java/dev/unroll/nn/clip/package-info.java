/**
 * Gradient clipping, applied between backward and the optimizer's step:
 * {@link dev.unroll.nn.clip.GradClipping#clipGradNorm(java.util.Collection, double)} scales all
 * gradients together so that their global norm is at most a bound (as PyTorch's
 * {@code clip_grad_norm_}, refusing a non-finite norm unless told otherwise), and
 * {@link dev.unroll.nn.clip.GradClipping#clipGradValue(java.util.Collection, double)} clamps each
 * element, as min-char-rnn does.
 */
package dev.unroll.nn.clip;
