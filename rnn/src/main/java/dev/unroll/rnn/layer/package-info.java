/**
 * Recurrent layers over whole sequences, as PyTorch's {@code nn.RNN}, {@code nn.LSTM} and
 * {@code nn.GRU}: {@link dev.unroll.rnn.layer.Rnn}, {@link dev.unroll.rnn.layer.Lstm} and
 * {@link dev.unroll.rnn.layer.Gru} are {@link dev.unroll.rnn.layer.RecurrentLayer}s, stacked,
 * optionally bidirectional, with dropout between layers, a zero, given or learned initial state,
 * and per-sequence lengths; {@link dev.unroll.rnn.layer.RecurrentOptions} collects the choices.
 * Parameter names follow PyTorch's, so its state_dicts load. A layer projects the inputs of all
 * timesteps with one product before the recurrence, so only the hidden-to-hidden product runs
 * step by step.
 */
package dev.unroll.rnn.layer;
