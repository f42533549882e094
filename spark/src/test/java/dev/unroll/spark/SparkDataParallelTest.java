package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.clip.GradClipping;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.train.parallel.DataParallel;
import dev.unroll.train.parallel.ParameterValues;
import dev.unroll.train.parallel.ShardGradients;
import dev.unroll.train.parallel.ShardLoss;
import dev.unroll.train.parallel.Shards;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark step trains as the thread engine and a sequential loop over the same shards do, to the bit. */
class SparkDataParallelTest {

    private static final int TRAINING_STEPS = 5;

    /** One engine's way of adding step {@code step}'s mean gradient into the model's gradients. */
    private interface Engine {
        double step(int step);
    }

    /** Trains with Adam and clipping, each step's gradient from {@code engine}; returns the parameters. */
    private static List<double[]> train(LanguageModel model, Adam adam, Engine engine, int from, int to, double[] losses) {
        for (int step = from; step < to; step++) {
            model.zeroGrad();
            losses[step] = engine.step(step);
            GradClipping.clipGradNorm(model.parameters(), 1);
            adam.step();
        }
        return Training.parameters(model);
    }

    private static LanguageModel model(DType dtype) {
        LanguageModel m = Training.model();
        m.to(dtype);
        return m;
    }

    /** The shards one after the other in this thread, each on a fresh replica, summed in shard order. */
    private static double sequential(LanguageModel model, int shards, int step) {
        ParameterValues values = ParameterValues.of(model);
        ShardGradients total = null;
        for (int s = 0; s < shards; s++) {
            LanguageModel replica = model(model.dtype());
            values.copyInto(replica);
            try (Tape tape = Tape.record()) {
                ShardLoss.Result r = Training.loss(step).compute(replica, s, shards);
                tape.backward(r.lossSum());
                ShardGradients g = ShardGradients.of(replica, r.lossSum().item(), r.count());
                total = total == null ? g : total.add(g);
            }
        }
        total.addMeanTo(model);
        return total.meanLoss();
    }

