package dev.unroll.samples.programs;

import dev.unroll.autograd.Reduction;
import dev.unroll.rnn.LossAndState;
import dev.unroll.rnn.State;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.rnn.tbptt.ParallelStreams;
import dev.unroll.samples.common.SparkStart;
import dev.unroll.spark.PartitionLoss;
import dev.unroll.spark.SparkDataParallel;
import dev.unroll.train.parallel.ShardLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * char-lstm's data-parallel step on Apache Spark ({@code --spark MASTER}): partition s holds the
 * streams the thread engine gives shard s, so each step ships only the chunk's position and the
 * parameters; each shard carries its LSTM state from chunk to chunk on its executor
 * ({@link CarriedStates}). In local mode the run is bit-identical to {@code --workers} on threads.
 */
final class SparkCharLstm implements AutoCloseable {

    private final JavaSparkContext context;
    private final SparkDataParallel<LanguageModel, int[]> engine;
    private final String run = UUID.randomUUID().toString();

    private SparkCharLstm(JavaSparkContext context, SparkDataParallel<LanguageModel, int[]> engine) {
        this.context = context;
        this.engine = engine;
    }

    /**
     * Starts Spark (a {@code local} master binds to loopback, without the UI; under spark-submit
     * its settings win) and puts the training streams into {@code shards} cached partitions.
     *
     * @param master the Spark master URL
     * @param model the driver's model
     * @param spec its shape, to build the replicas
     * @param seed the replicas' seed
     * @param train the training streams
     * @param shards the number of partitions
     * @return the engine
     */
    static SparkCharLstm start(String master, LanguageModel model, CharModelSpec spec, long seed, ParallelStreams train,
            int shards) {
        JavaSparkContext context = SparkStart.context("unroll char-lstm", master);
        JavaRDD<int[]> streams = context.parallelize(streams(train), shards).cache();
        return new SparkCharLstm(context, SparkDataParallel.over(streams, model, () -> spec.build(seed)));
    }

    /** @return every stream's tokens, inputs and the last target: stream b is column b of the batches */
    private static List<int[]> streams(ParallelStreams train) {
        int length = train.length();
        int[][] inputs = train.inputs(0, length);
        int[] last = train.targets(length - 1, length)[0];
        List<int[]> streams = new ArrayList<>();
        for (int b = 0; b < train.batch(); b++) {
            int[] s = new int[length + 1];
            for (int t = 0; t < length; t++) {
                s[t] = inputs[t][b];
            }
            s[length] = last[b];
            streams.add(s);
        }
        return streams;
    }

    /**
     * One data-parallel step over the chunk [from, from + steps) of every stream, adding the mean
     * gradient into the model's gradients.
     *
     * @param iteration the iteration, to carry each shard's state from the previous one
     * @param from the chunk's first step; 0 starts every stream from the zero state
     * @param steps the chunk's length
     * @return the mean loss per character
     */
    double step(int iteration, int from, int steps) {
        String id = run;
        PartitionLoss<LanguageModel, int[]> loss = (replica, partition) -> {
            List<int[]> mine = partition.data();
            int[][] x = new int[steps][mine.size()];
            int[][] y = new int[steps][mine.size()];
            for (int j = 0; j < mine.size(); j++) {
                for (int t = 0; t < steps; t++) {
                    x[t][j] = mine.get(j)[from + t];
                    y[t][j] = mine.get(j)[from + t + 1];
                }
            }
            List<State> carried = from == 0 ? null : CarriedStates.take(id, partition.shard(), iteration - 1);
            LossAndState r = replica.loss(x, y, carried == null ? replica.initialState(mine.size()) : carried,
                    Reduction.SUM);
            CarriedStates.put(id, partition.shard(), iteration, r.finalState().stream().map(State::detach).toList());
            return new ShardLoss.Result(r.loss(), (double) steps * mine.size());
        };
        return engine.step(loss);
    }

    /** Releases the replicas and the carried states, and stops Spark. */
    @Override
    public void close() {
        engine.close();
        CarriedStates.forget(run);
        context.stop();
    }
}
