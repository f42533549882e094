package dev.unroll.rnn.cell;

import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.rnn.State;
import dev.unroll.rnn.StatePart;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The LSTM with peephole connections of Gers, Schraudolph and Schmidhuber (2002): the input and
 * forget gates also read the previous cell state, the output gate the new one, each through a
 * diagonal weight (a vector, one factor per unit):
 * <pre>
 * [i f g o] = x W_ih^T + b_ih + h W_hh^T + b_hh           (gate order i, f, g, o, as LstmCell)
 * c' = sigmoid(i + w_ci * c) * tanh(g) + sigmoid(f + w_cf * c) * c
 * h' = sigmoid(o + w_co * c') * tanh(c')
 * </pre>
 * Parameters: LstmCell's four, and {@code weight_ci}, {@code weight_cf}, {@code weight_co} (1 x H
 * each, initialised like the others). The state is [h, c]. The update reuses the LSTM's fused ops
 * on the gate pre-activations with the peephole terms added.
 */
public class PeepholeLstmCell extends GatedCell {

    private final Parameter weightCi;
    private final Parameter weightCf;
    private final Parameter weightCo;

    /**
     * A cell initialised from {@code seed}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param seed initialisation seed
     */
    public PeepholeLstmCell(int inputSize, int hiddenSize, long seed) {
        this(inputSize, hiddenSize, Randomness.seeded(seed));
    }

    /**
     * A cell initialised from {@code rng}: every weight U(-1/sqrt(H), 1/sqrt(H)).
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param rng the initialisation generator
     */
    public PeepholeLstmCell(int inputSize, int hiddenSize, RandomGenerator rng) {
        super(inputSize, hiddenSize, 4, List.of(new StatePart("h", checkSizes("PeepholeLstmCell", inputSize, hiddenSize)),
                new StatePart("c", hiddenSize)), true, rng);
        double bound = 1.0 / Math.sqrt(hiddenSize);
        weightCi = registerParameter("weight_ci", Parameter.vector(Tensor.uniform(1, hiddenSize, -bound, bound, rng)));
        weightCf = registerParameter("weight_cf", Parameter.vector(Tensor.uniform(1, hiddenSize, -bound, bound, rng)));
        weightCo = registerParameter("weight_co", Parameter.vector(Tensor.uniform(1, hiddenSize, -bound, bound, rng)));
    }

    @Override
    public State stepProjected(Tensor projected, State state) {
        int rows = projected.rows();
        int h = hiddenSize();
        Tensor cPrev = state.part(1);
        Tensor gates = MatrixOps.addLinear(projected, state.h(), weightHh(), biasHh());
        Tensor peeked = gates.add(ShapeOps.concatCols(List.of(cPrev.mul(weightCi), cPrev.mul(weightCf),
                Tensor.zeros(cPrev.dtype(), rows, 2 * h))));
        Tensor c = GateOps.lstmCellState(peeked, cPrev);
        Tensor withOutput = peeked.add(ShapeOps.concatCols(List.of(Tensor.zeros(c.dtype(), rows, 3 * h), c.mul(weightCo))));
        return State.of(GateOps.lstmHidden(withOutput, c), c);
    }
}
