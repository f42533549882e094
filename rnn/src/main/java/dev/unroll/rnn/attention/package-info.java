/** Attention over a set of vectors (additive and dot-product) and a decoder that attends at every step. */
package dev.unroll.rnn.attention;
