/**
 * Encoder-decoder models: {@link dev.unroll.rnn.seq2seq.Seq2Seq} encodes a source sequence into a
 * state and decodes the target from it, with teacher forcing or scheduled sampling in training and
 * greedy, sampled or beam-search decoding ({@link dev.unroll.rnn.decode}) with start and end tokens
 * afterwards.
 */
package dev.unroll.rnn.seq2seq;
