package dev.unroll.rnn.cell;

import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.layers.LayerNorm;
import dev.unroll.rnn.State;
import dev.unroll.rnn.StatePart;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The layer-normalized LSTM of Ba, Kiros and Hinton (2016): layer normalization of the input
 * and of the recurrent pre-activations (each over its 4H gate values) and of the cell state
 * before its tanh, each with its own gain and bias:
 * <pre>
 * [i f g o] = LN_ih(x W_ih^T) + LN_hh(h W_hh^T)          (gate order i, f, g, o, as LstmCell)
 * c' = sigmoid(f) * c + sigmoid(i) * tanh(g)
 * h' = sigmoid(o) * tanh(LN_c(c'))
 * </pre>
 * Parameters: {@code weight_ih} (4H x in) and {@code weight_hh} (4H x H), initialised like
 * LstmCell's, and the norms' gains (ones) and biases (zeros), {@code ln_ih.weight},
 * {@code ln_ih.bias} (1 x 4H), {@code ln_hh.*} (1 x 4H) and {@code ln_c.*} (1 x H); the norms'
 * biases take the place of bias_ih and bias_hh. The state is [h, c] (c not normalized). As the
 * normalization is per row, the input part still runs for all timesteps at once.
 */
public class LayerNormLstmCell extends GatedCell {

    private final LayerNorm lnIh;
    private final LayerNorm lnHh;
    private final LayerNorm lnC;

    /**
     * A cell initialised from {@code seed}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param seed initialisation seed
     */
    public LayerNormLstmCell(int inputSize, int hiddenSize, long seed) {
        this(inputSize, hiddenSize, Randomness.seeded(seed));
    }

    /**
     * A cell initialised from {@code rng}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param rng the initialisation generator of weight_ih and weight_hh
     */
    public LayerNormLstmCell(int inputSize, int hiddenSize, RandomGenerator rng) {
        super(inputSize, hiddenSize, 4, List.of(new StatePart("h", checkSizes("LayerNormLstmCell", inputSize, hiddenSize)),
                new StatePart("c", hiddenSize)), false, rng);
        lnIh = registerModule("ln_ih", new LayerNorm(4 * hiddenSize));
        lnHh = registerModule("ln_hh", new LayerNorm(4 * hiddenSize));
        lnC = registerModule("ln_c", new LayerNorm(hiddenSize));
    }

    @Override
    public Tensor projectInput(Tensor inputs) {
        return lnIh.forward(super.projectInput(inputs));
    }

    @Override
    public Tensor projectOneHot(int[] tokens) {
        return lnIh.forward(super.projectOneHot(tokens));
    }

    @Override
    public State stepProjected(Tensor projected, State state) {
        Tensor gates = projected.add(lnHh.forward(MatrixOps.linear(state.h(), weightHh(), null)));
        Tensor c = GateOps.lstmCellState(gates, state.part(1));
        return State.of(GateOps.lstmHidden(gates, lnC.forward(c)), c);
    }
}
