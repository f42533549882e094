package dev.unroll.nn.layers;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;

/**
 * Layer normalisation over the features of each row, as PyTorch's {@code nn.LayerNorm(features)}:
 * y = (x - mean) / sqrt(var + eps) * weight + bias, with the biased variance of the row.
 * {@code weight} (ones) and {@code bias} (zeros) are 1 x features parameters unless the affine
 * part is switched off.
 *
 * <p>One fused op. With x^ the normalised row and r = 1 / sqrt(var + eps), its gradient is
 * dL/dx = r (g - mean(g) - x^ mean(g x^)) where g = dL/dy * weight, dL/dweight = sum over rows of
 * dL/dy x^, dL/dbias = sum over rows of dL/dy.
 */
public class LayerNorm extends Module implements Layer {

    private final int features;
    private final double eps;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * Layer normalisation with eps 1e-5 and a learned affine part.
     *
     * @param features the number of columns normalised together
     */
    public LayerNorm(int features) {
        this(features, 1e-5, true);
    }

    /**
     * Layer normalisation.
     *
     * @param features the number of columns normalised together
     * @param eps added to the variance for stability
     * @param affine whether to learn a per-feature scale and shift
     */
    public LayerNorm(int features, double eps, boolean affine) {
        if (features <= 0 || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm: features " + features + " must be positive and eps "
                    + eps + " greater than 0");
        }
        this.features = features;
        this.eps = eps;
        this.weight = affine ? registerParameter("weight", Parameter.vector(Tensor.ones(1, features))) : null;
        this.bias = affine ? registerParameter("bias", Parameter.vector(Tensor.zeros(1, features))) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.cols() != features) {
            throw new IllegalArgumentException("LayerNorm: input " + x.shape() + " has " + x.cols()
                    + " features but the layer normalises " + features);
        }
        if (weight != null) {
            DType.common("layerNorm", x, weight);
        }
        return x.isF32() ? LayerNormF32.forward(x, weight, bias, (float) eps) : LayerNormF64.forward(x, weight, bias, eps);
    }

    /** @return the per-feature scale, 1 x features, or {@code null} without affine part */
    public Parameter weight() {
        return weight;
    }

    /** @return the per-feature shift, 1 x features, or {@code null} without affine part */
    public Parameter bias() {
        return bias;
    }

    @Override
    protected String describeSelf() {
        return "(" + features + ", eps=" + eps + ")";
    }
}
