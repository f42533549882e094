package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.clip.GradClipping;
import dev.unroll.nn.optim.Adam;
import dev.unroll.nn.optim.OptimizerState;
import dev.unroll.nn.optim.Sgd;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.train.parallel.ParameterValues;
import dev.unroll.train.parallel.ShardGradients;
import dev.unroll.train.parallel.ShardLoss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameter averaging trains, and a round is the average of K local steps taken by hand. */
class SparkParameterAveragingTest {

    private static final int SHARDS = 3;

    /** Local step k of round r trains on the batch of step r * K + k. */
    private static PartitionLoss<LanguageModel, Integer> loss(int round, int localSteps) {
        return (replica, partition) -> Training.loss(round * localSteps + partition.localStep())
                .compute(replica, partition.shard(), partition.shards());
    }

    private static LocalTraining<LanguageModel> adam(int steps) {
        return new LocalTraining<>(steps, r -> new Adam(r, 0.05), 1);
    }

    private static SparkParameterAveraging<LanguageModel, Integer> engine(LanguageModel model, Adam adam, int steps) {
        return SparkParameterAveraging.onPartitions(LocalSpark.context(), model, adam, Training::model, adam(steps), SHARDS);
    }

    /** The mean loss over the whole batches of steps [0, 6), without recording. */
    private static double loss(LanguageModel model) {
        double sum = 0;
        try (Tape.Paused paused = Tape.pause()) {
            for (int step = 0; step < 6; step++) {
                sum += model.loss(Training.inputs(step), Training.targets(step), null, Reduction.MEAN).loss().item();
            }
        }
        return sum / 6;
    }

    /**
     * One round by hand: every shard in turn on a fresh replica from the model, with an Adam
     * loaded with the driver's state, K steps of its mean gradient clipped to 1; then the model
     * set to the mean of the replicas' parameters, summed in shard order, and the driver's Adam to
     * the mean of their states.
     */
    private static void roundByHand(LanguageModel model, Adam driver, int round, int localSteps) {
        ParameterValues start = ParameterValues.of(model);
        OptimizerState state = driver.state();
        List<LanguageModel> replicas = new ArrayList<>();
        List<OptimizerState> states = new ArrayList<>();
        for (int s = 0; s < SHARDS; s++) {
            LanguageModel replica = Training.model();
            start.copyInto(replica);
            Adam adam = new Adam(replica, 0.05);
            adam.loadState(state);
            for (int k = 0; k < localSteps; k++) {
                replica.zeroGrad();
                ShardGradients g;
                try (Tape tape = Tape.record()) {
                    ShardLoss.Result r = Training.loss(round * localSteps + k).compute(replica, s, SHARDS);
                    tape.backward(r.lossSum());
                    g = ShardGradients.of(replica, r.lossSum().item(), r.count());
                }
                replica.zeroGrad();
                g.addMeanTo(replica);
                GradClipping.clipGradNorm(replica.parameters(), 1);
                adam.step();
            }
            replicas.add(replica);
            states.add(adam.state());
        }
        List<Parameter> params = model.parameters();
        for (int i = 0; i < params.size(); i++) {
            double[] into = params.get(i).data();
            for (int k = 0; k < into.length; k++) {
                double sum = replicas.get(0).parameters().get(i).data()[k];
                for (int s = 1; s < SHARDS; s++) {
                    sum += replicas.get(s).parameters().get(i).data()[k];
                }
                into[k] = sum / SHARDS;
            }
        }
        driver.loadState(meanState(states));
    }

    private static OptimizerState meanState(List<OptimizerState> states) {
        OptimizerState first = states.get(0);
        Map<String, OptimizerState.Buffer> buffers = new java.util.LinkedHashMap<>();
        first.buffers().forEach((key, b) -> {
            double[] mean = b.values().clone();
            for (int k = 0; k < mean.length; k++) {
                for (int s = 1; s < states.size(); s++) {
                    mean[k] += states.get(s).buffers().get(key).values()[k];
                }
                mean[k] /= states.size();
            }
            buffers.put(key, new OptimizerState.Buffer(b.rows(), b.cols(), mean));
        });
        return new OptimizerState(first.type(), first.step(), first.groups(), first.parameterSteps(), buffers);
    }

    private static void assertSameBits(LanguageModel expected, LanguageModel actual) {
        List<double[]> e = Training.parameters(expected);
        List<double[]> a = Training.parameters(actual);
        for (int i = 0; i < e.size(); i++) {
            assertArrayEquals(e.get(i), a.get(i), 0.0, "parameter " + i);
        }
    }

