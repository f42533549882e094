/**
 * Recurrent layers over whole sequences of any cell, as PyTorch's {@code nn.RNN}, {@code nn.LSTM}
 * and {@code nn.GRU}: a {@link dev.unroll.rnn.layer.RecurrentLayer} is stacked, optionally
 * bidirectional, with dropout or variational dropout between steps and layers, a zero, given or
 * learned initial state, and per-sequence lengths; {@link dev.unroll.rnn.layer.RecurrentOptions}
 * collects the choices, and {@link dev.unroll.rnn.layer.Rnn}, {@link dev.unroll.rnn.layer.Lstm}
 * and {@link dev.unroll.rnn.layer.Gru} are the layer with the built-in cells. Parameter names
 * follow PyTorch's, so its state_dicts load. A layer projects the inputs of all timesteps with one
 * product before the recurrence, so only the hidden-to-hidden product runs step by step.
 */
package dev.unroll.rnn.layer;
