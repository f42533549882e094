package dev.unroll.rnn.cell;

import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import dev.unroll.rnn.RecurrentCell;
import dev.unroll.rnn.State;
import java.util.random.RandomGenerator;

/**
 * What the RNN, LSTM and GRU cells share: PyTorch's four parameters {@code weight_ih} (gates*H x
 * in), {@code weight_hh} (gates*H x H), {@code bias_ih} and {@code bias_hh} (gates*H), all
 * initialised U(-1/sqrt(H), 1/sqrt(H)), and the split of a step into the input projection
 * x W_ih^T + b_ih, which a layer computes for all timesteps in one product, and the recurrent
 * update from that projection.
 */
public abstract class GatedCell extends Module implements RecurrentCell {

    private final int inputSize;
    private final int hiddenSize;
    private final Parameter weightIh;
    private final Parameter weightHh;
    private final Parameter biasIh;
    private final Parameter biasHh;

    /**
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param gates gate blocks (1 RNN, 4 LSTM, 3 GRU)
     * @param rng the initialisation generator
     */
    protected GatedCell(int inputSize, int hiddenSize, int gates, RandomGenerator rng) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input size " + inputSize
                    + " and hidden size " + hiddenSize + " must both be positive");
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        double bound = 1.0 / Math.sqrt(hiddenSize);
        int rows = gates * hiddenSize;
        weightIh = registerParameter("weight_ih", Parameter.of(Tensor.uniform(rows, inputSize, -bound, bound, rng)));
        weightHh = registerParameter("weight_hh", Parameter.of(Tensor.uniform(rows, hiddenSize, -bound, bound, rng)));
        biasIh = registerParameter("bias_ih", Parameter.vector(Tensor.uniform(1, rows, -bound, bound, rng)));
        biasHh = registerParameter("bias_hh", Parameter.vector(Tensor.uniform(1, rows, -bound, bound, rng)));
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    /**
     * The input part of a step, x W_ih^T + b_ih; a layer applies it to all timesteps at once.
     *
     * @param input batch x inputSize (or (T*batch) x inputSize)
     * @return the projection, rows x gates*H
     */
    public Tensor projectInput(Tensor input) {
        if (input.cols() != inputSize) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input " + input.shape() + " has "
                    + input.cols() + " features but the cell expects " + inputSize);
        }
        return MatrixOps.linear(input, weightIh, biasIh);
    }

    @Override
    public State step(Tensor input, State state) {
        return stepProjected(projectInput(input), state);
    }

    /**
     * The recurrent part of a step, from the input projection of this timestep.
     *
     * @param inputProjection x W_ih^T + b_ih, batch x gates*H
     * @param state the previous state
     * @return the next state
     */
    public abstract State stepProjected(Tensor inputProjection, State state);

    /**
     * Checks a state's shape against the cell and the batch.
     *
     * @param state the state
     * @param batch the batch size of the input
     * @param needsCell whether the state must carry c
     */
    protected void checkState(State state, int batch, boolean needsCell) {
        if (state == null || state.h() == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no state; start from zeroState(batch)");
        }
        if (state.h().rows() != batch || state.h().cols() != hiddenSize) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": hidden state " + state.h().shape()
                    + " does not fit a batch of " + batch + " and " + hiddenSize + " hidden units");
        }
        if (needsCell && (state.c() == null || !state.c().sameShape(state.h()))) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": an LSTM state needs a cell state c of "
                    + batch + "x" + hiddenSize + "; use zeroState(batch)");
        }
    }

    /** @return weight_ih, gates*H x input */
    public Parameter weightIh() {
        return weightIh;
    }

    /** @return weight_hh, gates*H x H */
    public Parameter weightHh() {
        return weightHh;
    }

    /** @return bias_ih, 1 x gates*H */
    public Parameter biasIh() {
        return biasIh;
    }

    /** @return bias_hh, 1 x gates*H */
    public Parameter biasHh() {
        return biasHh;
    }

    @Override
    protected String describeSelf() {
        return "(" + inputSize + " -> " + hiddenSize + ")";
    }
}
