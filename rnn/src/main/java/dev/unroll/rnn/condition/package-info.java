/**
 * Conditioning a sequence model on a vector, as image captioning does:
 * {@link dev.unroll.rnn.condition.ConditionedLanguageModel} feeds the vector at every step or turns
 * it into the initial state, then trains (with teacher forcing or scheduled sampling) and samples or
 * beam-searches ({@link dev.unroll.rnn.decode}) like a language model.
 */
package dev.unroll.rnn.condition;
