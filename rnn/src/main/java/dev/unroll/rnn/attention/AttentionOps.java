package dev.unroll.rnn.attention;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Tensor;
import java.util.List;

/**
 * The two batched reductions attention is made of, each one fused op: the dot product of a query
 * with every position of a set, and the weighted sum of a set. A set is a list of batch x d
 * tensors, one per position. Checked here; forward and backward are side by side in
 * {@code AttentionF64} (the float32 twin is derived by the build).
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
        Tensor[] set = checkPrecision("dotScores", query, keys);
        return query.isF32() ? AttentionF32.dotScores(query, set) : AttentionF64.dotScores(query, set);
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
        Tensor[] set = checkPrecision("weightedSum", weights, values);
        return weights.isF32() ? AttentionF32.weightedSum(weights, set) : AttentionF64.weightedSum(weights, set);
    }

    /** @return the set as an array (so later changes to the list redirect no gradient), all of one precision */
    private static Tensor[] checkPrecision(String op, Tensor first, List<Tensor> set) {
        Tensor[] copy = set.toArray(new Tensor[0]);
        for (Tensor t : copy) {
            DType.common(op, first, t);
        }
        return copy;
    }
}
