package dev.unroll.rnn.layer;

import dev.unroll.autograd.Randomness;
import dev.unroll.rnn.CellFactory;
import dev.unroll.rnn.cell.GruCell;

/**
 * A (stacked, optionally bidirectional) GRU over sequences, as PyTorch's {@code nn.GRU}, with
 * its option {@code bias} ({@link RecurrentOptions#bias(boolean)}); see {@link GruCell} for the
 * equations and {@link RecurrentLayer} for the options.
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
     * @param options layers, directions, dropout, learned initial state, bias
     * @param seed initialisation and dropout seed
     */
    public Gru(int inputSize, int hiddenSize, RecurrentOptions options, long seed) {
        super(inputSize, cells(hiddenSize, options), options, Randomness.seeded(seed));
    }

    /**
     * @param hiddenSize hidden units
     * @param options the cells' bias
     * @return the factory of this layer's cells
     */
    static CellFactory cells(int hiddenSize, RecurrentOptions options) {
        return (in, rng) -> new GruCell(in, hiddenSize, options.hasBias(), rng);
    }

    @Override
    public GruCell cell(int layer, boolean reverse) {
        return (GruCell) super.cell(layer, reverse);
    }
}
