package dev.unroll.rnn;

import java.util.List;
import dev.unroll.autograd.Tensor;

/**
 * What a recurrent layer returns: the top layer's output at every timestep (batch x H, or
 * batch x 2H with both directions concatenated as [forward | reverse]) and the final state of
 * every layer and direction, ordered as PyTorch's h_n: layer 0 forward, layer 0 reverse,
 * layer 1 forward, ...
 *
 * @param outputs one tensor per timestep; zero at a sequence's padded steps
 * @param finalStates the state each layer and direction ends in (with lengths, each sequence's
 *     state after its own last step)
 */
public record SequenceOutput(List<Tensor> outputs, List<State> finalStates) {

    /** @return the output at the last timestep */
    public Tensor last() {
        return outputs.get(outputs.size() - 1);
    }

    /** @return the final state of the top layer (forward direction) */
    public State topState() {
        return finalStates.get(finalStates.size() - 1);
    }
}
