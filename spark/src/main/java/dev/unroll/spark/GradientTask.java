package dev.unroll.spark;

import dev.unroll.autograd.Tape;
import dev.unroll.nn.Module;
import dev.unroll.train.parallel.ParameterValues;
import dev.unroll.train.parallel.ShardGradients;
import dev.unroll.train.parallel.ShardLoss;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;

/**
 * A gradient step's task: one forward and backward of the shard's summed loss on the replica,
 * returning its gradients, loss and count.
 *
 * @param <M> the model type
 * @param <T> the element type of the partitions
 */
final class GradientTask<M extends Module, T> extends ReplicaTask<M, T, ShardGradients> {

    private static final long serialVersionUID = 1L;

    private final PartitionLoss<M, T> loss;

    GradientTask(Broadcast<ReplicaPool<M>> pool, Broadcast<ParameterValues> values, int shards, boolean training,
            PartitionLoss<M, T> loss) {
        super(pool, values, shards, training);
        this.loss = loss;
    }

    @Override
    ShardGradients run(M replica, Tape tape, List<T> data, int shard, int shards) {
        replica.zeroGrad();
        ShardLoss.Result r = loss.compute(replica, new Partition<>(data, shard, shards, 0));
        tape.backward(r.lossSum());
        ShardGradients gradients = ShardGradients.of(replica, r.lossSum().item(), r.count());
        tape.clear();
        return gradients;
    }
}
