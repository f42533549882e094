/**
 * Recurrent networks on the engine: a {@link dev.unroll.rnn.RecurrentCell} is one timestep,
 * (input, previous {@link dev.unroll.rnn.State} of named parts) to next state, written with
 * recorded ops, so a layer that unrolls it over a sequence is trained by backpropagation through
 * time with no code of its own; {@link dev.unroll.rnn.CellFactory} builds one per layer and
 * direction. The subpackages hold the shipped cells ({@link dev.unroll.rnn.cell}), layers over
 * whole sequences ({@link dev.unroll.rnn.layer}), sequence losses ({@link dev.unroll.rnn.loss}),
 * truncated BPTT ({@link dev.unroll.rnn.tbptt}), sampling ({@link dev.unroll.rnn.sample}), beam
 * search and scheduled sampling ({@link dev.unroll.rnn.decode}), padded batches and word
 * vocabularies ({@link dev.unroll.rnn.data}), ready models ({@link dev.unroll.rnn.model},
 * {@link dev.unroll.rnn.condition}), encoder-decoder ({@link dev.unroll.rnn.seq2seq}) and attention
 * ({@link dev.unroll.rnn.attention}).
 *
 * <p>Start with {@link dev.unroll.rnn.model.LanguageModel} to train on text, or with
 * {@link dev.unroll.rnn.layer.Lstm} inside a module of your own.
 */
package dev.unroll.rnn;
