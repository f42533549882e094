package dev.unroll.nn.layers;

import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import java.util.random.RandomGenerator;

/**
 * A fully connected layer y = x W^T + b, as PyTorch's {@code nn.Linear}: x is batch x in,
 * {@code weight} is out x in, {@code bias} is 1 x out (parameter names and shapes match
 * PyTorch's state_dict). Initialised like PyTorch: every element uniform in
 * [-1/sqrt(in), 1/sqrt(in)].
 */
public class Linear extends Module implements Layer {

    private final Parameter weight;
    private final Parameter bias;

    /**
     * A layer with a bias, initialised from {@code seed}.
     *
     * @param in input features
     * @param out output features
     * @param seed initialisation seed
     */
    public Linear(int in, int out, long seed) {
        this(in, out, true, Randomness.seeded(seed));
    }

    /**
     * A layer with or without a bias.
     *
     * @param in input features
     * @param out output features
     * @param withBias whether to add a bias
     * @param rng the initialisation generator
     */
    public Linear(int in, int out, boolean withBias, RandomGenerator rng) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear: sizes " + in + " -> " + out + " must both be positive");
        }
        double bound = 1.0 / Math.sqrt(in);
        weight = registerParameter("weight", Parameter.of(Tensor.uniform(out, in, -bound, bound, rng)));
        bias = withBias ? registerParameter("bias", Parameter.vector(Tensor.uniform(1, out, -bound, bound, rng))) : null;
    }

    /**
     * A layer over an existing weight (e.g. an embedding table tied to the output projection).
     *
     * @param weight out x in, shared, not copied
     * @param bias 1 x out, or {@code null}
     */
    public Linear(Parameter weight, Parameter bias) {
        this.weight = registerParameter("weight", weight);
        this.bias = bias == null ? null : registerParameter("bias", bias);
    }

    @Override
    public Tensor forward(Tensor input) {
        return MatrixOps.linear(input, weight, bias);
    }

    /** @return the weight, out x in */
    public Parameter weight() {
        return weight;
    }

    /** @return the bias, 1 x out, or {@code null} when the layer has none */
    public Parameter bias() {
        return bias;
    }

    @Override
    protected String describeSelf() {
        return "(" + weight.cols() + " -> " + weight.rows() + (bias == null ? ", no bias)" : ")");
    }
}
