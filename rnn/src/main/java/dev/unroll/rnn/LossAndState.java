package dev.unroll.rnn;

import dev.unroll.autograd.Tensor;
import java.util.List;

/**
 * A loss over a stretch of sequence and the state the recurrence ended in, which truncated BPTT
 * carries (detached) into the next stretch.
 *
 * @param loss the 1x1 loss
 * @param finalState the state after the last step, one per layer
 */
public record LossAndState(Tensor loss, List<State> finalState) {
}
