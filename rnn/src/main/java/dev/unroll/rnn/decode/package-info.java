/**
 * Decoding and training decoders: {@link dev.unroll.rnn.decode.BeamSearch} finds the n most
 * probable continuations of every sequence of a batch for any {@link dev.unroll.rnn.TokenModel}
 * (prompted through {@link dev.unroll.rnn.decode.Decodable#prompted}) and for the
 * encoder-decoder, attention and conditioned models ({@code decoding(...)}), ranked with
 * Wu et al.'s {@link dev.unroll.rnn.decode.LengthPenalty}; {@link dev.unroll.rnn.decode.ScheduledSampling}
 * (Bengio et al. 2015) feeds a decoder its own predictions instead of the ground truth with a
 * probability that grows along a {@link dev.unroll.rnn.decode.TeacherForcingSchedule}.
 */
package dev.unroll.rnn.decode;
