package dev.unroll.spark;

/**
 * How each partition trains between two parameter averages: {@code steps} local steps, each the
 * mean gradient of its shard, clipped to a global norm of {@code clipNorm}, then one step of an
 * optimizer built by {@code optimizer} on the replica (and started from the driver optimizer's
 * averaged state).
 *
 * @param steps local steps per round, at least 1
 * @param optimizer builds the replica's optimizer, of the driver optimizer's type
 * @param clipNorm the global gradient-norm limit of every local step; infinity: no clipping
 * @param <M> the model type
 */
public record LocalTraining<M>(int steps, OptimizerFactory<M> optimizer, double clipNorm) {

    /**
     * @param steps local steps per round
     * @param optimizer builds the replica's optimizer
     * @param clipNorm the gradient-norm limit
     */
    public LocalTraining {
        if (steps < 1) {
            throw new IllegalArgumentException("LocalTraining: " + steps + " local steps; use at least 1 (1 averages "
                    + "after every step)");
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("LocalTraining: no optimizer factory; pass e.g. r -> new Adam(r, 2e-3)");
        }
        if (!(clipNorm > 0)) {
            throw new IllegalArgumentException("LocalTraining: the clipping norm must be positive (infinity for none), "
                    + "not " + clipNorm);
        }
    }

    /**
     * @param steps local steps per round
     * @param optimizer builds the replica's optimizer
     * @param <M> the model type
     * @return local training without clipping
     */
    public static <M> LocalTraining<M> unclipped(int steps, OptimizerFactory<M> optimizer) {
        return new LocalTraining<>(steps, optimizer, Double.POSITIVE_INFINITY);
    }
}
