/**
 * The shipped recurrent cells: RNN, LSTM (with projection) and GRU with PyTorch's equations,
 * parameter names and initialisation, with or without biases; the peephole LSTM, layer-normalized
 * LSTM, IndRNN and minimal gated unit; zoneout around any cell. Each is an ordinary
 * {@link dev.unroll.rnn.RecurrentCell}.
 */
package dev.unroll.rnn.cell;
