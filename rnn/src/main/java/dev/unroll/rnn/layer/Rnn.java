package dev.unroll.rnn.layer;

import dev.unroll.autograd.Randomness;
import dev.unroll.rnn.CellFactory;
import dev.unroll.rnn.cell.RnnCell;

/**
 * A (stacked, optionally bidirectional) vanilla RNN over sequences, as PyTorch's {@code nn.RNN},
 * with its option {@code bias} ({@link RecurrentOptions#bias(boolean)}); see {@link RnnCell} for
 * the equation and {@link RecurrentLayer} for the options.
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
     * @param options layers, directions, dropout, learned initial state, bias
     * @param seed initialisation and dropout seed
     */
    public Rnn(int inputSize, int hiddenSize, RnnCell.Activation activation, RecurrentOptions options, long seed) {
        super(inputSize, cells(hiddenSize, activation, options), options, Randomness.seeded(seed));
    }

    /**
     * @param hiddenSize hidden units
     * @param activation tanh or ReLU
     * @param options the cells' bias
     * @return the factory of this layer's cells
     */
    static CellFactory cells(int hiddenSize, RnnCell.Activation activation, RecurrentOptions options) {
        return (in, rng) -> new RnnCell(in, hiddenSize, activation, options.hasBias(), rng);
    }

    @Override
    public RnnCell cell(int layer, boolean reverse) {
        return (RnnCell) super.cell(layer, reverse);
    }
}
