package dev.unroll.rnn.layer;

import dev.unroll.autograd.Randomness;
import dev.unroll.rnn.cell.RnnCell;

/**
 * A (stacked, optionally bidirectional) vanilla RNN over sequences, as PyTorch's {@code nn.RNN};
 * see {@link RnnCell} for the equation and {@link RecurrentLayer} for the options.
 */
public class Rnn extends RecurrentLayer {

    /**
     * One unidirectional tanh layer, initialised from {@code seed}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param seed initialisation and dropout seed
     */
    public Rnn(int inputSize, int hiddenSize, long seed) {
        this(inputSize, hiddenSize, RnnCell.Activation.TANH, RecurrentOptions.defaults(), seed);
    }

    /**
     * An RNN with the given nonlinearity and structure.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units per layer and direction
     * @param activation tanh or ReLU
     * @param options layers, directions, dropout, learned initial state
     * @param seed initialisation and dropout seed
     */
    public Rnn(int inputSize, int hiddenSize, RnnCell.Activation activation, RecurrentOptions options, long seed) {
        super(inputSize, hiddenSize, options, Randomness.seeded(seed), (in, hidden, r) -> new RnnCell(in, hidden, activation, r));
    }
}
