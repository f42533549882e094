/** Conditioning a sequence model on a vector: at every step or through the initial state. */
package dev.unroll.rnn.condition;
