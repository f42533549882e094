/**
 * Generating from a recurrent model one token at a time: {@link dev.unroll.rnn.sample.Sampler}
 * primes the model with a prefix, then chooses each next token by argmax, by sampling with a
 * temperature, or among the top k, from a seeded generator, until a length or an end token; a
 * {@link dev.unroll.rnn.sample.TokenChooser} is the choice rule. Generation records no tape. For
 * the most probable continuations rather than one drawn, see {@link dev.unroll.rnn.decode.BeamSearch}.
 */
package dev.unroll.rnn.sample;
