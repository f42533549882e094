package dev.unroll.guide.op;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Storage;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;

/**
 * The example op of the guide {@link dev.unroll.guide.op}: softplus(x) = log(1 + e^x), a smooth
 * relu, written end to end with the public recording API.
 */
public final class Softplus {

    private Softplus() {
    }

    /**
     * softplus(x) elementwise, in x's precision. Gradient: dL/dx = dL/dout * sigmoid(x).
     *
     * @param x any tensor
     * @return log(1 + e^x), the shape of x
     */
    // guide:begin
    public static Tensor softplus(Tensor x) {
        if (x.dtype() == DType.F32) {
            return softplus(x.to(DType.F64)).to(DType.F32);   // float32 through the float64 op: to() is differentiable
        }
        int n = x.size();
        double[] v = x.data();
        Tensor out = Tensor.empty(DType.F64, x.rows(), x.cols());   // not zeroed: the loop writes every element
        double[] o = out.data();
        double[] slope = Storage.scratch(n);   // kept for backward; a cleared tape recycles it
        for (int i = 0; i < n; i++) {
            double e = Math.exp(-Math.abs(v[i]));   // at most 1: never overflows
            o[i] = Math.max(v[i], 0) + Math.log1p(e);
            slope[i] = v[i] >= 0 ? 1 / (1 + e) : e / (1 + e);   // sigmoid(x), from the same exponential
        }
        return Tape.record("softplus", out, x, () -> {
            double[] g = out.gradData();   // dL/dout: read it, never change it
            double[] gx = x.gradData();    // dL/dx: add into it, never assign
            for (int i = 0; i < n; i++) {
                gx[i] += g[i] * slope[i];
            }
        });
    }
    // guide:end
}
