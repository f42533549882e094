package dev.unroll.train.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.clip.GradClipping;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The data-parallel step trains as one process would, to the bit for the same shards, whatever the timing. */
class DataParallelTest {

    private static final int STEPS = 6;
    private static final int BATCH = 6;

    private static LanguageModel model() {
        return LanguageModel.lstm(7, 5, 8, 2, 42);
    }

    /** tokens[t][b] of {@code batch} random sequences of 5 steps, the same for a seed. */
    private static int[][] tokens(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] t = new int[5][BATCH];
        for (int[] row : t) {
            for (int b = 0; b < BATCH; b++) {
                row[b] = rng.nextInt(7);
            }
        }
        return t;
    }

    private static ShardLoss<LanguageModel> loss(int[][] x, int[][] y) {
        return (replica, shard, shards) -> {
            int[][] xs = Shards.columns(x, shard, shards);
            int[][] ys = Shards.columns(y, shard, shards);
            return new ShardLoss.Result(replica.loss(xs, ys, null, Reduction.SUM).loss(), xs.length * xs[0].length);
        };
    }

    private static List<double[][]> parameters(LanguageModel m) {
        List<double[][]> out = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            out.add(p.toArray());
        }
        return out;
    }

    /** Trains STEPS Adam steps with clipping through the engine and returns the parameters and losses. */
    private static List<double[][]> trainParallel(int shards, DType dtype, double[] losses) {
        LanguageModel model = model();
        model.to(dtype);
        Adam adam = new Adam(model, 0.05);
        try (DataParallel<LanguageModel> parallel = DataParallel.onThreads(model, DataParallelTest::model, shards)) {
            for (int step = 0; step < STEPS; step++) {
                model.zeroGrad();
                losses[step] = parallel.step(loss(tokens(step), tokens(100 + step)));
                GradClipping.clipGradNorm(model.parameters(), 1);
                adam.step();
            }
        }
        return parameters(model);
    }

    /** The same training in one process: the mean loss over the whole batch, one backward. */
    private static List<double[][]> trainAlone(double[] losses) {
        LanguageModel model = model();
        Adam adam = new Adam(model, 0.05);
        for (int step = 0; step < STEPS; step++) {
            model.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor l = model.loss(tokens(step), tokens(100 + step), null, Reduction.MEAN).loss();
                tape.backward(l);
                losses[step] = l.item();
            }
            GradClipping.clipGradNorm(model.parameters(), 1);
            adam.step();
        }
        return parameters(model);
    }

    @Test
    void twoShardsTrainAsOneProcessOnTheWholeBatch() {
        double[] parallel = new double[STEPS];
        double[] alone = new double[STEPS];
        List<double[][]> a = trainParallel(2, DType.F64, parallel);
        List<double[][]> b = trainAlone(alone);
        for (int step = 0; step < STEPS; step++) {
            assertEquals(alone[step], parallel[step], 1e-12 * alone[step], "mean loss at step " + step);
        }
        for (int i = 0; i < a.size(); i++) {
            for (int r = 0; r < a.get(i).length; r++) {
                assertArrayEquals(b.get(i)[r], a.get(i)[r], 1e-10, "parameter " + i + " row " + r);
            }
        }
        assertTrue(alone[STEPS - 1] < alone[0], "the model learned");
    }

    @Test
    void theSameShardsGiveTheSameBitsEveryRunAndFloat32Works() {
        for (DType dtype : new DType[] {DType.F64, DType.F32}) {
            List<double[][]> first = trainParallel(3, dtype, new double[STEPS]);
            List<double[][]> second = trainParallel(3, dtype, new double[STEPS]);
            for (int i = 0; i < first.size(); i++) {
                for (int r = 0; r < first.get(i).length; r++) {
                    assertArrayEquals(first.get(i)[r], second.get(i)[r], 0.0, dtype + " parameter " + i);
                }
            }
        }
    }

    @Test
    void aFailingShardFailsTheStepAndLeavesTheModelsGradientsAlone() {
        LanguageModel model = model();
        try (DataParallel<LanguageModel> parallel = DataParallel.onThreads(model, DataParallelTest::model, 2)) {
            ShardLoss<LanguageModel> good = loss(tokens(1), tokens(2));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> parallel.step((r, shard, n) -> {
                if (shard == 1) {
                    throw new IllegalArgumentException("bad batch");
                }
                return good.compute(r, shard, n);
            }));
            assertTrue(e.getMessage().contains("shard 1") && e.getMessage().contains("bad batch"), e.getMessage());
            for (Parameter p : model.parameters()) {
                assertNull(p.grad(), "nothing reached the model");
            }
            assertTrue(parallel.step(good) > 0, "the engine still works after a failed step");
        }
    }

    @Test
    void shardsCoverTheBatchOnceInNearlyEqualParts() {
        assertArrayEquals(new int[] {0, 2}, Shards.range(7, 0, 3));
        assertArrayEquals(new int[] {2, 4}, Shards.range(7, 1, 3));
        assertArrayEquals(new int[] {4, 7}, Shards.range(7, 2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shards.range(2, 0, 3));
        assertTrue(e.getMessage().contains("shards <= batch"), e.getMessage());
    }

    @Test
    void aFactoryThatReturnsTheModelItselfIsRefused() {
        LanguageModel model = model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataParallel.onThreads(model, () -> model, 2));
        assertTrue(e.getMessage().contains("new replica"), e.getMessage());
    }
}
