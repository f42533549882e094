package dev.unroll.spark;

import dev.unroll.autograd.Tape;
import dev.unroll.nn.Module;
import dev.unroll.train.parallel.ParameterValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * What every task of an engine does on its executor: take the partition's elements, borrow a
 * replica from the executor's pool, set it from the broadcast parameters, run this engine's work
 * on it while its own tape records, and return one result. A failure names the shard and drops
 * the replica; Spark then retries the task (up to {@code spark.task.maxFailures}) or fails the job.
 *
 * @param <M> the model type
 * @param <T> the element type of the partitions
 * @param <R> the task's result
 */
abstract class ReplicaTask<M extends Module, T, R> implements Function2<Integer, Iterator<T>, Iterator<R>> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<ReplicaPool<M>> pool;
    private final Broadcast<ParameterValues> values;
    private final int shards;
    private final boolean training;

    ReplicaTask(Broadcast<ReplicaPool<M>> pool, Broadcast<ParameterValues> values, int shards, boolean training) {
        this.pool = pool;
        this.values = values;
        this.shards = shards;
        this.training = training;
    }

    @Override
    public Iterator<R> call(Integer shard, Iterator<T> elements) {
        List<T> data = new ArrayList<>();
        elements.forEachRemaining(data::add);
        ReplicaPool<M> replicas = pool.value();
        M replica = replicas.borrow();
        R result;
        try (Tape tape = Tape.record()) {
            values.value().copyInto(replica);
            replica.train(training);
            result = run(replica, tape, Collections.unmodifiableList(data), shard, shards);
        } catch (RuntimeException e) {
            throw new ShardFailure(shard, shards, e);
        }
        replicas.giveBack(replica);
        return List.of(result).iterator();
    }

    /**
     * The engine's work on one shard, on this task's thread.
     *
     * @param replica the replica, holding the driver's parameters, gradients not yet zeroed
     * @param tape the tape recording on this thread; clear it after each backward pass
     * @param data the partition's elements
     * @param shard the partition's index
     * @param shards the number of partitions
     * @return the result to send back to the driver
     */
    abstract R run(M replica, Tape tape, List<T> data, int shard, int shards);
}
