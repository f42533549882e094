package dev.unroll.samples.bench;

import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.samples.common.SparkStart;
import dev.unroll.spark.PartitionLoss;
import dev.unroll.spark.ReplicaFactory;
import dev.unroll.spark.SparkDataParallel;
import dev.unroll.train.parallel.ShardLoss;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code bench --spark MASTER}: the data-parallel step on Spark over partitions without data, each
 * step's batch shipped with its loss, so that the work is the thread engine's and the difference
 * is Spark's cost per step (scheduling, serializing the parameters out and the gradients back).
 */
final class SparkBench implements AutoCloseable {

    private final JavaSparkContext context;
    private final SparkDataParallel<LanguageModel, Integer> engine;

    private SparkBench(JavaSparkContext context, SparkDataParallel<LanguageModel, Integer> engine) {
        this.context = context;
        this.engine = engine;
    }

    /**
     * @param master the Spark master URL ({@code local} masters bind to loopback, without the UI)
     * @param model the driver's model
     * @param replicas builds the replicas
     * @param shards the partitions
     * @return the engine, with Spark started
     */
    static SparkBench start(String master, LanguageModel model, ReplicaFactory<LanguageModel> replicas, int shards) {
        JavaSparkContext context = SparkStart.context("unroll bench", master);
        return new SparkBench(context, SparkDataParallel.onPartitions(context, model, replicas, shards));
    }

    /**
     * @param loss the thread engine's loss of one shard
     * @return the mean loss, the mean gradient added into the model
     */
    double step(ShardLoss<LanguageModel> loss) {
        return engine.step(PartitionLoss.of(loss));
    }

    /** Releases the replicas and stops Spark. */
    @Override
    public void close() {
        engine.close();
        context.stop();
    }
}
