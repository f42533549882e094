package dev.unroll.rnn.cell;

import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.rnn.State;
import dev.unroll.rnn.StatePart;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The minimal gated unit (MGU) of Zhou, Wu, Zhang and Zhou (2016): a GRU with a single gate
 * that both forgets and writes,
 * <pre>
 * f  = sigmoid(W_f x + b_f + U_f h)
 * n  = tanh(W_n x + b_n + U_n (f * h))
 * h' = (1 - f) * h + f * n
 * </pre>
 * written from plain ops (no fused op). Parameters: {@code weight_ih} (2H x in, blocks f and n),
 * {@code bias_ih} (1 x 2H), {@code weight_hf} (U_f, H x H) and {@code weight_hn} (U_n, H x H),
 * all U(-1/sqrt(H), 1/sqrt(H)). The input part of both blocks runs for all timesteps at once.
 */
public class MguCell extends AffineInputCell {

    private final Parameter weightHf;
    private final Parameter weightHn;

    /**
     * A cell initialised from {@code seed}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param seed initialisation seed
     */
    public MguCell(int inputSize, int hiddenSize, long seed) {
        this(inputSize, hiddenSize, Randomness.seeded(seed));
    }

    /**
     * A cell initialised from {@code rng}.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param rng the initialisation generator
     */
    public MguCell(int inputSize, int hiddenSize, RandomGenerator rng) {
        super(inputSize, List.of(new StatePart("h", checkSizes("MguCell", inputSize, hiddenSize))));
        double bound = 1.0 / Math.sqrt(hiddenSize);
        projectInputWith(
                registerParameter("weight_ih", Parameter.of(Tensor.uniform(2 * hiddenSize, inputSize, -bound, bound, rng))),
                registerParameter("bias_ih", Parameter.vector(Tensor.uniform(1, 2 * hiddenSize, -bound, bound, rng))));
        weightHf = registerParameter("weight_hf", Parameter.of(Tensor.uniform(hiddenSize, hiddenSize, -bound, bound, rng)));
        weightHn = registerParameter("weight_hn", Parameter.of(Tensor.uniform(hiddenSize, hiddenSize, -bound, bound, rng)));
    }

    @Override
    public State stepProjected(Tensor projected, State state) {
        int units = outputSize();
        Tensor h = state.h();
        Tensor f = MatrixOps.addLinear(projected.sliceCols(0, units), h, weightHf, null).sigmoid();
        Tensor n = MatrixOps.addLinear(projected.sliceCols(units, 2 * units), f.mul(h), weightHn, null).tanh();
        return State.of(h.add(f.mul(n.sub(h))));
    }
}
