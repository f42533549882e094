package dev.unroll.spark;

import dev.unroll.nn.Module;
import dev.unroll.train.parallel.ParameterValues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver's side of both Spark engines: the partitioned data, the model, the broadcast pool
 * of replicas, and one job per step that broadcasts the model's parameters, runs a task on every
 * partition and combines the results in partition order or in a tree. A failed job changes
 * nothing on the driver.
 *
 * @param <M> the model type
 * @param <T> the element type of the partitions
 */
final class ReplicaJobs<M extends Module, T> {

    private final String engine;
    private final JavaRDD<T> data;
    private final JavaSparkContext context;
    private final M model;
    private final int shards;
    private final Broadcast<ReplicaPool<M>> pool;
    private boolean closed;

    ReplicaJobs(String engine, JavaRDD<T> data, M model, ReplicaFactory<M> factory) {
        this.engine = engine;
        if (data == null || model == null || factory == null) {
            throw new IllegalArgumentException(engine + ": the data, the model and the replica factory must not be null");
        }
        this.data = data;
        this.model = model;
        this.shards = data.getNumPartitions();
        if (shards < 1) {
            throw new IllegalArgumentException(engine + ": the data has no partitions; each partition is a shard, so "
                    + "give it at least one (JavaSparkContext.parallelize(list, shards) or rdd.repartition(shards))");
        }
        checkReplica(factory);
        this.context = JavaSparkContext.fromSparkContext(data.context());
        this.pool = context.broadcast(new ReplicaPool<>(factory, model.dtype()));
    }

    /** Builds one replica on the driver, so that a factory that cannot work fails here, not on an executor. */
    private void checkReplica(ReplicaFactory<M> factory) {
        requireSerializable(factory, "the replica factory");
        M replica = factory.build();
        if (replica == null || replica == model) {
            throw new IllegalArgumentException(engine + ": the replica factory returned " + (replica == null ? "null"
                    : "the model itself") + "; it must build a new model of the same structure each time");
        }
        replica.to(model.dtype());
        ParameterValues.of(model).copyInto(replica);
    }

    /**
     * Refuses a missing loss, or one Spark could not ship, before any job starts.
     *
     * @param loss the loss of one partition
     */
    void requireLoss(PartitionLoss<M, T> loss) {
        if (loss == null) {
            throw new IllegalArgumentException(engine + ": no loss; pass the loss of one partition");
        }
        requireSerializable(loss, "the loss");
    }

    /**
     * Refuses a function Spark could not ship, naming what it captured.
     *
     * @param function the function
     * @param what what it is, for the message
     */
    void requireSerializable(Object function, String what) {
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(function);
        } catch (IOException e) {
            throw new IllegalArgumentException(engine + ": " + what + " is not serializable (" + e
                    + "); Spark ships it to the executors, so it may capture only serializable values: build the model "
                    + "inside it rather than capturing one", e);
        }
    }

    M model() {
        return model;
    }

    int shards() {
        return shards;
    }

    JavaSparkContext context() {
        return context;
    }

    Broadcast<ReplicaPool<M>> pool() {
        return pool;
    }

    /**
     * Runs one task per partition with the model's parameters broadcast, and combines the results.
     *
     * @param task builds the task from the broadcast parameters
     * @param add adds the second result into the first and returns the first
     * @param summation in partition order, or in a tree
     * @param <R> the task's result
     * @return the combined result
     * @throws IllegalStateException when the job failed after Spark's retries
     */
    <R> R run(Function<Broadcast<ParameterValues>, ReplicaTask<M, T, R>> task,
            Function2<R, R, R> add, Summation summation) {
        if (closed) {
            throw new IllegalStateException(engine + ": closed; build a new one");
        }
        if (summation == null) {
            throw new IllegalArgumentException(engine + ": no summation; use Summation.PARTITION_ORDER or Summation.TREE");
        }
        Broadcast<ParameterValues> values = context.broadcast(ParameterValues.of(model));
        try {
            JavaRDD<R> results = data.mapPartitionsWithIndex(task.apply(values), false);
            if (summation == Summation.TREE) {
                return results.treeReduce(add);
            }
            List<R> inOrder = results.collect();
            R total = inOrder.get(0);
            for (int s = 1; s < inOrder.size(); s++) {
                total = add.call(total, inOrder.get(s));
            }
            return total;
        } catch (Exception e) {
            throw new IllegalStateException(engine + ": the step failed, so nothing was changed on the driver: "
                    + rootMessage(e) + " (Spark retries a failed task spark.task.maxFailures times, local[N,F] F times)", e);
        } finally {
            values.destroy();
        }
    }

    /** @return the failed shard's message when a task failed, else Spark's first line and the root cause */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShardFailure) {
                return t.getMessage();
            }
            root = t;
        }
        String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return root == e ? first : first + ": " + root;
    }

    /** Destroys the replicas' broadcast, so the executors drop their replicas. */
    void close() {
        if (!closed) {
            closed = true;
            pool.destroy();
        }
    }
}
