package dev.unroll.spark;

import dev.unroll.autograd.Reduction;
import dev.unroll.nn.Parameter;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.train.parallel.ShardLoss;
import dev.unroll.train.parallel.Shards;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The small language model and batches the tests train, and helpers to compare what they trained. */
final class Training {

    static final int BATCH = 6;
    static final int LENGTH = 5;
    static final int VOCABULARY = 7;

    private Training() {
    }

    static LanguageModel model() {
        return LanguageModel.lstm(VOCABULARY, 5, 8, 2, 42);
    }

    /**
     * tokens[t][b] of BATCH sequences of LENGTH steps counting up modulo the vocabulary from a
     * random start (the same for a seed), shifted by {@code offset}: the targets (offset 1) follow
     * the inputs (offset 0), so the model has something to learn.
     */
    static int[][] tokens(long seed, int offset) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] t = new int[LENGTH][BATCH];
        for (int b = 0; b < BATCH; b++) {
            int start = rng.nextInt(VOCABULARY);
            for (int step = 0; step < LENGTH; step++) {
                t[step][b] = (start + step + offset) % VOCABULARY;
            }
        }
        return t;
    }

    static int[][] inputs(int step) {
        return tokens(step, 0);
    }

    static int[][] targets(int step) {
        return tokens(step, 1);
    }

    /** The thread engine's loss of step {@code step}: the shard's columns of the batch, summed. */
    static ShardLoss<LanguageModel> loss(int step) {
        int[][] x = inputs(step);
        int[][] y = targets(step);
        return (replica, shard, shards) -> {
            int[][] xs = Shards.columns(x, shard, shards);
            int[][] ys = Shards.columns(y, shard, shards);
            return new ShardLoss.Result(replica.loss(xs, ys, null, Reduction.SUM).loss(), xs.length * xs[0].length);
        };
    }

    static List<double[]> parameters(LanguageModel m) {
        List<double[]> out = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            double[][] rows = p.toArray();
            double[] flat = new double[p.size()];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(rows[r], 0, flat, r * rows[r].length, rows[r].length);
            }
            out.add(flat);
        }
        return out;
    }

    /** @return the largest |a - b| over a parameter, relative to the largest |b| of that parameter */
    static double largestRelativeDifference(List<double[]> a, List<double[]> b) {
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            double diff = 0;
            double scale = 0;
            for (int k = 0; k < a.get(i).length; k++) {
                diff = Math.max(diff, Math.abs(a.get(i)[k] - b.get(i)[k]));
                scale = Math.max(scale, Math.abs(b.get(i)[k]));
            }
            worst = Math.max(worst, diff / scale);
        }
        return worst;
    }
}
