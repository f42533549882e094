package dev.unroll.rnn.cell;

import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.rnn.State;
import dev.unroll.rnn.StatePart;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The independently recurrent neural network (IndRNN) of Li et al. (2018): each unit reads only
 * its own previous value, through one factor of a vector u instead of a matrix,
 * <pre>
 * h' = relu(x W^T + b + u * h)
 * </pre>
 * Parameters: {@code weight_ih} (H x in) and {@code bias_ih} (1 x H), U(-1/sqrt(H), 1/sqrt(H)) as
 * PyTorch's RNN, and {@code weight_hh}, the vector u (1 x H), U(0, 1) as the paper suggests for
 * short sequences (keep |u| at most 2^(1/T) for T steps so no unit explodes).
 */
public class IndRnnCell extends AffineInputCell {

    private final Parameter weightHh;

    /**
     * A cell initialised from {@code seed}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param seed initialisation seed
     */
    public IndRnnCell(int inputSize, int hiddenSize, long seed) {
        this(inputSize, hiddenSize, Randomness.seeded(seed));
    }

    /**
     * A cell initialised from {@code rng}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param rng the initialisation generator
     */
    public IndRnnCell(int inputSize, int hiddenSize, RandomGenerator rng) {
        super(inputSize, List.of(new StatePart("h", checkSizes("IndRnnCell", inputSize, hiddenSize))));
        double bound = 1.0 / Math.sqrt(hiddenSize);
        Parameter weightIh = registerParameter("weight_ih",
                Parameter.of(Tensor.uniform(hiddenSize, inputSize, -bound, bound, rng)));
        weightHh = registerParameter("weight_hh", Parameter.vector(Tensor.uniform(1, hiddenSize, 0, 1, rng)));
        projectInputWith(weightIh,
                registerParameter("bias_ih", Parameter.vector(Tensor.uniform(1, hiddenSize, -bound, bound, rng))));
    }

    @Override
    public State stepProjected(Tensor projected, State state) {
        return State.of(projected.add(state.h().mul(weightHh)).relu());
    }

    /** @return the recurrent vector u, 1 x H */
    public Parameter weightHh() {
        return weightHh;
    }
}
