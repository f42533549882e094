package dev.unroll.spark;

import dev.unroll.nn.Module;
import dev.unroll.train.parallel.DataParallel;
import dev.unroll.train.parallel.ShardGradients;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The data-parallel step of {@link DataParallel} on an Apache Spark cluster: each partition of the
 * data is one shard. Every step the driver broadcasts the model's parameters; each partition's
 * task copies them into its executor's replica (built once per executor and task slot by the
 * {@link ReplicaFactory}, then reused), computes its shard's summed loss and gradients on its own
 * tape, and returns them; the driver adds them up in partition order and adds the mean gradient
 * over all shards' items into the model's gradients. The caller then clips and steps its optimizer
 * on the model, as after a single backward pass: the model, its optimizer, a schedule and a
 * checkpoint are the ordinary ones, on the driver.
 *
 * <pre>{@code
 * JavaRDD<int[]> streams = sc.parallelize(shardStreams, shards).cache();  // partition s: shard s's streams
 * try (SparkDataParallel<LanguageModel, int[]> spark = SparkDataParallel.over(streams, model,
 *         () -> LanguageModel.lstm(65, 64, 256, 2, 1234))) {
 *     model.zeroGrad();
 *     int from = chunk * 64;
 *     double loss = spark.step((replica, partition) -> {
 *         int[][] x = window(partition.data(), from, 64), y = window(partition.data(), from + 1, 64);
 *         return new ShardLoss.Result(replica.loss(x, y, null, Reduction.SUM).loss(), x.length * x[0].length);
 *     });
 *     GradClipping.clipGradNorm(model.parameters(), 5);
 *     adam.step();
 * }
 * }</pre>
 *
 * <p>The data stays on the cluster: cache the RDD, so that its partitions are not recomputed
 * every step; only the loss function (with what it captures, such as the step's position) and the
 * parameters travel each step, and one set of gradients per partition comes back. For a batch the
 * driver already holds, {@link #onPartitions} makes partitions without data and the loss slices
 * the captured batch by shard, exactly as with {@code DataParallel}.
 *
 * <p>Same shards, same bits: with {@link Summation#PARTITION_ORDER} (the default) the result is
 * bit-identical to {@code DataParallel} with as many shards and to a sequential loop over the
 * same shards, whatever the scheduling and the retries. With {@link Summation#TREE} the executors
 * add the gradients in a tree, in an order that depends on timing. A task that fails is retried
 * by Spark ({@code spark.task.maxFailures}); when the step fails as a whole it throws, and nothing
 * has been added to the model. A module that draws random numbers (dropout) draws them from the
 * replica's own generator, and which replica serves which shard depends on scheduling: for
 * bit-identical runs use none.
 *
 * @param <M> the model type
 * @param <T> the element type of the data
 */
public final class SparkDataParallel<M extends Module, T> implements AutoCloseable {

    private final ReplicaJobs<M, T> jobs;

    private SparkDataParallel(ReplicaJobs<M, T> jobs) {
        this.jobs = jobs;
    }

    /**
     * An engine over partitioned data: partition s is shard s.
     *
     * @param data the training data, one partition per shard (cache it)
     * @param model the driver's model
     * @param factory builds a replica of the model on an executor; called once on the driver to
     *     check it
     * @param <M> the model type
     * @param <T> the element type of the data
     * @return the engine; close it to release the executors' replicas
     */
    public static <M extends Module, T> SparkDataParallel<M, T> over(JavaRDD<T> data, M model, ReplicaFactory<M> factory) {
        return new SparkDataParallel<>(new ReplicaJobs<>("SparkDataParallel", data, model, factory));
    }

    /**
     * An engine over {@code shards} partitions that hold only their index: the loss captures the
     * step's batch and slices it by shard, as {@link PartitionLoss#of} adapts a {@code DataParallel}
     * loss.
     *
     * @param context the Spark context
     * @param model the driver's model
     * @param factory builds a replica of the model on an executor
     * @param shards how many shards (tasks) each step is split into, at least 1
     * @param <M> the model type
     * @return the engine; close it to release the executors' replicas
     */
    public static <M extends Module> SparkDataParallel<M, Integer> onPartitions(JavaSparkContext context, M model,
            ReplicaFactory<M> factory, int shards) {
        return over(indexPartitions(context, shards, "SparkDataParallel"), model, factory);
    }

    /**
     * @param context the Spark context
     * @param shards the number of partitions
     * @param engine the engine's name, for the message
     * @return {@code shards} cached partitions, partition s holding the one element s
     */
    static JavaRDD<Integer> indexPartitions(JavaSparkContext context, int shards, String engine) {
        if (shards < 1) {
            throw new IllegalArgumentException(engine + ": " + shards + " shards; use at least 1");
        }
        List<Integer> indexes = IntStream.range(0, shards).boxed().toList();
        return context.parallelize(indexes, shards).cache();
    }

    /** @return the number of shards: the data's partitions */
    public int shards() {
        return jobs.shards();
    }

    /**
     * One step, summed in partition order: sets every replica from the model, computes every
     * partition's loss and gradients, and adds the mean gradient over all partitions' items into
     * the model's gradients (zero them first, as before a backward pass).
     *
     * @param loss the loss of one partition
     * @return the mean loss over all partitions' items
     * @throws IllegalStateException when the step failed (naming the shard); the model is then unchanged
     */
    public double step(PartitionLoss<M, T> loss) {
        return step(loss, Summation.PARTITION_ORDER);
    }

    /**
     * One step, summed as {@code summation} says; see {@link #step(PartitionLoss)}.
     *
     * @param loss the loss of one partition
     * @param summation in partition order (same bits every run) or in a tree on the executors
     * @return the mean loss over all partitions' items
     * @throws IllegalArgumentException when the loss captures a value Spark cannot ship (named)
     * @throws IllegalStateException when the step failed (naming the shard); the model is then unchanged
     */
    public double step(PartitionLoss<M, T> loss, Summation summation) {
        jobs.requireLoss(loss);
        M model = jobs.model();
        boolean training = model.isTraining();
        ShardGradients total = jobs.run(values -> new GradientTask<>(jobs.pool(), values, jobs.shards(), training, loss),
                ShardGradients::add, summation);
        total.addMeanTo(model);
        return total.meanLoss();
    }

    /** Releases the executors' replicas; the engine cannot step afterwards. */
    @Override
    public void close() {
        jobs.close();
    }
}
