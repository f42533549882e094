package dev.unroll.rnn.attention;

import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.layers.Linear;
import dev.unroll.autograd.Randomness;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * Attention of a query over a set of vectors: scores per position, a softmax over the positions
 * (padded positions masked out), and the context vector, the weights' average of the values.
 * <ul>
 * <li>{@link Kind#ADDITIVE} (Bahdanau): score_n = v^T tanh(W_q q + W_k k_n); parameters
 * {@code query.weight} (A x dq), {@code key.weight} (A x dk), {@code score.weight} (1 x A).</li>
 * <li>{@link Kind#DOT}: score_n = q . k_n, and {@link Kind#SCALED_DOT}: q . k_n / sqrt(d);
 * no parameters (the query and keys must have the same width).</li>
 * </ul>
 * The weights are returned with the context so they can be inspected or plotted.
 */
public class Attention extends Module {

    /** How scores are computed. */
    public enum Kind {
        /** Bahdanau's additive attention. */
        ADDITIVE,
        /** Dot product. */
        DOT,
        /** Dot product divided by sqrt(width). */
        SCALED_DOT
    }

    private static final double MASKED = -1e30;

    private final Kind kind;
    private final Linear query;
    private final Linear key;
    private final Parameter score;

    /**
     * Dot-product attention (no parameters).
     *
     * @param scaled whether to divide by sqrt(width)
     * @return the module
     */
    public static Attention dot(boolean scaled) {
        return new Attention(scaled ? Kind.SCALED_DOT : Kind.DOT, 0, 0, 0, null);
    }

    /**
     * Additive (Bahdanau) attention.
     *
     * @param queryWidth dq
     * @param keyWidth dk
     * @param attentionWidth A, the width of the hidden scoring layer
     * @param seed initialisation seed
     * @return the module
     */
    public static Attention additive(int queryWidth, int keyWidth, int attentionWidth, long seed) {
        return new Attention(Kind.ADDITIVE, queryWidth, keyWidth, attentionWidth, Randomness.seeded(seed));
    }

    private Attention(Kind kind, int queryWidth, int keyWidth, int attentionWidth, RandomGenerator rng) {
        this.kind = kind;
        if (kind == Kind.ADDITIVE) {
            query = registerModule("query", new Linear(queryWidth, attentionWidth, false, rng));
            key = registerModule("key", new Linear(keyWidth, attentionWidth, false, rng));
            score = registerModule("score", new Linear(attentionWidth, 1, false, rng)).weight();
        } else {
            query = null;
            key = null;
            score = null;
        }
    }

    /**
     * Precomputes what depends only on the set (the key projections of additive attention), once
     * per sequence rather than once per decoder step.
     *
     * @param keys one batch x dk tensor per position
     * @return the prepared keys
     */
    public Keys prepare(List<Tensor> keys) {
        if (kind != Kind.ADDITIVE) {
            return new Keys(keys, keys);
        }
        int batch = keys.get(0).rows();
        Tensor projected = key.forward(keys.size() == 1 ? keys.get(0) : ShapeOps.concatRows(keys));
        List<Tensor> parts = new ArrayList<>(keys.size());
        for (int n = 0; n < keys.size(); n++) {
            parts.add(keys.size() == 1 ? projected : projected.sliceRows(n * batch, (n + 1) * batch));
        }
        return new Keys(keys, parts);
    }

    /**
     * Attends over a set.
     *
     * @param q the query, batch x dq (e.g. the decoder's previous hidden state)
     * @param keys the prepared keys
     * @param values one batch x dv tensor per position (often the keys themselves)
     * @param valid valid[b][n] says whether position n exists for sequence b, or {@code null} when all do
     * @return the context (batch x dv) and the weights (batch x positions, rows summing to 1)
     */
    public Result attend(Tensor q, Keys keys, List<Tensor> values, boolean[][] valid) {
        if (values.size() != keys.raw().size()) {
            throw new IllegalArgumentException("Attention: " + values.size() + " values for " + keys.raw().size()
                    + " keys; give one value per position");
        }
        Tensor scores;
        if (kind == Kind.ADDITIVE) {
            Tensor qp = query.forward(q);
            List<Tensor> columns = new ArrayList<>(values.size());
            for (Tensor kp : keys.projected()) {
                columns.add(MatrixOps.linear(qp.add(kp).tanh(), score, null));
            }
            scores = columns.size() == 1 ? columns.get(0) : ShapeOps.concatCols(columns);
        } else {
            scores = AttentionOps.dotScores(q, keys.projected());
            if (kind == Kind.SCALED_DOT) {
                scores = scores.scale(1.0 / Math.sqrt(q.cols()));
            }
        }
        if (valid != null) {
            scores = scores.add(maskBias(valid, scores.rows(), scores.cols()).to(scores.dtype()));
        }
        Tensor weights = scores.softmax();
        return new Result(AttentionOps.weightedSum(weights, values), weights);
    }

    private static Tensor maskBias(boolean[][] valid, int batch, int positions) {
        if (valid.length != batch) {
            throw new IllegalArgumentException("Attention: mask has " + valid.length + " rows for a batch of " + batch);
        }
        DMatrixRMaj bias = new DMatrixRMaj(batch, positions);
        for (int b = 0; b < batch; b++) {
            boolean any = false;
            for (int n = 0; n < positions; n++) {
                any |= valid[b][n];
                bias.data[b * positions + n] = valid[b][n] ? 0.0 : MASKED;
            }
            if (!any) {
                throw new IllegalArgumentException("Attention: sequence " + b + " has no valid position to attend to");
            }
        }
        return new Tensor(bias);
    }

    /**
     * Validity masks from lengths: position n of sequence b exists when n &lt; lengths[b].
     *
     * @param lengths each set's size
     * @param positions the padded size
     * @return valid[b][n]
     */
    public static boolean[][] validFromLengths(int[] lengths, int positions) {
        boolean[][] valid = new boolean[lengths.length][positions];
        for (int b = 0; b < lengths.length; b++) {
            for (int n = 0; n < Math.min(lengths[b], positions); n++) {
                valid[b][n] = true;
            }
        }
        return valid;
    }

    /** @return the query width dq of additive attention, or 0 for dot products (any width equal to the keys') */
    public int queryWidth() {
        return query == null ? 0 : query.weight().cols();
    }

    /** @return the key width dk of additive attention, or 0 for dot products (any width equal to the query's) */
    public int keyWidth() {
        return key == null ? 0 : key.weight().cols();
    }

    /** @return how scores are computed */
    public Kind kind() {
        return kind;
    }

    @Override
    protected String describeSelf() {
        return "(" + kind + ")";
    }

    /**
     * A set prepared for attention.
     *
     * @param raw the keys as given
     * @param projected what scores are computed from (W_k k_n for additive attention, else the keys)
     */
    public record Keys(List<Tensor> raw, List<Tensor> projected) {
    }

    /**
     * The outcome of one attention step.
     *
     * @param context batch x dv, the weighted average of the values
     * @param weights batch x positions, a distribution over positions per row
     */
    public record Result(Tensor context, Tensor weights) {
    }
}
