package dev.unroll.nn.layers;

import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

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
        int rows = x.rows();
        double[] xv = x.data();
        double[] normalized = Tape.scratch(xv.length);
        double[] rstd = new double[rows];
        Tensor out = Tensor.zeros(rows, features);
        double[] o = out.data();
        for (int r = 0; r < rows; r++) {
            int base = r * features;
            double mean = 0;
            for (int c = 0; c < features; c++) {
                mean += xv[base + c];
            }
            mean /= features;
            double var = 0;
            for (int c = 0; c < features; c++) {
                double d = xv[base + c] - mean;
                var += d * d;
            }
            rstd[r] = 1.0 / Math.sqrt(var / features + eps);
            for (int c = 0; c < features; c++) {
                normalized[base + c] = (xv[base + c] - mean) * rstd[r];
                o[base + c] = weight == null ? normalized[base + c]
                        : normalized[base + c] * weight.data()[c] + bias.data()[c];
            }
        }
        Tape tape = weight == null ? Tape.recording(x) : Tape.recording(x, weight, bias);
        if (tape != null) {
            List<Tensor> inputs = new ArrayList<>(List.of(x));
            if (weight != null) {
                inputs.add(weight);
                inputs.add(bias);
            }
            tape.add("layerNorm", out, inputs, g -> backward(g.data, x, normalized, rstd));
        }
        return out;
    }

    private void backward(double[] g, Tensor x, double[] normalized, double[] rstd) {
        double[] gx = x.requiresGrad() ? x.gradBuffer().data : null;
        double[] gw = weight != null && weight.requiresGrad() ? weight.gradBuffer().data : null;
        double[] gb = bias != null && bias.requiresGrad() ? bias.gradBuffer().data : null;
        double[] scaled = new double[features];
        for (int r = 0; r < rstd.length; r++) {
            int base = r * features;
            double meanG = 0;
            double meanGx = 0;
            for (int c = 0; c < features; c++) {
                double dy = g[base + c];
                if (gw != null) {
                    gw[c] += dy * normalized[base + c];
                }
                if (gb != null) {
                    gb[c] += dy;
                }
                scaled[c] = weight == null ? dy : dy * weight.data()[c];
                meanG += scaled[c];
                meanGx += scaled[c] * normalized[base + c];
            }
            if (gx == null) {
                continue;
            }
            meanG /= features;
            meanGx /= features;
            for (int c = 0; c < features; c++) {
                gx[base + c] += rstd[r] * (scaled[c] - meanG - normalized[base + c] * meanGx);
            }
        }
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
