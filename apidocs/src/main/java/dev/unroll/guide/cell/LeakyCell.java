package dev.unroll.guide.cell;

import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.rnn.RecurrentCell;
import dev.unroll.rnn.State;
import java.util.random.RandomGenerator;

/**
 * The example cell of the guide {@link dev.unroll.guide.cell}: a leaky-integrator RNN, each unit
 * with its own learned time constant,
 * <pre>
 * a  = sigmoid(leak)                          one rate per unit, learned
 * h' = h + a * (tanh(W_ih x + b + W_hh h) - h)
 * </pre>
 * a tanh RNN whose units forget at rates between 0 and 1 that training chooses. Its parameter
 * {@code leak} (1 x H) is of no shape a built-in cell has: the layer must carry it like the others.
 */
public final class LeakyCell extends RecurrentCell {

    // guide:begin
    private final Parameter weightIh;
    private final Parameter weightHh;
    private final Parameter bias;
    private final Parameter leak;
    // guide:end

    /**
     * A cell initialised from {@code rng}: weights U(-1/sqrt(H), 1/sqrt(H)), bias and leak zero.
     *
     * @param inputSize input features
     * @param hidden hidden units
     * @param rng the initialisation generator
     */
    // guide:begin
    public LeakyCell(int inputSize, int hidden, RandomGenerator rng) {
        super(inputSize, hidden);   // one state part, h, of width hidden
        double bound = 1 / Math.sqrt(hidden);
        weightIh = registerParameter("weight_ih", Parameter.of(Tensor.uniform(hidden, inputSize, -bound, bound, rng)));
        weightHh = registerParameter("weight_hh", Parameter.of(Tensor.uniform(hidden, hidden, -bound, bound, rng)));
        bias = registerParameter("bias", Parameter.vector(Tensor.zeros(1, hidden)));
        leak = registerParameter("leak", Parameter.vector(Tensor.zeros(1, hidden)));   // a = 0.5 at the start
    }

    @Override   // x W_ih^T + b of all timesteps in one product: the layer passes every timestep's rows
    public Tensor projectInput(Tensor inputs) {
        return MatrixOps.linear(inputs, weightIh, bias);
    }

    @Override   // one timestep from its projected input: the recurrent product, the candidate, the leak
    public State stepProjected(Tensor projected, State state) {
        Tensor h = state.h();
        Tensor candidate = MatrixOps.addLinear(projected, h, weightHh, null).tanh();
        Tensor rate = leak.sigmoid();   // 1 x H, broadcast over the batch's rows
        return State.of(h.add(candidate.sub(h).mul(rate)));
    }
    // guide:end
}
