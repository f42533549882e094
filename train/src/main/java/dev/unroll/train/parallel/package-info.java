/**
 * The data-parallel step: {@link dev.unroll.train.parallel.DataParallel} (threads of one machine),
 * the shard's contract {@link dev.unroll.train.parallel.ShardLoss}, and the serializable values
 * another engine (a cluster) can ship: {@link dev.unroll.train.parallel.ParameterValues} (a
 * model's parameters, to broadcast) and {@link dev.unroll.train.parallel.ShardGradients} (a
 * shard's gradients, summed in a fixed order).
 */
package dev.unroll.train.parallel;
