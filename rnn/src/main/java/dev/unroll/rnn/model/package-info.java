/**
 * Ready-made recurrent models. {@link dev.unroll.rnn.model.LanguageModel} predicts the next token
 * at every step: a vanilla RNN over one-hot input (min-char-rnn) or an embedding, a stacked LSTM or
 * GRU and a linear head (char-rnn); it computes its loss, carries its state for truncated BPTT and
 * steps one token at a time for {@link dev.unroll.rnn.sample.Sampler}.
 * {@link dev.unroll.rnn.model.LanguageModel#tied} and
 * {@link dev.unroll.rnn.model.LanguageModel#tiedLstm} tie the output layer to the embedding
 * (PyTorch's {@code decoder.weight = encoder.weight}, as in its {@code word_language_model}
 * example), with dropout on the embedded input and the output.
 */
package dev.unroll.rnn.model;
