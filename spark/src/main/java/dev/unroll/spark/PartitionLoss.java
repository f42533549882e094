package dev.unroll.spark;

import dev.unroll.train.parallel.ShardLoss;
import java.io.Serializable;

/**
 * One partition's part of a step on Spark: the loss of its shard, computed on the executor's
 * replica while a tape records. As with {@link ShardLoss}, the loss is a SUM over the shard's
 * items, returned with their count, so the mean over the whole batch stays a mean however it is
 * partitioned. Serializable: Spark ships it to the executors with every step, so it may capture
 * what this step needs (a step number, a chunk position) but should not capture large data; the
 * data is in the partition.
 *
 * @param <M> the model type
 * @param <T> the element type of the partitions
 */
@FunctionalInterface
public interface PartitionLoss<M, T> extends Serializable {

    /**
     * @param replica the executor's replica, holding the driver model's current parameters (or,
     *     in a round of parameter averaging, the replica's own after its previous local steps)
     * @param partition this task's partition and step
     * @return the summed loss of the shard and the number of items it sums over
     */
    ShardLoss.Result compute(M replica, Partition<T> partition);

    /**
     * Adapts a thread-engine loss, for partitions that hold no data (the loss captures what it
     * needs and slices it by shard, as with {@code DataParallel}).
     *
     * @param loss the loss of shard {@code shard} of {@code shards}
     * @param <M> the model type
     * @param <T> the element type of the partitions (ignored)
     * @return the same loss, ignoring the partition's elements
     */
    static <M, T> PartitionLoss<M, T> of(ShardLoss<M> loss) {
        return (replica, partition) -> loss.compute(replica, partition.shard(), partition.shards());
    }
}
