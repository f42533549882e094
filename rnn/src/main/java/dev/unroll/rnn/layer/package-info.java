/**
 * Recurrent layers over whole sequences of any cell: stacked, bidirectional, variable lengths,
 * learned initial state, dropout and variational dropout; the built-in RNN, LSTM and GRU layers.
 */
package dev.unroll.rnn.layer;
