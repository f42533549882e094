/** Recurrent cells and layers, initial states, sequence losses, truncated BPTT, sampling, seq2seq and attention. */
package dev.unroll.rnn;
