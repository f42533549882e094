package dev.unroll.rnn.attention;

import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The two batched reductions attention is made of, each one fused op: the dot product of a query
 * with every position of a set, and the weighted sum of a set. A set is a list of batch x d
 * tensors, one per position.
 */
public final class AttentionOps {

    private AttentionOps() {
    }

    private static void checkSet(String op, Tensor first, List<Tensor> set) {
        if (set.isEmpty()) {
            throw new IllegalArgumentException(op + ": the set is empty; attend over at least one position");
        }
        for (int n = 0; n < set.size(); n++) {
            if (!set.get(n).sameShape(set.get(0)) || set.get(n).rows() != first.rows()) {
                throw new IllegalArgumentException(op + ": position " + n + " is " + set.get(n).shape()
                        + " but every position must be " + first.rows() + "x" + set.get(0).cols());
            }
        }
    }

    /**
     * Dot products of each row of the query with the same row of every position:
     * s[b][n] = sum_j q[b][j] k_n[b][j]. Gradient: dL/dq[b] = sum_n dL/ds[b][n] k_n[b],
     * dL/dk_n[b] = dL/ds[b][n] q[b].
     *
     * @param query batch x d
     * @param keys one batch x d tensor per position
     * @return batch x positions
     */
    public static Tensor dotScores(Tensor query, List<Tensor> keys) {
        checkSet("dotScores", query, keys);
        if (keys.get(0).cols() != query.cols()) {
            throw new IllegalArgumentException("dotScores: query " + query.shape() + " and keys " + keys.get(0).shape()
                    + " differ in width");
        }
        int batch = query.rows();
        int d = query.cols();
        int n = keys.size();
        Tensor out = Tensor.zeros(batch, n);
        double[] q = query.data();
        for (int p = 0; p < n; p++) {
            double[] k = keys.get(p).data();
            for (int b = 0; b < batch; b++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += q[b * d + j] * k[b * d + j];
                }
                out.data()[b * n + p] = s;
            }
        }
        List<Tensor> inputs = new ArrayList<>(keys);
        inputs.add(query);
        Tape tape = Tape.recording(inputs);
        if (tape != null) {
            tape.add("dotScores", out, inputs, g -> {
                double[] gq = query.requiresGrad() ? query.gradBuffer().data : null;
                for (int p = 0; p < n; p++) {
                    Tensor key = keys.get(p);
                    double[] k = key.data();
                    double[] gk = key.requiresGrad() ? key.gradBuffer().data : null;
                    for (int b = 0; b < batch; b++) {
                        double gs = g.data[b * n + p];
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
        return out;
    }

    /**
     * The weighted sum of a set: c[b] = sum_n w[b][n] v_n[b]. Gradient:
     * dL/dw[b][n] = dL/dc[b] . v_n[b], dL/dv_n[b] = w[b][n] dL/dc[b].
     *
     * @param weights batch x positions (e.g. attention weights)
     * @param values one batch x d tensor per position
     * @return batch x d
     */
    public static Tensor weightedSum(Tensor weights, List<Tensor> values) {
        checkSet("weightedSum", weights, values);
        if (weights.cols() != values.size()) {
            throw new IllegalArgumentException("weightedSum: " + weights.cols() + " weights per row for "
                    + values.size() + " positions");
        }
        int batch = weights.rows();
        int n = values.size();
        int d = values.get(0).cols();
        Tensor out = Tensor.zeros(batch, d);
        double[] w = weights.data();
        double[] o = out.data();
        for (int p = 0; p < n; p++) {
            double[] v = values.get(p).data();
            for (int b = 0; b < batch; b++) {
                double wp = w[b * n + p];
                for (int j = 0; j < d; j++) {
                    o[b * d + j] += wp * v[b * d + j];
                }
            }
        }
        List<Tensor> inputs = new ArrayList<>(values);
        inputs.add(weights);
        Tape tape = Tape.recording(inputs);
        if (tape != null) {
            tape.add("weightedSum", out, inputs, g -> {
                double[] gw = weights.requiresGrad() ? weights.gradBuffer().data : null;
                for (int p = 0; p < n; p++) {
                    Tensor value = values.get(p);
                    double[] v = value.data();
                    double[] gv = value.requiresGrad() ? value.gradBuffer().data : null;
                    for (int b = 0; b < batch; b++) {
                        double dot = 0;
                        double wp = w[b * n + p];
                        for (int j = 0; j < d; j++) {
                            double gj = g.data[b * d + j];
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
        return out;
    }
}
