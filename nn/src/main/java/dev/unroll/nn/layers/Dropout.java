package dev.unroll.nn.layers;

import dev.unroll.autograd.ElementwiseOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Module;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout, as PyTorch's {@code nn.Dropout}: in training mode each element is zeroed
 * with probability p and the survivors scaled by 1 / (1 - p); in evaluation mode
 * ({@link Module#eval()}) the input passes unchanged. Masks come from the layer's own generator.
 */
public class Dropout extends Module implements Layer {

    private final double p;
    private final RandomGenerator rng;

    /**
     * A dropout layer drawing its masks from a generator seeded with {@code seed}.
     *
     * @param p drop probability in [0, 1)
     * @param seed the mask seed
     */
    public Dropout(double p, long seed) {
        this(p, Randomness.seeded(seed));
    }

    /**
     * A dropout layer drawing its masks from {@code rng}.
     *
     * @param p drop probability in [0, 1)
     * @param rng the mask generator
     */
    public Dropout(double p, RandomGenerator rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: probability " + p + " is outside [0, 1)");
        }
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor input) {
        return isTraining() ? ElementwiseOps.dropout(input, p, rng) : input;
    }

    /** @return the drop probability */
    public double probability() {
        return p;
    }

    @Override
    protected String describeSelf() {
        return "(p=" + p + ")";
    }
}
