package dev.unroll.rnn.layer;

import dev.unroll.autograd.Randomness;
import dev.unroll.rnn.cell.LstmCell;
import java.util.random.RandomGenerator;

/**
 * A (stacked, optionally bidirectional) LSTM over sequences, as PyTorch's {@code nn.LSTM};
 * see {@link LstmCell} for the equations and {@link RecurrentLayer} for the options.
 */
public class Lstm extends RecurrentLayer {

    /**
     * One unidirectional layer, initialised from {@code seed}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param seed initialisation and dropout seed
     */
    public Lstm(int inputSize, int hiddenSize, long seed) {
        this(inputSize, hiddenSize, RecurrentOptions.defaults(), seed);
    }

    /**
     * An LSTM with the given structure.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units per layer and direction
     * @param options layers, directions, dropout, learned initial state, forget-gate bias
     * @param seed initialisation and dropout seed
     */
    public Lstm(int inputSize, int hiddenSize, RecurrentOptions options, long seed) {
        this(inputSize, hiddenSize, options, Double.NaN, Randomness.seeded(seed));
    }

    /**
     * An LSTM with an initial forget-gate bias (see {@link LstmCell#LstmCell(int, int, double, RandomGenerator)}).
     *
     * @param inputSize input features
     * @param hiddenSize hidden units per layer and direction
     * @param options layers, directions, dropout, learned initial state, forget-gate bias
     * @param forgetBias the forget gate's initial bias in every layer and direction, or NaN for
     *     {@link RecurrentOptions#forgetBias()} (itself NaN by default: PyTorch's initialisation)
     * @param rng initialisation and dropout generator
     */
    public Lstm(int inputSize, int hiddenSize, RecurrentOptions options, double forgetBias, RandomGenerator rng) {
        super(inputSize, hiddenSize, options, rng, cells(Double.isNaN(forgetBias) ? options.forgetBias() : forgetBias));
    }

    private static CellFactory cells(double forgetBias) {
        return (in, hidden, r) -> new LstmCell(in, hidden, forgetBias, r);
    }
}
