/**
 * The engine: tensors, the tape that records ops, the differentiable ops, and the checks that
 * prove their derivatives. Start with {@link dev.unroll.autograd.Tensor} (an EJML matrix, rows
 * the batch, columns the features, float64 or float32 per {@link dev.unroll.autograd.DType}) and
 * {@link dev.unroll.autograd.Tape}: inside {@code try (Tape tape = Tape.record()) { ... }} every
 * op over a tensor that requires a gradient is recorded, and {@code tape.backward(loss)} replays
 * the tape in reverse, which is backpropagation through time when the ops ran over timesteps.
 * {@code tape.summary()} prints what was recorded per marked timestep; {@code tape.graph()} gives
 * it as a {@link dev.unroll.autograd.TapeGraph} whose {@code toDot} draws the unrolled graph with
 * Graphviz (a cluster per layer and timestep, each shared parameter once, shapes on the edges and,
 * after {@code tape.requestGraph()} and backward, every node's gradient norm).
 *
 * <p>The ops are grouped by family, each op's forward and backward side by side:
 * {@link dev.unroll.autograd.ElementwiseOps} (arithmetic with broadcasting, activations, dropout),
 * {@link dev.unroll.autograd.MatrixOps} (products, linear layers), {@link dev.unroll.autograd.ReductionOps},
 * {@link dev.unroll.autograd.SoftmaxOps}, {@link dev.unroll.autograd.ShapeOps} (concatenation,
 * slicing, gathering rows) and {@link dev.unroll.autograd.LossOps} (fused losses); the common ones
 * are also methods of {@code Tensor}. {@link dev.unroll.autograd.GradCheck} compares gradients
 * with finite differences and {@link dev.unroll.autograd.PrecisionCheck} float32 with float64.
 * {@link dev.unroll.autograd.Storage} owns the lifetimes of the arrays a tape uses, and
 * {@link dev.unroll.autograd.Kernels} says which product and activation kernels this JVM runs.
 * New ops use the same public calls as these: see the guide "Write your own op" of the
 * documentation site ({@code dev.unroll.guide.op}).
 */
package dev.unroll.autograd;
