/** Encoder-decoder models: teacher forcing in training, greedy or sampled decoding. */
package dev.unroll.rnn.seq2seq;
