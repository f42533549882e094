package dev.unroll.rnn.attention;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import java.util.Arrays;

/**
 * The float64 forward and backward of {@link AttentionOps} (the float32 twin is derived by the
 * build). The set is an array of batch x d tensors, checked by {@link AttentionOps}.
 */
final class AttentionF64 {

    private AttentionF64() {
    }

    /** s[b][n] = q[b] . k_n[b]; dL/dq[b] = sum_n dL/ds[b][n] k_n[b], dL/dk_n[b] = dL/ds[b][n] q[b]. */
    static Tensor dotScores(Tensor query, Tensor[] keys) {
        int batch = query.rows();
        int d = query.cols();
        int n = keys.length;
        Tensor out = Tensor.empty(DType.F64, batch, n);
        double[] q = query.data();
        double[] o = out.data();
        for (int p = 0; p < n; p++) {
            double[] k = keys[p].data();
            for (int b = 0; b < batch; b++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += q[b * d + j] * k[b * d + j];
                }
                o[b * n + p] = s;
            }
        }
        Tensor[] inputs = Arrays.copyOf(keys, n + 1);
        inputs[n] = query;
        return Tape.record("dotScores", out, Arrays.asList(inputs), () -> {
            double[] g = out.gradData();
            double[] gq = query.requiresGrad() ? query.gradData() : null;
            for (int p = 0; p < n; p++) {
                Tensor key = keys[p];
                double[] k = key.data();
                double[] gk = key.requiresGrad() ? key.gradData() : null;
                for (int b = 0; b < batch; b++) {
                    double gs = g[b * n + p];
                    for (int j = 0; j < d; j++) {
                        if (gq != null) {
                            gq[b * d + j] += gs * k[b * d + j];
                        }
                        if (gk != null) {
                            gk[b * d + j] += gs * q[b * d + j];
                        }
                    }
                }
            }
        });
    }

    /** c[b] = sum_n w[b][n] v_n[b]; dL/dw[b][n] = dL/dc[b] . v_n[b], dL/dv_n[b] = w[b][n] dL/dc[b]. */
    static Tensor weightedSum(Tensor weights, Tensor[] values) {
        int batch = weights.rows();
        int n = values.length;
        int d = values[0].cols();
        Tensor out = Tensor.zeros(DType.F64, batch, d);
        double[] w = weights.data();
        double[] o = out.data();
        for (int p = 0; p < n; p++) {
            double[] v = values[p].data();
            for (int b = 0; b < batch; b++) {
                double wp = w[b * n + p];
                for (int j = 0; j < d; j++) {
                    o[b * d + j] += wp * v[b * d + j];
                }
            }
        }
        Tensor[] inputs = Arrays.copyOf(values, n + 1);
        inputs[n] = weights;
        return Tape.record("weightedSum", out, Arrays.asList(inputs), () -> {
            double[] g = out.gradData();
            double[] gw = weights.requiresGrad() ? weights.gradData() : null;
            for (int p = 0; p < n; p++) {
                Tensor value = values[p];
                double[] v = value.data();
                double[] gv = value.requiresGrad() ? value.gradData() : null;
                for (int b = 0; b < batch; b++) {
                    double dot = 0;
                    double wp = w[b * n + p];
                    for (int j = 0; j < d; j++) {
                        double gj = g[b * d + j];
                        dot += gj * v[b * d + j];
                        if (gv != null) {
                            gv[b * d + j] += wp * gj;
                        }
                    }
                    if (gw != null) {
                        gw[b * n + p] += dot;
                    }
                }
            }
        });
    }
}
