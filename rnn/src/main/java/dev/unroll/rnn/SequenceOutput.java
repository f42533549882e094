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
 * @param directions 1, or 2 when each layer also read the sequence backwards
 */
public record SequenceOutput(List<Tensor> outputs, List<State> finalStates, int directions) {

    /**
     * Checks that the final states hold one state per layer and direction.
     *
     * @param outputs one tensor per timestep
     * @param finalStates the state of every layer and direction
     * @param directions 1 or 2
     */
    public SequenceOutput {
        if (directions != 1 && directions != 2) {
            throw new IllegalArgumentException("SequenceOutput: directions " + directions + " must be 1 or 2");
        }
        if (finalStates.isEmpty() || finalStates.size() % directions != 0) {
            throw new IllegalArgumentException("SequenceOutput: " + finalStates.size() + " final states for "
                    + directions + " directions; give one state per layer and direction");
        }
    }

    /**
     * The output of a unidirectional layer.
     *
     * @param outputs one tensor per timestep
     * @param finalStates the state of every layer
     */
    public SequenceOutput(List<Tensor> outputs, List<State> finalStates) {
        this(outputs, finalStates, 1);
    }

    /** @return the output at the last timestep */
    public Tensor last() {
        return outputs.get(outputs.size() - 1);
    }

    /**
     * The final state of the top layer's forward direction: the state after reading the whole
     * sequence (each sequence's own last step), what a decoder or classifier usually starts from.
     *
     * @return the top layer's forward final state
     */
    public State topState() {
        return finalStates.get(finalStates.size() - directions);
    }

    /**
     * The final state of the top layer's reverse direction, which read the sequence backwards
     * and so ends at its first step.
     *
     * @return the top layer's reverse final state
     * @throws IllegalStateException when the layer is unidirectional
     */
    public State topReverseState() {
        if (directions == 1) {
            throw new IllegalStateException("SequenceOutput: the layer is unidirectional and has no reverse state; "
                    + "use topState(), or build the layer with RecurrentOptions.bidirectional()");
        }
        return finalStates.get(finalStates.size() - 1);
    }
}
