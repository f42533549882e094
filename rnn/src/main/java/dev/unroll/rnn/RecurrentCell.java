package dev.unroll.rnn;

import dev.unroll.autograd.Tensor;

/**
 * One timestep of a recurrent network: (input, previous state) -&gt; next state. Every step is
 * built from ops recorded on the tape, so unrolling a cell over T steps and calling backward
 * is backpropagation through time.
 */
public interface RecurrentCell {

    /** @return the number of input features per step */
    int inputSize();

    /** @return the number of hidden units */
    int hiddenSize();

    /**
     * Advances one step.
     *
     * @param input batch x inputSize
     * @param state the previous state (batch x hiddenSize parts)
     * @return the next state
     */
    State step(Tensor input, State state);

    /**
     * The all-zero state, PyTorch's default initial state.
     *
     * @param batch the batch size
     * @return a state of zeros with the parts this cell uses
     */
    State zeroState(int batch);
}
