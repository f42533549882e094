package dev.unroll.rnn.cell;

import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.rnn.StatePart;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What the RNN, LSTM and GRU cells share: PyTorch's parameters {@code weight_ih} (gates*H x in),
 * {@code weight_hh} (gates*H x the output's width), and unless built without bias
 * {@code bias_ih} and {@code bias_hh} (gates*H; or {@code bias_ih} alone), all initialised U(-1/sqrt(H), 1/sqrt(H)); and
 * the split of a step into the input projection x W_ih^T + b_ih, which a layer computes for all
 * timesteps in one product, and the recurrent update from that projection.
 */
public abstract class GatedCell extends AffineInputCell {

    private final int hiddenSize;
    private final Parameter weightHh;
    private final Parameter biasHh;

    /**
     * @param inputSize input features
     * @param hiddenSize hidden units H
     * @param gates gate blocks (1 RNN, 4 LSTM, 3 GRU)
     * @param parts the state's parts; weight_hh reads the first (the output)
     * @param bias whether to have bias_ih and bias_hh
     * @param rng the initialisation generator
     */
    protected GatedCell(int inputSize, int hiddenSize, int gates, List<StatePart> parts, boolean bias,
            RandomGenerator rng) {
        this(inputSize, hiddenSize, gates, parts, bias, bias, rng);
    }

    /**
     * A cell with the input bias and the recurrent bias chosen apart: a cell with bias_ih but no
     * bias_hh has one bias per gate, as Keras' cells and min-char-rnn have (two biases added to
     * the same sum only move twice as fast under Adagrad or SGD, they add nothing the model can
     * express).
     *
     * @param inputSize input features
     * @param hiddenSize hidden units H
     * @param gates gate blocks (1 RNN, 4 LSTM, 3 GRU)
     * @param parts the state's parts; weight_hh reads the first (the output)
     * @param inputBias whether to have bias_ih
     * @param recurrentBias whether to have bias_hh
     * @param rng the initialisation generator (bias_hh draws nothing when absent)
     */
    protected GatedCell(int inputSize, int hiddenSize, int gates, List<StatePart> parts, boolean inputBias,
            boolean recurrentBias, RandomGenerator rng) {
        super(inputSize, parts);
        this.hiddenSize = hiddenSize;
        double bound = 1.0 / Math.sqrt(hiddenSize);
        int rows = gates * hiddenSize;
        Parameter weightIh = registerParameter("weight_ih",
                Parameter.of(Tensor.uniform(rows, inputSize, -bound, bound, rng)));
        weightHh = registerParameter("weight_hh", Parameter.of(Tensor.uniform(rows, outputSize(), -bound, bound, rng)));
        projectInputWith(weightIh, inputBias
                ? registerParameter("bias_ih", Parameter.vector(Tensor.uniform(1, rows, -bound, bound, rng))) : null);
        biasHh = recurrentBias
                ? registerParameter("bias_hh", Parameter.vector(Tensor.uniform(1, rows, -bound, bound, rng))) : null;
    }

    /** @return the hidden units H (the rows of weight_ih are gates x H) */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** @return whether the cell has bias_ih (and, unless built with the input bias alone, bias_hh) */
    public boolean hasBias() {
        return inputBias() != null;
    }

    /** @return weight_ih, gates*H x input */
    public Parameter weightIh() {
        return inputWeight();
    }

    /** @return weight_hh, gates*H x the output's width */
    public Parameter weightHh() {
        return weightHh;
    }

    /** @return bias_ih, 1 x gates*H, or {@code null} without bias */
    public Parameter biasIh() {
        return inputBias();
    }

    /** @return bias_hh, 1 x gates*H, or {@code null} without bias */
    public Parameter biasHh() {
        return biasHh;
    }
}
