/**
 * Layers that map a tensor to a tensor: {@link dev.unroll.nn.layers.Linear} (x W^T + b, PyTorch's
 * weight layout), {@link dev.unroll.nn.layers.Embedding} (rows looked up by token id),
 * {@link dev.unroll.nn.layers.LayerNorm}, {@link dev.unroll.nn.layers.Dropout},
 * {@link dev.unroll.nn.layers.Activation} and {@link dev.unroll.nn.layers.Sequential}, which chains
 * them. Each is a {@link dev.unroll.nn.Module} with PyTorch's parameter names and default
 * initialization; the recurrent layers are in {@code dev.unroll.rnn.layer}.
 */
package dev.unroll.nn.layers;
