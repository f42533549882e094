package dev.unroll.train.callback;

import dev.unroll.train.Trainer;
import dev.unroll.train.TrainingCallback;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A training progress bar on stderr (the progressbar library): iteration count, elapsed and
 * remaining time, the latest training loss, tokens per second and the last validation figure as
 * soon as it is measured; lines printed while it draws ({@link #println}) appear above it. Use it
 * as a {@link TrainingCallback}, or drive it directly ({@link #start}, {@link #step}).
 *
 * <p>The bar is drawn with a carriage return on a line of fixed width ({@code COLUMNS - 1}, else
 * 79), not through the progress bar library's terminal: that terminal takes over SIGINT, so
 * Ctrl-C would kill the JVM without running the shutdown hook that saves the checkpoint.
 */
public final class ConsoleProgress implements TrainingCallback, AutoCloseable {

    private static final int DEFAULT_WIDTH = 79;

    private final String task;
    private final PrintStream err;
    private final int width;
    private ProgressBar bar;
    private long start;
    private long tokens;
    private String latest = "";
    private String validation = "";

    /**
     * A bar drawn on {@code System.err} once training starts.
     *
     * @param task what is running, e.g. "char-lstm"
     */
    public ConsoleProgress(String task) {
        this.task = task;
        this.err = System.err;
        this.width = width(System.getenv("COLUMNS"));
        this.start = System.nanoTime();
    }

    /** The bar's width: one less than the terminal's {@code COLUMNS}, so it never wraps; 79 when unknown. */
    static int width(String columns) {
        try {
            int n = columns == null ? DEFAULT_WIDTH + 1 : Integer.parseInt(columns.trim());
            return n > 20 ? n - 1 : DEFAULT_WIDTH;
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }

    /**
     * Draws the bar, for a loop that drives it without a {@link Trainer}.
     *
     * @param iterations how many iterations the session runs
     */
    public void start(long iterations) {
        close();
        start = System.nanoTime();
        tokens = 0;
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(iterations)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(err, width)).build();
    }

    /**
     * Records one iteration.
     *
     * @param loss the iteration's loss
     * @param iterationTokens how many tokens the iteration processed
     */
    public void step(double loss, long iterationTokens) {
        tokens += iterationTokens;
        if (bar != null) {
            bar.step();
            latest = String.format(Locale.ROOT, " loss %.4f, %.0f tok/s%s", loss, tokensPerSecond(), validation);
            bar.setExtraMessage(latest);
        }
    }

    /**
     * Shows what runs between iterations (e.g. a validation pass) in place of the latest loss.
     *
     * @param what e.g. "validating"
     */
    public void status(String what) {
        if (bar != null) {
            bar.setExtraMessage(" " + what + "...");
        }
    }

    /**
     * Prints a line above the bar (on {@code out}); the bar is redrawn at its next refresh.
     *
     * @param out where the line goes (usually stdout)
     * @param line the line
     */
    public void println(PrintStream out, String line) {
        if (bar != null) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
            bar.setExtraMessage(latest);
        }
        out.println(line);
        out.flush();
    }

    /** @return tokens per second since the start */
    public double tokensPerSecond() {
        double seconds = (System.nanoTime() - start) / 1e9;
        return seconds == 0 ? 0 : tokens / seconds;
    }

    @Override
    public void onStart(Start s) {
        start(Math.max(0, s.total() - s.iteration()));
    }

    @Override
    public void onStep(Step s) {
        step(s.loss(), s.tokens());
    }

    @Override
    public void beforeValidation(int iteration) {
        status("validating");
    }

    @Override
    public void onValidation(Validation v) {
        validation = String.format(Locale.ROOT, ", validation %.4g", v.figure());
        if (bar != null) {
            latest = latest.replaceFirst(", validation .*$", "") + validation;
            bar.setExtraMessage(latest);
        }
    }

    @Override
    public void onEnd(Trainer.Outcome end) {
        close();
    }

    /** Removes the bar (idempotent). */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