    @Test
    void twoRoundsOfThreeLocalStepsAreTheAverageOfTheStepsTakenByHand() {
        LanguageModel model = Training.model();
        Adam adam = new Adam(model, 0.05);
        LanguageModel byHand = Training.model();
        Adam byHandAdam = new Adam(byHand, 0.05);
        try (SparkParameterAveraging<LanguageModel, Integer> spark = engine(model, adam, 3)) {
            for (int round = 0; round < 2; round++) {
                spark.round(loss(round, 3));
                roundByHand(byHand, byHandAdam, round, 3);
            }
        }
        assertSameBits(byHand, model);
        assertEquals(6, adam.stepCount(), "the driver's Adam advanced by K per round");
        byHandAdam.state().buffers().forEach((key, b) ->
                assertArrayEquals(b.values(), adam.state().buffers().get(key).values(), 0.0, key));
    }

    @Test
    void parameterAveragingTrains() {
        LanguageModel model = Training.model();
        double before = loss(model);
        Adam adam = new Adam(model, 0.05);
        double[] losses = new double[4];
        try (SparkParameterAveraging<LanguageModel, Integer> spark = engine(model, adam, 2)) {
            for (int round = 0; round < losses.length; round++) {
                losses[round] = spark.round(loss(round % 3, 2));
            }
        }
        double after = loss(model);
        assertTrue(after < 0.8 * before, "the loss fell by a fifth: " + before + " -> " + after);
        assertTrue(losses[3] < losses[0], "the rounds' mean losses fell: " + losses[0] + " -> " + losses[3]);
    }

    @Test
    void oneLocalStepOfSgdIsADataParallelStep() {
        LanguageModel averaged = Training.model();
        Sgd sgd = new Sgd(averaged, 0.5);
        try (SparkParameterAveraging<LanguageModel, Integer> spark = SparkParameterAveraging.onPartitions(
                LocalSpark.context(), averaged, sgd, Training::model, LocalTraining.unclipped(1, r -> new Sgd(r, 0.5)),
                SHARDS)) {
            spark.round(loss(0, 1), Summation.TREE);
        }
        LanguageModel stepped = Training.model();
        try (SparkDataParallel<LanguageModel, Integer> spark = SparkDataParallel.onPartitions(LocalSpark.context(), stepped,
                Training::model, SHARDS)) {
            stepped.zeroGrad();
            spark.step(PartitionLoss.of(Training.loss(0)));
        }
        new Sgd(stepped, 0.5).step();
        double difference = Training.largestRelativeDifference(Training.parameters(averaged), Training.parameters(stepped));
        assertTrue(difference <= 1e-12, "averaged against stepped: " + difference);
        double moved = Training.largestRelativeDifference(Training.parameters(Training.model()), Training.parameters(stepped));
        assertTrue(moved > 1e-3, "the step moved the parameters: " + moved);
    }

    @Test
    void aFailedRoundChangesNeitherTheModelNorTheOptimizer() {
        LanguageModel model = Training.model();
        Adam adam = new Adam(model, 0.05);
        List<double[]> before = Training.parameters(model);
        try (SparkParameterAveraging<LanguageModel, Integer> spark = engine(model, adam, 2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> spark.round((replica, partition) -> {
                if (partition.shard() == 2 && partition.localStep() == 1) {
                    throw new IllegalArgumentException("bad batch");
                }
                return loss(0, 2).compute(replica, partition);
            }));
            assertTrue(e.getMessage().contains("shard 2 of 3") && e.getMessage().contains("bad batch"), e.getMessage());
        }
        assertEquals(0, adam.stepCount());
        List<double[]> after = Training.parameters(model);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), 0.0, "parameter " + i);
        }
    }

    @Test
    void aResumedRunGivesTheBitsOfAnUninterruptedOne(@TempDir Path dir) throws IOException {
        LanguageModel straight = Training.model();
        try (SparkParameterAveraging<LanguageModel, Integer> spark = engine(straight, new Adam(straight, 0.05), 2)) {
            for (int round = 0; round < 3; round++) {
                spark.round(loss(round, 2));
            }
        }
        LanguageModel first = Training.model();
        Adam firstAdam = new Adam(first, 0.05);
        try (SparkParameterAveraging<LanguageModel, Integer> spark = engine(first, firstAdam, 2)) {
            spark.round(loss(0, 2));
        }
        Path file = dir.resolve("averaged.safetensors");
        Checkpoint.save(file, first, firstAdam, Map.of());
        LanguageModel resumed = Training.model();
        Adam resumedAdam = new Adam(resumed, 0.05);
        Checkpoint.load(file, resumed, resumedAdam, true);
        try (SparkParameterAveraging<LanguageModel, Integer> spark = engine(resumed, resumedAdam, 2)) {
            for (int round = 1; round < 3; round++) {
                spark.round(loss(round, 2));
            }
        }
        assertSameBits(straight, resumed);
    }

    @Test
    void badSettingsAreRefusedWithTheFix() {
        IllegalArgumentException steps = assertThrows(IllegalArgumentException.class, () -> adam(0));
        assertTrue(steps.getMessage().contains("at least 1"), steps.getMessage());
        LanguageModel model = Training.model();
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () ->
                engine(model, new Adam(Training.model(), 0.05), 2));
        assertTrue(other.getMessage().contains("not over the model"), other.getMessage());
    }
}
