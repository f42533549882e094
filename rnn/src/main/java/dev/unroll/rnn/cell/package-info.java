/**
 * The shipped recurrent cells, each an ordinary {@link dev.unroll.rnn.RecurrentCell} (the
 * contract a cell of your own follows): {@link dev.unroll.rnn.cell.RnnCell} (tanh or ReLU),
 * {@link dev.unroll.rnn.cell.LstmCell} (gates i, f, g, o; optionally with a projection) and
 * {@link dev.unroll.rnn.cell.GruCell} (r, z, n) with PyTorch's equations, parameter names and
 * initialisation, with or without biases; the peephole LSTM, layer-normalized LSTM, IndRNN and
 * minimal gated unit; {@link dev.unroll.rnn.cell.ZoneoutCell} around any cell. The LSTM and GRU
 * updates are fused ops whose partial derivatives are written out in
 * {@link dev.unroll.rnn.cell.GateOps}; layers over whole sequences are in {@link dev.unroll.rnn.layer}.
 */
package dev.unroll.rnn.cell;
