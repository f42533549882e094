package dev.unroll.rnn.cell;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
import dev.unroll.rnn.State;
import java.util.random.RandomGenerator;

/**
 * The LSTM cell, as PyTorch's {@code nn.LSTMCell}, gate order i, f, g, o:
 * <pre>
 * [i f g o] = x W_ih^T + b_ih + h W_hh^T + b_hh
 * c' = sigmoid(f) * c + sigmoid(i) * tanh(g)
 * h' = sigmoid(o) * tanh(c')
 * </pre>
 * The four gates come from one product each with W_ih and W_hh; the update is two fused ops
 * ({@link GateOps}).
 */
public class LstmCell extends GatedCell {

    /**
     * A cell initialised like PyTorch from {@code seed}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param seed initialisation seed
     */
    public LstmCell(int inputSize, int hiddenSize, long seed) {
        this(inputSize, hiddenSize, Double.NaN, Randomness.seeded(seed));
    }

    /**
     * A cell with an optional initial forget-gate bias.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param forgetBias when not NaN, the forget gate's block of bias_ih is set to this value and
     *     that of bias_hh to 0, so the gate starts at sigmoid(forgetBias) (1.0 is the usual
     *     choice, as Keras' unit_forget_bias); NaN keeps PyTorch's random initialisation
     * @param rng the initialisation generator
     */
    public LstmCell(int inputSize, int hiddenSize, double forgetBias, RandomGenerator rng) {
        super(inputSize, hiddenSize, 4, rng);
        if (!Double.isNaN(forgetBias)) {
            for (int j = hiddenSize; j < 2 * hiddenSize; j++) {
                biasIh().data()[j] = forgetBias;
                biasHh().data()[j] = 0.0;
            }
        }
    }

    @Override
    public State stepProjected(Tensor inputProjection, State state) {
        checkState(state, inputProjection.rows(), true);
        Tensor gates = MatrixOps.addLinear(inputProjection, state.h(), weightHh(), biasHh());
        Tensor c = GateOps.lstmCellState(gates, state.c());
        return new State(GateOps.lstmHidden(gates, c), c);
    }

    @Override
    public State zeroState(int batch) {
        DType dtype = weightHh().dtype();
        return new State(Tensor.zeros(dtype, batch, hiddenSize()), Tensor.zeros(dtype, batch, hiddenSize()));
    }
}
