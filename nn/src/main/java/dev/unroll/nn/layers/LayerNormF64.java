package dev.unroll.nn.layers;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Storage;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import java.util.Arrays;

/**
 * The float64 forward and backward of {@link LayerNorm}'s op (the float32 twin is derived by the
 * build): y = (x - mean) / sqrt(var + eps) * weight + bias over each row. With n = (x - mean) *
 * rstd and s = dL/dy * weight, dL/dx = rstd (s - mean(s) - n mean(s n)), dL/dweight = sum over
 * rows of dL/dy * n, dL/dbias = sum over rows of dL/dy.
 */
final class LayerNormF64 {

    private LayerNormF64() {
    }

    static Tensor forward(Tensor x, Tensor weight, Tensor bias, double eps) {
        int rows = x.rows();
        int features = x.cols();
        double[] xv = x.data();
        double[] normalized = Storage.scratch(xv.length);
        double[] rstd = Storage.scratch(rows);
        Tensor out = Tensor.empty(DType.F64, rows, features);
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
            rstd[r] = (double) (1 / Math.sqrt(var / features + eps));
            for (int c = 0; c < features; c++) {
                normalized[base + c] = (xv[base + c] - mean) * rstd[r];
                o[base + c] = weight == null ? normalized[base + c]
                        : normalized[base + c] * weight.data()[c] + bias.data()[c];
            }
        }
        return Tape.record("layerNorm", out, Arrays.asList(x, weight, bias), () -> {
            double[] g = out.gradData();
            double[] gx = x.requiresGrad() ? x.gradData() : null;
            double[] gw = weight != null && weight.requiresGrad() ? weight.gradData() : null;
            double[] gb = bias != null && bias.requiresGrad() ? bias.gradData() : null;
            double[] scaled = new double[features];
            for (int r = 0; r < rows; r++) {
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
        });
    }
}
