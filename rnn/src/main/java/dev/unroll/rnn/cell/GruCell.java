package dev.unroll.rnn.cell;

import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
import dev.unroll.rnn.State;
import dev.unroll.rnn.StatePart;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The GRU cell, as PyTorch's {@code nn.GRUCell}, gate order r, z, n:
 * <pre>
 * r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
 * z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 * h' = (1 - z) * n + z * h
 * </pre>
 * One product each with W_ih and W_hh, then one fused op ({@link GateOps#gruHidden}). Built
 * without bias, the b terms are zero and there are no bias parameters.
 */
public class GruCell extends GatedCell {

    /**
     * A cell initialised like PyTorch from {@code seed}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param seed initialisation seed
     */
    public GruCell(int inputSize, int hiddenSize, long seed) {
        this(inputSize, hiddenSize, Randomness.seeded(seed));
    }

    /**
     * A cell initialised like PyTorch from {@code rng}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param rng the initialisation generator
     */
    public GruCell(int inputSize, int hiddenSize, RandomGenerator rng) {
        this(inputSize, hiddenSize, true, rng);
    }

    /**
     * A cell with or without biases (PyTorch's {@code bias}).
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param bias whether to have bias_ih and bias_hh
     * @param rng the initialisation generator
     */
    public GruCell(int inputSize, int hiddenSize, boolean bias, RandomGenerator rng) {
        super(inputSize, hiddenSize, 3, List.of(new StatePart("h", checkSizes("GruCell", inputSize, hiddenSize))), bias, rng);
    }

    @Override
    public State stepProjected(Tensor projected, State state) {
        Tensor hiddenProjection = MatrixOps.linear(state.h(), weightHh(), biasHh());
        return State.of(GateOps.gruHidden(projected, hiddenProjection, state.h()));
    }
}
