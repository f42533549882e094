/**
 * Encoder-decoder models: {@link dev.unroll.rnn.seq2seq.Seq2Seq} encodes a source sequence into a
 * state and decodes the target from it, with teacher forcing in training and greedy or sampled
 * decoding with start and end tokens afterwards.
 */
package dev.unroll.rnn.seq2seq;
