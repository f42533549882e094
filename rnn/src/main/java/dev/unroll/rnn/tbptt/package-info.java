/**
 * Truncated backpropagation through time over sequences too long for one graph:
 * {@link dev.unroll.rnn.tbptt.TruncatedBptt} records each chunk of k steps on its own tape,
 * backpropagates it, and carries the final state into the next chunk detached, so memory stays
 * that of one chunk; {@link dev.unroll.rnn.tbptt.ParallelStreams} cuts one long text into a batch
 * of parallel streams, as char-rnn trains.
 */
package dev.unroll.rnn.tbptt;
