package dev.unroll.samples.common;

import dev.unroll.nn.Module;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.optim.Optimizer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The frame every training program shares: resume from a checkpoint, a progress bar, a loss
 * curve (CSV and PNG), and a checkpoint at the end and on interruption. The program supplies one
 * training iteration; the run counts iterations from where the checkpoint left off.
 */
public final class TrainingRun {

    /** Metadata key of the number of iterations done. */
    public static final String ITERATION = "iteration";

    private final String program;
    private final RunOptions options;
    private final Module model;
    private final Optimizer optimizer;
    private final Supplier<Map<String, String>> metadata;
    private final LossLog log;
    private int iteration;

    /** One training iteration: returns its loss and how many tokens it processed. */
    @FunctionalInterface
    public interface Iteration {
        /**
         * @param index the iteration's number, from 0 over the whole (resumed) run
         * @return the loss and token count
         */
        Result run(int index);
    }

    /**
     * @param loss the iteration's training loss
     * @param tokens tokens processed
     */
    public record Result(double loss, long tokens) {
    }

    /**
     * Prepares a run, loading the checkpoint when resuming.
     *
     * @param program the program's name (output directory and plot title)
     * @param options seed, output, resume, quiet
     * @param model the model to train and checkpoint
     * @param optimizer its optimizer (state saved with the model)
     * @param metadata what to store with each checkpoint besides the iteration (e.g. vocabulary)
     */
    public TrainingRun(String program, RunOptions options, Module model, Optimizer optimizer,
            Supplier<Map<String, String>> metadata) {
        this.program = program;
        this.options = options;
        this.model = model;
        this.optimizer = optimizer;
        this.metadata = metadata;
        this.log = new LossLog(program);
        if (options.resume != null) {
            try {
                Map<String, String> saved = Checkpoint.load(options.resume, model, optimizer, true);
                iteration = Integer.parseInt(saved.getOrDefault(ITERATION, "0"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read checkpoint " + options.resume + ": " + e.getMessage(), e);
            }
            Path csv = csv();
            if (Files.exists(csv)) {
                log.readCsv(csv);
            }
        }
    }

    /** @return iterations done so far (from the checkpoint when resuming) */
    public int iteration() {
        return iteration;
    }

    /** @return the loss curve, to add validation points */
    public LossLog log() {
        return log;
    }

    /** @return the output directory */
    public Path outDir() {
        return options.outDir(program);
    }

    /** @return the checkpoint file */
    public Path checkpoint() {
        return outDir().resolve(program + ".safetensors");
    }

    private Path csv() {
        return outDir().resolve("loss.csv");
    }

    /**
     * Runs iterations until {@code total} have been done in all, then saves.
     *
     * @param total the iteration count to reach
     * @param step one iteration
     * @param every called every {@code reportEvery} iterations (validation, samples), may be null
     * @param reportEvery the reporting period
     * @return the mean tokens per second of this session
     */
    public double train(int total, Iteration step, Runnable every, int reportEvery) {
        Progress progress = Progress.start(program, Math.max(0, total - iteration), !options.quiet);
        try (progress; SafeStop stop = new SafeStop(this::save)) {
            while (iteration < total) {
                stop.iteration(() -> {
                    Result r = step.run(iteration);
                    log.add("train", iteration, r.loss());
                    progress.step(r.loss(), r.tokens());
                    iteration++;
                    if (every != null && reportEvery > 0 && iteration % reportEvery == 0) {
                        every.run();
                    }
                });
            }
        }
        save();
        return progress.tokensPerSecond();
    }

    /** Writes the checkpoint, the CSV and the PNG of the loss curve. */
    public void save() {
        try {
            Map<String, String> meta = new LinkedHashMap<>(metadata.get());
            meta.put(ITERATION, Integer.toString(iteration));
            Checkpoint.save(checkpoint(), model, optimizer, meta);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + checkpoint() + ": " + e.getMessage(), e);
        }
        log.writeCsv(csv());
        log.writePng(outDir().resolve("loss.png"), "iteration", "loss", false);
    }

    /**
     * Prints where the run's files are.
     *
     * @param out the stream
     */
    public void printFiles(PrintStream out) {
        out.println("checkpoint: " + checkpoint());
        out.println("loss curve: " + csv() + ", " + outDir().resolve("loss.png"));
    }
}
