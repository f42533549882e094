package dev.unroll.samples.common;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A training progress bar on stderr: iteration count, elapsed and remaining time, and the latest
 * loss and tokens per second; lines printed while it draws ({@link #println}) appear above it.
 * Silent when disabled (tests, scripts, {@code --quiet}).
 *
 * <p>The bar is drawn with a carriage return on a line of fixed width ({@code COLUMNS - 1}, else
 * 79), not through the progress bar library's terminal: that terminal takes over SIGINT, so
 * Ctrl-C killed the JVM without running the shutdown hook that saves the checkpoint.
 */
public final class Progress implements AutoCloseable {

    private static final int DEFAULT_WIDTH = 79;

    private final ProgressBar bar;
    private final PrintStream err;
    private final int width;
    private final long start = System.nanoTime();
    private long tokens;
    private String latest = "";

    private Progress(ProgressBar bar, PrintStream err, int width) {
        this.bar = bar;
        this.err = err;
        this.width = width;
    }

    /**
     * @param task what is running, e.g. "char-lstm"
     * @param total the number of iterations
     * @param visible whether to draw the bar (on stderr)
     * @return the progress
     */
    public static Progress start(String task, long total, boolean visible) {
        int width = width(System.getenv("COLUMNS"));
        PrintStream err = System.err;
        return new Progress(visible ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(err, width)).build() : null, err, width);
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
     * Records one iteration.
     *
     * @param loss the iteration's loss
     * @param iterationTokens how many tokens the iteration processed
     */
    public void step(double loss, long iterationTokens) {
        tokens += iterationTokens;
        if (bar != null) {
            bar.step();
            latest = String.format(Locale.ROOT, " loss %.4f, %.0f tok/s", loss, tokensPerSecond());
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
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
