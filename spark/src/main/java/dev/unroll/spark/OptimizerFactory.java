package dev.unroll.spark;

import dev.unroll.nn.optim.Optimizer;
import java.io.Serializable;

/**
 * Builds, on a Spark executor, the optimizer a replica trains its local steps with, e.g.
 * {@code replica -> new Adam(replica, 2e-3)}: of the driver optimizer's type, whose averaged state
 * it starts every round from. Serializable, so Spark ships it to the executors.
 *
 * @param <M> the model type
 */
@FunctionalInterface
public interface OptimizerFactory<M> extends Serializable {

    /**
     * @param replica the replica to optimise
     * @return a new optimizer over the replica's parameters
     */
    Optimizer build(M replica);
}
