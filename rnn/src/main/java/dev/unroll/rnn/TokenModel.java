package dev.unroll.rnn;

import dev.unroll.autograd.Tensor;
import java.util.List;

/**
 * A recurrent model over a vocabulary of tokens that can be run one step at a time: what a
 * sampler needs to generate text.
 */
public interface TokenModel {

    /** @return the number of distinct tokens (the width of the logits) */
    int vocabulary();

    /**
     * The state to start a batch of sequences from.
     *
     * @param batch the number of sequences
     * @return one state per layer
     */
    List<State> initialState(int batch);

    /**
     * Feeds one token per sequence and returns the scores of the next token.
     *
     * @param tokens one token per sequence
     * @param state the current state (not modified)
     * @return the next-token logits (batch x vocabulary) and the new state
     */
    Step step(int[] tokens, List<State> state);

    /**
     * The result of one step.
     *
     * @param logits batch x vocabulary scores of the next token
     * @param state the state after the step
     */
    record Step(Tensor logits, List<State> state) {
    }
}
