/** Recurrent cells (RNN, LSTM, GRU) with PyTorch's equations, parameter names and initialisation. */
package dev.unroll.rnn.cell;
