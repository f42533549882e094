package dev.unroll.samples.common;

import dev.unroll.nn.Module;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.checkpoint.Printable;
import dev.unroll.nn.optim.Optimizer;
import dev.unroll.train.Trainer;
import dev.unroll.train.TrainingCallback;
import dev.unroll.train.callback.CsvLog;
import dev.unroll.train.callback.ConsoleProgress;
import dev.unroll.train.callback.LossHistory;
import dev.unroll.train.callback.LossPlot;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The frame every training program shares: resume from a checkpoint, a progress bar, a loss
 * curve (CSV and PNG), and a checkpoint at the end and on interruption. The program supplies a
 * {@link Trainer} builder ({@link #fit}); the run counts iterations from where the checkpoint
 * left off.
 *
 * <p>{@code --iterations} is the total to reach, counted from the start of the first run, as
 * Keras' {@code epochs} is with {@code initial_epoch}: a run stopped by Ctrl-C is finished by
 * repeating its command with {@code --resume}, and the loss curve's x axis, the checkpoint's
 * iteration and the data position all count the same iterations. Resuming a checkpoint that
 * already reached the total trains nothing and says which {@code --iterations} trains more.
 *
 * <p>Files, in {@code --out}, else in the directory of the {@code --resume} checkpoint (a resumed run
 * continues where it was), else in {@code runs/<program>/}: {@code <name>.safetensors},
 * {@code <name>-loss.csv} and {@code <name>-loss.png}, where the name is the program's unless a
 * program trains several models.
 */
public final class TrainingRun {

    private final String program;
    private final String name;
    private final RunOptions options;
    private final Supplier<Map<String, String>> metadata;
    private final PrintStream out;
    private final LossHistory log = new LossHistory();
    private final Map<String, String> resumed;
    private final Path resumedFrom;
    private volatile Trainer trainer;
    private volatile int iteration;
    private volatile ConsoleProgress progress;

    /**
     * Prepares a run named after its program, loading the checkpoint when resuming.
     *
     * @param program the program's name (output directory, file names and plot title)
     * @param options seed, output, resume, quiet
     * @param model the model to train and checkpoint
     * @param optimizer its optimizer (state saved with the model)
     * @param metadata what to store with each checkpoint besides the iteration (e.g. vocabulary)
     * @param out where to say what resuming does
     */
    public TrainingRun(String program, RunOptions options, Module model, Optimizer optimizer,
            Supplier<Map<String, String>> metadata, PrintStream out) {
        this(program, program, options, model, optimizer, metadata, out);
    }

    /**
     * Prepares one of several runs of a program, loading its checkpoint when resuming. With
     * {@code --resume DIR} the checkpoint is {@code DIR/<name>.safetensors}; a checkpoint file is
     * refused, since it holds only one of the program's models.
     *
     * @param program the program's name (output directory)
     * @param name this model's name (file names and plot title), other than the program's
     * @param options seed, output, resume, quiet
     * @param model the model to train and checkpoint
     * @param optimizer its optimizer (state saved with the model)
     * @param metadata what to store with each checkpoint besides the iteration (e.g. vocabulary)
     * @param out where to say what resuming does
     */
    public TrainingRun(String program, String name, RunOptions options, Module model, Optimizer optimizer,
            Supplier<Map<String, String>> metadata, PrintStream out) {
        this.program = program;
        this.name = name;
        this.options = options;
        this.metadata = metadata;
        this.out = out;
        Path from = resumeFile();
        resumedFrom = from;
        prepareOutDir(from);
        if (from == null) {
            resumed = Map.of();
            return;
        }
        try {
            resumed = Map.copyOf(Checkpoint.load(from, model, optimizer, true).metadata());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + from + ": " + e.getMessage(), e);
        }
        iteration = iterationOf(from, resumed.getOrDefault(Trainer.ITERATION, "0"));
        Path csv = from.toAbsolutePath().getParent().resolve(name + "-loss.csv");
        if (Files.exists(csv)) {
            log.readCsv(csv);
        }
    }

    private static int iterationOf(Path checkpoint, String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below, with the value
        }
        throw new IllegalArgumentException("--resume " + checkpoint + ": its metadata '" + Trainer.ITERATION + "' is '"
                + Printable.of(text) + "', not an iteration count; was the file written by another program?");
    }

    /**
     * Creates the output directory before anything is trained, and refuses a run that would
     * replace a checkpoint it did not resume (unless {@code --overwrite}).
     */
    private void prepareOutDir(Path from) {
        Path dir = outDir();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " is a file, not a directory; give a directory for "
                    + checkpoint().getFileName() + " and the loss curve");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output directory " + dir + ": " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("the output directory " + dir + " is not writable; pass another --out");
        }
        Path target = checkpoint();
        if (Files.exists(target) && !options.overwrite && !isSameFile(from, target)) {
            throw new IllegalArgumentException(target + " already holds a checkpoint, which this run would replace; "
                    + "continue it with --resume " + dir + ", write elsewhere with --out, or replace it with --overwrite");
        }
    }

    private static boolean isSameFile(Path a, Path b) {
        try {
            return a != null && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** The checkpoint to resume from: --resume itself, or {@code <name>.safetensors} in it when it is a directory. */
    private Path resumeFile() {
        if (options.resume == null) {
            return null;
        }
        if (!name.equals(program) && !Files.isDirectory(options.resume)) {
            throw new IllegalArgumentException(program + " trains several models (" + name + " is one): pass the "
                    + "directory of their checkpoints, e.g. --resume " + options.outDir(program));
        }
        Path file = Files.isDirectory(options.resume) ? options.resume.resolve(name + ".safetensors") : options.resume;
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("--resume: no checkpoint at " + file);
        }
        return file;
    }

    /** @return iterations done so far (from the checkpoint when resuming) */
    public int iteration() {
        return iteration;
    }

    /**
     * A number stored in the metadata of the checkpoint resumed from.
     *
     * @param key the metadata key
     * @return its value
     * @throws IllegalArgumentException naming the key and the text, if it is missing or not a number
     */
    public double resumedNumber(String key) {
        return metadataNumber(resumed, key, "--resume: the checkpoint's");
    }

    /**
     * A number stored in a checkpoint's metadata.
     *
     * @param metadata the checkpoint's metadata
     * @param key the key
     * @param whose how the refusal names the checkpoint, e.g. "this word-lm checkpoint's"
     * @return its value
     * @throws IllegalArgumentException naming the key and the text, if it is missing or not a number
     */
    public static double metadataNumber(Map<String, String> metadata, String key, String whose) {
        String text = metadata.get(key);
        try {
            return Double.parseDouble(text == null ? "" : text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(whose + " metadata '" + key + "' is "
                    + (text == null ? "missing" : "'" + Printable.of(text) + "', not a number")
                    + "; was it written by another program?");
        }
    }

    /** @return the metadata of the checkpoint resumed from, empty when not resuming */
    public Map<String, String> resumed() {
        return resumed;
    }

    /** @return the loss curve, to add validation points */
    public LossHistory log() {
        return log;
    }

    /** @return the output directory: {@code --out}, else the directory of the checkpoint resumed from, else {@code runs/<program>} */
    public Path outDir() {
        return options.outDir(program);
    }

    /** @return the checkpoint file */
    public Path checkpoint() {
        return outDir().resolve(name + ".safetensors");
    }

    private Path csv() {
        return outDir().resolve(name + "-loss.csv");
    }

    private Path png() {
        return outDir().resolve(name + "-loss.png");
    }

    /** Says what resuming does: how many iterations remain to the total, or that none do. */
    private void announce(int total) {
        if (resumed.isEmpty()) {
            return;
        }
        if (iteration >= total) {
            out.printf(Locale.ROOT, "the checkpoint already reached iteration %d and --iterations (%d) is the total to "
                    + "reach, so there is nothing to train; pass --iterations %d to train %d more%n",
                    iteration, total, iteration + total, total);
        } else {
            out.printf(Locale.ROOT, "resuming at iteration %d; training %d more to reach --iterations %d%n",
                    iteration, total - iteration, total);
        }
    }

    private void reportInterrupted(int total) {
        out.printf(Locale.ROOT, "%ninterrupted at iteration %d of %d: saved %s; continue with --resume %s%n",
                iteration, total, checkpoint(), checkpoint());
    }

    /**
     * Trains with a {@link Trainer} in this run's frame: the trainer resumes the checkpoint this
     * run was started from, writes {@code <name>.safetensors} with the run's metadata at the end
     * (and on Ctrl-C or failure), logs the loss curve to {@code <name>-loss.csv} and
     * {@code <name>-loss.png}, and draws the progress bar unless {@code --quiet}; {@link #report}
     * prints above it.
     *
     * @param builder the trainer's step, clipping, validation and callbacks (not its checkpoint,
     *     metadata or progress, which the run adds)
     * @param total the iteration count to reach
     * @param yLabel the loss plot's y axis label, with its unit
     * @return what the session did
     */
    public Trainer.Outcome fit(Trainer.Builder builder, int total, String yLabel) {
        OptionChecks.iterations(total);
        announce(total);
        ConsoleProgress bar = new ConsoleProgress(name);
        builder.checkpointEvery(0, checkpoint()).metadata(metadata).callback(new CsvLog(csv(), log))
                .callback(new LossPlot(log, png(), name, "iteration (updates)", yLabel));
        if (!options.quiet) {
            builder.callback(bar);
        }
        builder.callback(new TrainingCallback() {
            @Override
            public void onEnd(Trainer.Outcome end) {
                iteration = end.iteration();
                if (end.reason() == Trainer.StopReason.INTERRUPTED) {
                    reportInterrupted(total);
                }
            }
        });
        trainer = builder.build();
        if (resumedFrom != null) {
            trainer.resume(resumedFrom);
        }
        progress = bar;
        try {
            return trainer.fit(total);
        } finally {
            progress = null;
        }
    }

    /**
     * Prints a line while training, above the progress bar (e.g. a validation loss as soon as it
     * is measured); outside {@link #fit} it is printed as it is.
     *
     * @param line the line
     */
    public void report(String line) {
        ConsoleProgress bar = progress;
        if (bar == null) {
            out.println(line);
        } else {
            bar.println(out, line);
        }
    }

    /**
     * What Ctrl-C does, callable without a signal (tests): asks the running {@link #fit} to stop
     * at the next iteration boundary and waits until it has saved its checkpoint.
     *
     * @return whether a training loop was running and saved
     */
    public boolean interrupt() {
        Trainer running = trainer;
        return running != null && running.interrupt();
    }

    /**
     * @return the mean training loss of the last iterations this session's {@link #fit} ran; when
     *     it ran none, the figure stored in the checkpoint resumed from; NaN before {@link #fit}
     */
    public double recentLoss() {
        return trainer != null ? trainer.recentLoss() : Double.NaN;
    }

    /** @return how many iterations {@link #recentLoss()} averages (0 before {@link #fit}) */
    public int recentIterations() {
        return trainer != null ? trainer.recentIterations() : 0;
    }

    /** Prints where the run's files are. */
    public void printFiles() {
        out.println("checkpoint: " + checkpoint());
        out.println("loss curve: " + csv() + ", " + png());
    }
}
