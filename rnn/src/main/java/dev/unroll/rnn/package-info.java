/**
 * Recurrent networks: the cell contract ({@link dev.unroll.rnn.RecurrentCell}, its
 * {@link dev.unroll.rnn.State} of named parts, {@link dev.unroll.rnn.CellFactory}) and, in the
 * subpackages, cells, layers, sequence losses, truncated BPTT, sampling, seq2seq and attention.
 */
package dev.unroll.rnn;
