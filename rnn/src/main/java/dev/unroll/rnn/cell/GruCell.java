package dev.unroll.rnn.cell;

import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
import dev.unroll.rnn.State;
import java.util.random.RandomGenerator;

/**
 * The GRU cell, as PyTorch's {@code nn.GRUCell}, gate order r, z, n:
 * <pre>
 * r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
 * z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 * h' = (1 - z) * n + z * h
 * </pre>
 * One product each with W_ih and W_hh, then one fused op ({@link GateOps#gruHidden}).
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
        super(inputSize, hiddenSize, 3, rng);
    }

    @Override
    public State stepProjected(Tensor inputProjection, State state) {
        checkState(state, inputProjection.rows(), false);
        Tensor hiddenProjection = MatrixOps.linear(state.h(), weightHh(), biasHh());
        return State.of(GateOps.gruHidden(inputProjection, hiddenProjection, state.h()));
    }

    @Override
    public State zeroState(int batch) {
        return State.of(Tensor.zeros(weightHh().dtype(), batch, hiddenSize()));
    }
}
