package dev.unroll.spark;

import dev.unroll.nn.Module;
import dev.unroll.nn.optim.Optimizer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Data-parallel training by parameter averaging, as DL4J's {@code ParameterAveragingTrainingMaster}
 * (with its updater state averaged too): for clusters where one round trip per step costs too
 * much. Each round the driver broadcasts its model's parameters and its optimizer's state; each
 * partition's task sets its replica from them, builds its own optimizer ({@link LocalTraining})
 * and loads the state into it, and takes K local steps on its own shard; the driver then sets its
 * model to the mean of the replicas' parameters and its optimizer to the mean of their states
 * (moments averaged, step counts advanced by K). With K = 1 and plain SGD a round is one
 * data-parallel step whose gradient is the mean of the shards' mean gradients.
 *
 * <pre>{@code
 * Adam adam = new Adam(model, 2e-3);
 * try (SparkParameterAveraging<LanguageModel, int[]> spark = SparkParameterAveraging.over(streams, model, adam,
 *         () -> LanguageModel.lstm(65, 64, 256, 2, 1234), new LocalTraining<>(8, r -> new Adam(r, 2e-3), 5))) {
 *     double loss = spark.round((replica, partition) -> ...);    // local step partition.localStep() of the round
 *     Checkpoint.save(file, model, adam, metadata);               // the driver's model and optimizer, as usual
 * }
 * }</pre>
 *
 * <p>The averages are summed in partition order by default, so a round gives the same bits
 * whatever the scheduling; a failed round throws and changes neither the model nor the optimizer.
 *
 * @param <M> the model type
 * @param <T> the element type of the data
 */
public final class SparkParameterAveraging<M extends Module, T> implements AutoCloseable {

    private final ReplicaJobs<M, T> jobs;
    private final Optimizer optimizer;
    private final LocalTraining<M> local;

    private SparkParameterAveraging(ReplicaJobs<M, T> jobs, Optimizer optimizer, LocalTraining<M> local) {
        this.jobs = jobs;
        this.optimizer = optimizer;
        this.local = local;
    }

    /**
     * An engine over partitioned data: partition s is shard s.
     *
     * @param data the training data, one partition per shard (cache it)
     * @param model the driver's model, set to the average after every round
     * @param optimizer the driver's optimizer over the model, set to the average of the replicas'
     *     optimizer states after every round (it never steps itself)
     * @param factory builds a replica of the model on an executor
     * @param local the local steps per round and the replicas' optimizer
     * @param <M> the model type
     * @param <T> the element type of the data
     * @return the engine; close it to release the executors' replicas
     */
    public static <M extends Module, T> SparkParameterAveraging<M, T> over(JavaRDD<T> data, M model,
            Optimizer optimizer, ReplicaFactory<M> factory, LocalTraining<M> local) {
        if (optimizer == null || local == null) {
            throw new IllegalArgumentException("SparkParameterAveraging: the driver's optimizer and the local training "
                    + "must not be null");
        }
        if (model != null && !optimizer.parameters().values().containsAll(model.namedParameters().values())) {
            throw new IllegalArgumentException("SparkParameterAveraging: the optimizer is not over the model's parameters; "
                    + "build it over the model, e.g. new Adam(model, 2e-3)");
        }
        ReplicaJobs<M, T> jobs = new ReplicaJobs<>("SparkParameterAveraging", data, model, factory);
        jobs.requireSerializable(local.optimizer(), "the optimizer factory");
        return new SparkParameterAveraging<>(jobs, optimizer, local);
    }

    /**
     * An engine over {@code shards} partitions that hold only their index; the loss captures its data.
     *
     * @param context the Spark context
     * @param model the driver's model
     * @param optimizer the driver's optimizer over the model
     * @param factory builds a replica of the model on an executor
     * @param local the local steps per round and the replicas' optimizer
     * @param shards how many shards (tasks) each round is split into, at least 1
     * @param <M> the model type
     * @return the engine; close it to release the executors' replicas
     */
    public static <M extends Module> SparkParameterAveraging<M, Integer> onPartitions(JavaSparkContext context, M model,
            Optimizer optimizer, ReplicaFactory<M> factory, LocalTraining<M> local, int shards) {
        return over(SparkDataParallel.indexPartitions(context, shards, "SparkParameterAveraging"), model, optimizer,
                factory, local);
    }

    /** @return the number of shards: the data's partitions */
    public int shards() {
        return jobs.shards();
    }

    /** @return the local steps each partition takes per round */
    public int localSteps() {
        return local.steps();
    }

    /**
     * One round, averaged in partition order: K local steps on every partition, then the model and
     * the driver's optimizer set to the replicas' means.
     *
     * @param loss the loss of one partition at local step {@code partition.localStep()}
     * @return the mean loss over every partition's local steps and items
     * @throws IllegalStateException when the round failed (naming the shard); the model and the
     *     optimizer are then unchanged
     */
    public double round(PartitionLoss<M, T> loss) {
        return round(loss, Summation.PARTITION_ORDER);
    }

    /**
     * One round, averaged as {@code summation} says; see {@link #round(PartitionLoss)}.
     *
     * @param loss the loss of one partition at a local step
     * @param summation in partition order (same bits every run) or in a tree on the executors
     * @return the mean loss over every partition's local steps and items
     * @throws IllegalArgumentException when the loss captures a value Spark cannot ship (named)
     * @throws IllegalStateException when the round failed; the model and the optimizer are then unchanged
     */
    public double round(PartitionLoss<M, T> loss, Summation summation) {
        jobs.requireLoss(loss);
        M model = jobs.model();
        boolean training = model.isTraining();
        Broadcast<OptimizerValues> state = jobs.context().broadcast(OptimizerValues.of(optimizer));
        try {
            ReplicaAverage total = jobs.run(values -> new LocalStepsTask<>(jobs.pool(), values, jobs.shards(), training,
                    state, local, loss), ReplicaAverage::add, summation);
            total.copyMeanInto(model, optimizer);
            return total.meanLoss();
        } finally {
            state.destroy();
        }
    }

    /** Releases the executors' replicas; the engine cannot train afterwards. */
    @Override
    public void close() {
        jobs.close();
    }
}
