/**
 * Training beyond one thread. {@link dev.unroll.train.parallel.DataParallel} runs one training
 * step data-parallel: the global batch is split into shards, each shard runs forward and backward
 * on its own model replica with its own tape, and the gradients (with the losses and the counts
 * they average over) are summed in shard order, so the result never depends on which worker
 * finished first; the caller then clips and steps its optimizer on the one model.
 */
package dev.unroll.train;
