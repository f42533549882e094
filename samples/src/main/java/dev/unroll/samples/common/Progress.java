package dev.unroll.samples.common;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A training progress bar: iteration count, elapsed and remaining time, and the latest loss and
 * tokens per second. Silent when disabled (tests, scripts).
 */
public final class Progress implements AutoCloseable {

    private final ProgressBar bar;
    private final long start = System.nanoTime();
    private long tokens;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * @param task what is running, e.g. "char-lstm"
     * @param total the number of iterations
     * @param visible whether to draw the bar (on stderr)
     * @return the progress
     */
    public static Progress start(String task, long total, boolean visible) {
        return new Progress(visible ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed().build() : null);
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
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f, %.0f tok/s", loss, tokensPerSecond()));
        }
    }

    /** @return tokens per second since the start */
    public double tokensPerSecond() {
        double seconds = (System.nanoTime() - start) / 1e9;
        return seconds == 0 ? 0 : tokens / seconds;
    }

    /** @return seconds since the start */
    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