    /**
     * Each shard's data in its own partition: partition s holds, for every step, shard s's columns
     * of that step's inputs and targets.
     */
    private static JavaRDD<int[][][]> shardData(int shards) {
        List<int[][][]> elements = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            for (int step = 0; step < TRAINING_STEPS; step++) {
                elements.add(new int[][][] {Shards.columns(Training.inputs(step), s, shards),
                    Shards.columns(Training.targets(step), s, shards)});
            }
        }
        return LocalSpark.context().parallelize(elements, shards).cache();
    }

    private static PartitionLoss<LanguageModel, int[][][]> partitionLoss(int step) {
        return (replica, partition) -> {
            int[][][] xy = partition.data().get(step);
            return new ShardLoss.Result(replica.loss(xy[0], xy[1], null, Reduction.SUM).loss(),
                    xy[0].length * xy[0][0].length);
        };
    }

    private static void assertSameBits(List<double[]> expected, List<double[]> actual, String what) {
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), 0.0, what + ": parameter " + i);
        }
    }

    @Test
    void inPartitionOrderSparkGivesTheBitsOfTheThreadsAndOfASequentialLoop() {
        int shards = 3;
        for (DType dtype : new DType[] {DType.F64, DType.F32}) {
            double[] sparkLosses = new double[TRAINING_STEPS];
            double[] dataLosses = new double[TRAINING_STEPS];
            double[] threadLosses = new double[TRAINING_STEPS];
            double[] loopLosses = new double[TRAINING_STEPS];
            LanguageModel a = model(dtype);
            List<double[]> spark;
            try (SparkDataParallel<LanguageModel, Integer> engine = SparkDataParallel.onPartitions(LocalSpark.context(), a,
                    Training::model, shards)) {
                spark = train(a, new Adam(a, 0.05), n -> engine.step(PartitionLoss.of(Training.loss(n))), 0,
                        TRAINING_STEPS, sparkLosses);
            }
            LanguageModel b = model(dtype);
            List<double[]> data;
            try (SparkDataParallel<LanguageModel, int[][][]> engine = SparkDataParallel.over(shardData(shards), b,
                    Training::model)) {
                data = train(b, new Adam(b, 0.05), n -> engine.step(partitionLoss(n)), 0, TRAINING_STEPS, dataLosses);
            }
            LanguageModel c = model(dtype);
            List<double[]> threads;
            try (DataParallel<LanguageModel> engine = DataParallel.onThreads(c, Training::model, shards)) {
                threads = train(c, new Adam(c, 0.05), n -> engine.step(Training.loss(n)), 0, TRAINING_STEPS, threadLosses);
            }
            LanguageModel d = model(dtype);
            List<double[]> loop = train(d, new Adam(d, 0.05), n -> sequential(d, shards, n), 0, TRAINING_STEPS, loopLosses);

            assertSameBits(loop, spark, dtype + " Spark against the loop");
            assertSameBits(loop, data, dtype + " Spark with the data in the partitions against the loop");
            assertSameBits(loop, threads, dtype + " threads against the loop");
            assertArrayEquals(loopLosses, sparkLosses, 0.0, dtype + " losses");
            assertArrayEquals(loopLosses, dataLosses, 0.0, dtype + " losses, data in the partitions");
            assertTrue(loopLosses[TRAINING_STEPS - 1] < 0.95 * loopLosses[0], dtype + " the model learned: "
                    + loopLosses[0] + " -> " + loopLosses[TRAINING_STEPS - 1]);
        }
    }

    @Test
    void inATreeSparkIsWithinOneInATrillionOfTheLoop() {
        int shards = 4;
        LanguageModel a = Training.model();
        List<double[]> tree;
        try (SparkDataParallel<LanguageModel, Integer> engine = SparkDataParallel.onPartitions(LocalSpark.context(), a,
                Training::model, shards)) {
            tree = train(a, new Adam(a, 0.05), n -> engine.step(PartitionLoss.of(Training.loss(n)), Summation.TREE), 0,
                    TRAINING_STEPS, new double[TRAINING_STEPS]);
        }
        LanguageModel b = Training.model();
        List<double[]> loop = train(b, new Adam(b, 0.05), n -> sequential(b, shards, n), 0, TRAINING_STEPS,
                new double[TRAINING_STEPS]);
        List<double[]> untrained = Training.parameters(Training.model());
        assertTrue(Training.largestRelativeDifference(tree, loop) <= 1e-12,
                "tree against loop: " + Training.largestRelativeDifference(tree, loop));
        assertTrue(Training.largestRelativeDifference(untrained, loop) > 1e-3, "the parameters moved");
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheStepIsUnchanged() {
        LanguageModel expected = Training.model();
        sequential(expected, 2, 0);
        LanguageModel model = Training.model();
        ShardLoss<LanguageModel> good = Training.loss(0);
        try (SparkDataParallel<LanguageModel, Integer> engine = SparkDataParallel.onPartitions(LocalSpark.context(), model,
                Training::model, 2)) {
            engine.step((replica, partition) -> {
                if (partition.shard() == 1 && TaskContext.get().attemptNumber() == 0) {
                    throw new IllegalStateException("executor lost mid-step");
                }
                return good.compute(replica, partition.shard(), partition.shards());
            });
        }
        for (Map.Entry<String, Parameter> e : expected.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().grad().toArray()[0], model.namedParameters().get(e.getKey()).grad().toArray()[0],
                    0.0, e.getKey());
        }
    }

    @Test
    void aShardThatKeepsFailingFailsTheStepAndLeavesTheModelAlone() {
        LanguageModel model = Training.model();
        List<double[]> before = Training.parameters(model);
        ShardLoss<LanguageModel> good = Training.loss(0);
        try (SparkDataParallel<LanguageModel, Integer> engine = SparkDataParallel.onPartitions(LocalSpark.context(), model,
                Training::model, 2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> engine.step((replica, partition) -> {
                if (partition.shard() == 1) {
                    throw new IllegalArgumentException("bad batch");
                }
                return good.compute(replica, partition.shard(), partition.shards());
            }));
            assertTrue(e.getMessage().contains("shard 1 of 2") && e.getMessage().contains("bad batch")
                    && e.getMessage().contains("nothing was changed"), e.getMessage());
            for (Parameter p : model.parameters()) {
                assertNull(p.grad(), "no gradient reached the model");
            }
            assertSameBits(before, Training.parameters(model), "parameters");
            assertTrue(engine.step(PartitionLoss.of(good)) > 0, "the engine still steps after a failed step");
        }
    }

    @Test
    void aResumedRunGivesTheBitsOfAnUninterruptedOne(@TempDir Path dir) throws IOException {
        LanguageModel straight = Training.model();
        List<double[]> uninterrupted;
        try (SparkDataParallel<LanguageModel, Integer> engine = SparkDataParallel.onPartitions(LocalSpark.context(),
                straight, Training::model, 3)) {
            uninterrupted = train(straight, new Adam(straight, 0.05), n -> engine.step(PartitionLoss.of(Training.loss(n))),
                    0, 4, new double[4]);
        }
        Path file = dir.resolve("run.safetensors");
        LanguageModel first = Training.model();
        Adam firstAdam = new Adam(first, 0.05);
        try (SparkDataParallel<LanguageModel, Integer> engine = SparkDataParallel.onPartitions(LocalSpark.context(), first,
                Training::model, 3)) {
            train(first, firstAdam, n -> engine.step(PartitionLoss.of(Training.loss(n))), 0, 2, new double[4]);
        }
        Checkpoint.save(file, first, firstAdam, Map.of());
        LanguageModel resumed = model(DType.F64);
        Adam resumedAdam = new Adam(resumed, 0.05);
        Checkpoint.load(file, resumed, resumedAdam, true);
        List<double[]> after;
        try (SparkDataParallel<LanguageModel, Integer> engine = SparkDataParallel.onPartitions(LocalSpark.context(),
                resumed, Training::model, 3)) {
            after = train(resumed, resumedAdam, n -> engine.step(PartitionLoss.of(Training.loss(n))), 2, 4, new double[4]);
        }
        assertEquals(4, resumedAdam.stepCount());
        assertSameBits(uninterrupted, after, "resumed against uninterrupted");
    }

    @Test
    void badFactoriesAndAClosedEngineAreRefusedWithTheFix() {
        LanguageModel model = Training.model();
        IllegalArgumentException itself = assertThrows(IllegalArgumentException.class,
                () -> SparkDataParallel.onPartitions(LocalSpark.context(), model, () -> model, 2));
        assertTrue(itself.getMessage().contains("not serializable"), itself.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> SparkDataParallel.onPartitions(LocalSpark.context(), model, () -> null, 2));
        assertTrue(none.getMessage().contains("returned null"), none.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> SparkDataParallel.onPartitions(LocalSpark.context(), model, () -> LanguageModel.lstm(7, 5, 9, 2, 42), 2));
        assertTrue(other.getMessage().contains("weight"), other.getMessage());
        SparkDataParallel<LanguageModel, Integer> engine = SparkDataParallel.onPartitions(LocalSpark.context(), model,
                Training::model, 2);
        LanguageModel captured = Training.model();
        IllegalArgumentException unshippable = assertThrows(IllegalArgumentException.class, () -> engine.step(
                (replica, partition) -> Training.loss(0).compute(captured, partition.shard(), partition.shards())));
        assertTrue(unshippable.getMessage().contains("NotSerializableException: dev.unroll.rnn.model.LanguageModel"),
                unshippable.getMessage());
        engine.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class,
                () -> engine.step(PartitionLoss.of(Training.loss(0))));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }
}
