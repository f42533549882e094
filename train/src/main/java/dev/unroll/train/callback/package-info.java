/**
 * The callbacks that ship with the {@link dev.unroll.train.Trainer}, the only place the training
 * loop writes anything: {@link dev.unroll.train.callback.ConsoleProgress} (a progress bar on
 * stderr with iterations, remaining time, training loss, tokens per second and the last
 * validation figure), {@link dev.unroll.train.callback.CsvLog} (every loss and validation figure
 * as CSV rows, restored on resume) and {@link dev.unroll.train.callback.LossPlot} (the curves as a
 * PNG, raw and smoothed).
 *
 * <pre>{@code
 * CsvLog csv = new CsvLog(dir.resolve("lm-loss.csv"));
 * Trainer.builder(model, adam).step(step)
 *         .callback(new ConsoleProgress("lm"))
 *         .callback(csv)
 *         .callback(new LossPlot(csv.history(), dir.resolve("lm-loss.png"), "lm", "iteration (updates)",
 *                 "loss (nats per token)"))
 *         .build().fit(1000);
 * }</pre>
 */
package dev.unroll.train.callback;
