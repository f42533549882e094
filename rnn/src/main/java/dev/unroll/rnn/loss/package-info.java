/** Losses over sequences: every step, masked, last step, last k steps, final-state targets. */
package dev.unroll.rnn.loss;
