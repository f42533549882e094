package dev.unroll.train.parallel;

import dev.unroll.autograd.Tensor;
import java.io.Serializable;

/**
 * One shard's part of a training step: the loss of its slice of the global batch, computed on a
 * model replica while a tape records. The loss must be a SUM over the shard's items (tokens,
 * sequences), returned with their count, so that the engine can divide the summed gradients by
 * the global count and a mean loss stays the mean over the whole batch, however it is sharded.
 * Serializable, so a cluster engine can ship it to its workers.
 *
 * @param <M> the model type
 */
@FunctionalInterface
public interface ShardLoss<M> extends Serializable {

    /**
     * @param replica this shard's copy of the model, holding the model's current parameters
     * @param shard the shard's index, in [0, shards)
     * @param shards how many shards the batch is split into
     * @return the summed loss of the shard and the number of items it sums over
     */
    Result compute(M replica, int shard, int shards);

    /**
     * A shard's summed loss and the number of items in it.
     *
     * @param lossSum a 1x1 loss summed over the shard's items, recorded on the current tape
     * @param count the number of items summed (e.g. non-padded tokens), positive
     */
    record Result(Tensor lossSum, double count) {

        /**
         * @param lossSum the summed loss
         * @param count the number of items
         */
        public Result {
            if (lossSum == null || lossSum.size() != 1) {
                throw new IllegalArgumentException("ShardLoss: the loss must be a 1x1 tensor summed over the shard ("
                        + (lossSum == null ? "null" : lossSum.shape()) + " given); use Reduction.SUM");
            }
            if (!(count > 0) || Double.isInfinite(count)) {
                throw new IllegalArgumentException("ShardLoss: the count must be a positive number of items, not "
                        + count);
            }
        }
    }
}
