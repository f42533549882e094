package dev.unroll.rnn.layer;

import dev.unroll.autograd.Randomness;
import dev.unroll.rnn.CellFactory;
import dev.unroll.rnn.cell.LstmCell;
import java.util.random.RandomGenerator;

/**
 * A (stacked, optionally bidirectional) LSTM over sequences, as PyTorch's {@code nn.LSTM}, with
 * its options {@code bias} ({@link RecurrentOptions#bias(boolean)}) and {@code proj_size}
 * ({@link RecurrentOptions#projection(int)}); see {@link LstmCell} for the equations and
 * {@link RecurrentLayer} for the options.
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
     * @param hiddenSize hidden units per layer and direction (the width of c)
     * @param options layers, directions, dropout, learned initial state, bias, forget-gate bias, projection
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
     * @param options layers, directions, dropout, learned initial state, bias, forget-gate bias, projection
     * @param forgetBias the forget gate's initial bias in every layer and direction, or NaN for
     *     {@link RecurrentOptions#forgetBias()} (itself NaN by default: PyTorch's initialisation)
     * @param rng initialisation and dropout generator
     */
    public Lstm(int inputSize, int hiddenSize, RecurrentOptions options, double forgetBias, RandomGenerator rng) {
        super(inputSize, cells(hiddenSize, withForgetBias(options, forgetBias)), withForgetBias(options, forgetBias), rng);
    }

    private static RecurrentOptions withForgetBias(RecurrentOptions options, double forgetBias) {
        return Double.isNaN(forgetBias) ? options : options.forgetBias(forgetBias);
    }

    /**
     * @param hiddenSize hidden units
     * @param options the cells' bias, forget-gate bias and projection
     * @return the factory of this layer's cells
     */
    static CellFactory cells(int hiddenSize, RecurrentOptions options) {
        return (in, rng) -> new LstmCell(in, hiddenSize, options.hasBias(), options.projection(), options.forgetBias(), rng);
    }

    @Override
    public LstmCell cell(int layer, boolean reverse) {
        return (LstmCell) super.cell(layer, reverse);
    }
}
