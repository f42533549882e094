package dev.unroll.rnn.layer;

import dev.unroll.autograd.Randomness;
import dev.unroll.rnn.cell.GruCell;

/**
 * A (stacked, optionally bidirectional) GRU over sequences, as PyTorch's {@code nn.GRU};
 * see {@link GruCell} for the equations and {@link RecurrentLayer} for the options.
 */
public class Gru extends RecurrentLayer {

    /**
     * One unidirectional layer, initialised from {@code seed}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param seed initialisation and dropout seed
     */
    public Gru(int inputSize, int hiddenSize, long seed) {
        this(inputSize, hiddenSize, RecurrentOptions.defaults(), seed);
    }

    /**
     * A GRU with the given structure.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units per layer and direction
     * @param options layers, directions, dropout, learned initial state
     * @param seed initialisation and dropout seed
     */
    public Gru(int inputSize, int hiddenSize, RecurrentOptions options, long seed) {
        super(inputSize, hiddenSize, options, Randomness.seeded(seed), GruCell::new);
    }
}
