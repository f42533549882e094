/**
 * Losses over the per-step outputs of a recurrent layer: {@link dev.unroll.rnn.loss.SequenceLoss}
 * counts the steps a {@link dev.unroll.rnn.loss.StepMask} selects (every step, all but the padding
 * of shorter sequences, the last step, the last k steps), and with a mean divides by the counted
 * steps, so padding never dilutes the loss; with {@code Reduction.NONE} it gives every step's loss,
 * 0 where the mask does not count.
 */
package dev.unroll.rnn.loss;
