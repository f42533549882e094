/** Truncated backpropagation through time over long streams, with the hidden state carried detached. */
package dev.unroll.rnn.tbptt;
