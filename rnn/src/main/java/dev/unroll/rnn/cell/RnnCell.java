package dev.unroll.rnn.cell;

import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
import dev.unroll.rnn.State;
import dev.unroll.rnn.StatePart;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The vanilla (Elman) RNN cell, as PyTorch's {@code nn.RNNCell}:
 * h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh) with act tanh or ReLU; without bias, no b terms
 * (or b_ih alone, min-char-rnn's single bias).
 */
public class RnnCell extends GatedCell {

    /** The cell's nonlinearity. */
    public enum Activation {
        /** Hyperbolic tangent, the classic choice. */
        TANH,
        /** Rectified linear unit (IRNN with an identity-initialised weight_hh). */
        RELU
    }

    private final Activation activation;

    /**
     * A tanh cell initialised from {@code seed}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param seed initialisation seed
     */
    public RnnCell(int inputSize, int hiddenSize, long seed) {
        this(inputSize, hiddenSize, Activation.TANH, Randomness.seeded(seed));
    }

    /**
     * A cell with the given nonlinearity.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param activation tanh or ReLU
     * @param rng the initialisation generator
     */
    public RnnCell(int inputSize, int hiddenSize, Activation activation, RandomGenerator rng) {
        this(inputSize, hiddenSize, activation, true, rng);
    }

    /**
     * A cell with the given nonlinearity, with or without biases (PyTorch's {@code bias}).
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param activation tanh or ReLU
     * @param bias whether to have bias_ih and bias_hh
     * @param rng the initialisation generator
     */
    public RnnCell(int inputSize, int hiddenSize, Activation activation, boolean bias, RandomGenerator rng) {
        this(inputSize, hiddenSize, activation, bias, bias, rng);
    }

    /**
     * A cell with the input and the recurrent bias chosen apart. With bias_ih alone it is
     * min-char-rnn's and Keras' SimpleRNN's h' = act(x W_ih^T + b + h W_hh^T): one bias, where
     * PyTorch's two (b_ih + b_hh) would move twice as fast under Adagrad.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param activation tanh or ReLU
     * @param inputBias whether to have bias_ih
     * @param recurrentBias whether to have bias_hh
     * @param rng the initialisation generator
     */
    public RnnCell(int inputSize, int hiddenSize, Activation activation, boolean inputBias, boolean recurrentBias,
            RandomGenerator rng) {
        super(inputSize, hiddenSize, 1, List.of(new StatePart("h", checkSizes("RnnCell", inputSize, hiddenSize))),
                inputBias, recurrentBias, rng);
        this.activation = activation;
    }

    @Override
    public State stepProjected(Tensor projected, State state) {
        Tensor pre = MatrixOps.addLinear(projected, state.h(), weightHh(), biasHh());
        return State.of(activation == Activation.TANH ? pre.tanh() : pre.relu());
    }

    /** @return the nonlinearity */
    public Activation activation() {
        return activation;
    }
}
