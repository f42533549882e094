/**
 * Training loops. {@link dev.unroll.train.Trainer} trains any model with a loss: a
 * {@link dev.unroll.train.GradientStep} computes each iteration's gradients (batches from an
 * iterator with {@link dev.unroll.train.BatchStep}, truncated BPTT over parallel streams with
 * {@link dev.unroll.train.StreamTbpttStep}, or a data-parallel step of
 * {@link dev.unroll.train.parallel}); the trainer clips, schedules the learning rate, steps the
 * optimizer, validates every N iterations, stops early ({@link dev.unroll.train.EarlyStopping}),
 * writes checkpoints (every N iterations, of the best model, on Ctrl-C through
 * {@link dev.unroll.train.SafeStop}, and on failure), resumes from them bit for bit, and calls
 * {@link dev.unroll.train.TrainingCallback}s, the ones in {@link dev.unroll.train.callback} showing
 * progress, logging CSV and plotting the curves.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model, adam)
 *         .step(new BatchStep<>(batches, batch -> model.loss(batch), batch -> batch.size()))
 *         .clipNorm(5)
 *         .validateEvery(100, () -> validationLoss(model))
 *         .earlyStopping(EarlyStopping.min(3))
 *         .checkpointEvery(500, Path.of("runs/model.safetensors"))
 *         .callback(new ConsoleProgress("model"))
 *         .build();
 * trainer.fit(10_000);
 * }</pre>
 *
 * <p>{@link dev.unroll.train.parallel.DataParallel} runs one training step data-parallel: the
 * global batch is split into shards, each shard runs forward and backward on its own model
 * replica with its own tape, and the gradients (with the losses and the counts they average over)
 * are summed in shard order, so the result never depends on which worker finished first; the
 * caller (or the trainer) then clips and steps its optimizer on the one model.
 */
package dev.unroll.train;
