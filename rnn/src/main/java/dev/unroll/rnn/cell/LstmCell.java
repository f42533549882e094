package dev.unroll.rnn.cell;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.rnn.State;
import dev.unroll.rnn.StatePart;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The LSTM cell, as PyTorch's {@code nn.LSTMCell} (and one layer and direction of
 * {@code nn.LSTM}), gate order i, f, g, o:
 * <pre>
 * [i f g o] = x W_ih^T + b_ih + h W_hh^T + b_hh
 * c' = sigmoid(f) * c + sigmoid(i) * tanh(g)
 * h' = sigmoid(o) * tanh(c')                 or, with a projection,  h' = (sigmoid(o) * tanh(c')) W_hr^T
 * </pre>
 * The state is [h, c]. With a projection (PyTorch's {@code proj_size} P, 0 &lt; P &lt; H), h has P
 * columns, c keeps H, {@code weight_hh} is 4H x P and {@code weight_hr} (P x H) is a fourth
 * parameter. The four gates come from one product each with W_ih and W_hh; the update is two
 * fused ops ({@link GateOps}).
 */
public class LstmCell extends GatedCell {

    private final double forgetBias;
    private final Parameter weightHr;

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
        this(inputSize, hiddenSize, true, 0, forgetBias, rng);
    }

    /**
     * A cell with every option of PyTorch's {@code nn.LSTM}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units H (the width of c)
     * @param bias whether to have bias_ih and bias_hh (PyTorch's {@code bias})
     * @param projectionSize P in (0, H) for h' = (sigmoid(o) * tanh(c')) W_hr^T (PyTorch's
     *     {@code proj_size}), or 0 for none
     * @param forgetBias the forget gate's initial bias (see {@link #LstmCell(int, int, double, RandomGenerator)}),
     *     or NaN; needs biases
     * @param rng the initialisation generator
     */
    public LstmCell(int inputSize, int hiddenSize, boolean bias, int projectionSize, double forgetBias,
            RandomGenerator rng) {
        super(inputSize, hiddenSize, 4, parts(inputSize, hiddenSize, projectionSize), bias, rng);
        if (!Double.isNaN(forgetBias)) {
            if (!bias) {
                throw new IllegalArgumentException("LstmCell: a forget-gate bias of " + forgetBias + " needs biases, but the "
                        + "cell is built without; build it with bias, or leave the forget bias NaN");
            }
            for (int j = hiddenSize; j < 2 * hiddenSize; j++) {
                biasIh().data()[j] = forgetBias;
                biasHh().data()[j] = 0.0;
            }
        }
        this.forgetBias = forgetBias;
        double bound = 1.0 / Math.sqrt(hiddenSize);
        this.weightHr = projectionSize == 0 ? null : registerParameter("weight_hr",
                Parameter.of(Tensor.uniform(projectionSize, hiddenSize, -bound, bound, rng)));
    }

    private static List<StatePart> parts(int inputSize, int hiddenSize, int projectionSize) {
        checkSizes("LstmCell", inputSize, hiddenSize);
        if (projectionSize < 0 || projectionSize >= hiddenSize) {
            throw new IllegalArgumentException("LstmCell: projection size " + projectionSize + " must be smaller than the "
                    + "hidden size " + hiddenSize + " (as PyTorch's proj_size), or 0 for no projection");
        }
        return List.of(new StatePart("h", projectionSize == 0 ? hiddenSize : projectionSize),
                new StatePart("c", hiddenSize));
    }

    @Override
    public State stepProjected(Tensor projected, State state) {
        Tensor gates = MatrixOps.addLinear(projected, state.h(), weightHh(), biasHh());
        Tensor c = GateOps.lstmCellState(gates, state.part(1));
        Tensor h = GateOps.lstmHidden(gates, c);
        return State.of(weightHr == null ? h : MatrixOps.linear(h, weightHr, null), c);
    }

    /** @return the forget gate's initial bias, or NaN for PyTorch's random initialisation */
    public double forgetBias() {
        return forgetBias;
    }

    /** @return the projection size P, or 0 without projection */
    public int projectionSize() {
        return weightHr == null ? 0 : weightHr.rows();
    }

    /** @return weight_hr, P x H, or {@code null} without projection */
    public Parameter weightHr() {
        return weightHr;
    }
}
