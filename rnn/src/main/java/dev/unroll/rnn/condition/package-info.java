/**
 * Conditioning a sequence model on a vector, as image captioning does:
 * {@link dev.unroll.rnn.condition.ConditionedLanguageModel} feeds the vector at every step or turns
 * it into the initial state, then trains and samples like a language model.
 */
package dev.unroll.rnn.condition;
