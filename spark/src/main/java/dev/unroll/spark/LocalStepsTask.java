package dev.unroll.spark;

import dev.unroll.autograd.Tape;
import dev.unroll.nn.Module;
import dev.unroll.nn.clip.GradClipping;
import dev.unroll.nn.optim.Optimizer;
import dev.unroll.train.parallel.ParameterValues;
import dev.unroll.train.parallel.ShardGradients;
import dev.unroll.train.parallel.ShardLoss;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;

/**
 * A round of parameter averaging's task: K local steps on the replica with its own optimizer
 * (started from the driver optimizer's state), returning the replica's parameters and optimizer
 * state to be averaged.
 *
 * @param <M> the model type
 * @param <T> the element type of the partitions
 */
final class LocalStepsTask<M extends Module, T> extends ReplicaTask<M, T, ReplicaAverage> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<OptimizerValues> optimizerState;
    private final int steps;
    private final OptimizerFactory<M> optimizers;
    private final double clipNorm;
    private final PartitionLoss<M, T> loss;

    LocalStepsTask(Broadcast<ReplicaPool<M>> pool, Broadcast<ParameterValues> values, int shards, boolean training,
            Broadcast<OptimizerValues> optimizerState, LocalTraining<M> local, PartitionLoss<M, T> loss) {
        super(pool, values, shards, training);
        this.optimizerState = optimizerState;
        this.steps = local.steps();
        this.optimizers = local.optimizer();
        this.clipNorm = local.clipNorm();
        this.loss = loss;
    }

    @Override
    ReplicaAverage run(M replica, Tape tape, List<T> data, int shard, int shards) {
        Optimizer optimizer = optimizers.build(replica);
        optimizer.loadState(optimizerState.value().toState());
        double lossSum = 0;
        double count = 0;
        for (int k = 0; k < steps; k++) {
            replica.zeroGrad();
            ShardLoss.Result r = loss.compute(replica, new Partition<>(data, shard, shards, k));
            tape.backward(r.lossSum());
            double shardLoss = r.lossSum().item();
            ShardGradients gradients = ShardGradients.of(replica, shardLoss, r.count());
            tape.clear();
            replica.zeroGrad();
            gradients.addMeanTo(replica);
            if (clipNorm != Double.POSITIVE_INFINITY) {
                GradClipping.clipGradNorm(replica.parameters(), clipNorm);
            }
            optimizer.step();
            lossSum += shardLoss;
            count += r.count();
        }
        return ReplicaAverage.of(replica, optimizer, lossSum, count);
    }
}
