/**
 * Modules and parameters, what layers, optimizers and checkpoints are built on. A
 * {@link dev.unroll.nn.Module} registers its {@link dev.unroll.nn.Parameter}s and submodules under
 * names that join into dotted paths ({@code encoder.lstm.weight_ih_l0}, PyTorch's state_dict
 * names), lists them for optimizers ({@link dev.unroll.nn.Module#parameters()}), zeroes their
 * gradients, switches between training and evaluation, and converts its precision. A
 * {@link dev.unroll.nn.Layer} maps one tensor to one tensor, so layers compose.
 *
 * <p>Start from a layer of {@link dev.unroll.nn.layers}, an optimizer of {@link dev.unroll.nn.optim}
 * and a loss of {@link dev.unroll.nn.loss}; save and load with {@link dev.unroll.nn.checkpoint.Checkpoint}.
 */
package dev.unroll.nn;
