/**
 * The engine: {@link dev.unroll.autograd.Tensor}, the recording {@link dev.unroll.autograd.Tape},
 * the differentiable ops grouped by family ({@link dev.unroll.autograd.ElementwiseOps},
 * {@link dev.unroll.autograd.MatrixOps}, {@link dev.unroll.autograd.ReductionOps},
 * {@link dev.unroll.autograd.ShapeOps}, {@link dev.unroll.autograd.SoftmaxOps},
 * {@link dev.unroll.autograd.LossOps}) and {@link dev.unroll.autograd.GradCheck}.
 */
package dev.unroll.autograd;
