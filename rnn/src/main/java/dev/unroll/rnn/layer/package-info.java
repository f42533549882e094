/** Recurrent layers over whole sequences: stacked, bidirectional, learned initial state, variable lengths. */
package dev.unroll.rnn.layer;
