package dev.unroll.train.callback;

import dev.unroll.train.Trainer;
import dev.unroll.train.TrainingCallback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a {@link LossHistory} as a PNG (XChart) with every checkpoint and at the end: every
 * series raw, and beside the raw training loss its exponential moving average (weight
 * {@value #SMOOTHING}, bias-corrected as TensorBoard's smoothing), so the trend shows through the
 * noise of single batches. The axes carry the labels given (say the units, e.g.
 * "loss (nats per character)") and round tick values.
 */
public final class LossPlot implements TrainingCallback {

    /** The weight of the past in the smoothed training curve. */
    public static final double SMOOTHING = 0.9;
    /** The name of the smoothed series. */
    public static final String SMOOTHED = "train (smoothed)";

    static {
        // ImageIO's default file cache registers a shutdown hook per stream, which throws while
        // the JVM shuts down: the plot written when Ctrl-C stops training would fail
        ImageIO.setUseCache(false);
    }

    private final LossHistory history;
    private final Path file;
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logY;

    /**
     * @param history the curves to draw, e.g. a {@link CsvLog#history()}
     * @param file the PNG file
     * @param title the plot's title
     * @param xLabel the x axis label with its unit, e.g. "iteration (updates)"
     * @param yLabel the y axis label with its unit, e.g. "loss (nats per character)"
     */
    public LossPlot(LossHistory history, Path file, String title, String xLabel, String yLabel) {
        this(history, file, title, xLabel, yLabel, false);
    }

    private LossPlot(LossHistory history, Path file, String title, String xLabel, String yLabel, boolean logY) {
        this.history = history;
        this.file = file;
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logY = logY;
    }

    /**
     * @return the same plot with a logarithmic y axis (for figures spanning decades, e.g. gradient norms)
     */
    public LossPlot logarithmic() {
        return new LossPlot(history, file, title, xLabel, yLabel, true);
    }

    @Override
    public void onCheckpoint(Checkpointed checkpoint) {
        if (!checkpoint.best()) {
            write();
        }
    }

    @Override
    public void onEnd(Trainer.Outcome end) {
        write();
    }

    /** Writes the PNG now. */
    public void write() {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        chart.getStyler().setYAxisLogarithmic(logY);
        if (!logY) {
            chart.getStyler().setYAxisDecimalPattern("0.0#");
        }
        double lastX = 0;
        double someY = Double.NaN;
        for (Map.Entry<String, List<double[]>> e : history.all().entrySet()) {
            List<double[]> points = e.getValue();
            if (points.isEmpty()) {
                continue;
            }
            lastX = Math.max(lastX, points.get(points.size() - 1)[0]);
            someY = points.get(0)[1];
            double[] x = column(points, 0);
            double[] y = column(points, 1);
            chart.addSeries(e.getKey(), x, y).setMarker(points.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            if (e.getKey().equals(CsvLog.TRAIN) && points.size() > 1) {
                chart.addSeries(SMOOTHED, x, smoothed(y)).setMarker(SeriesMarkers.NONE);
            }
        }
        if (lastX > 0) {
            // XChart puts the ticks of equally spaced x values on data points, as many as fit
            // (1, 30, 59, ... for 600 iterations; XChart issue #731): three invisible points, not
            // equally spaced with the rest, give it an axis from 0 to a multiple of a round step,
            // which it cuts at round values
            double end = Math.ceil(lastX / roundStep(lastX)) * roundStep(lastX);
            XYSeries axis = chart.addSeries(" axis", new double[] {0, 0.5, end}, new double[] {someY, someY, someY});
            axis.setLineStyle(SeriesLines.NONE);
            axis.setMarker(SeriesMarkers.NONE);
            axis.setShowInLegend(false);
        }
        try {
            // written beside it and moved in place: a run killed while drawing leaves the previous plot, not a torn file
            Path target = file.toAbsolutePath();
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            Files.write(partial, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the loss plot " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A step of 1, 2 or 5 times a power of ten that cuts [0, extent] into 4 to 10 parts.
     *
     * @param extent the axis' largest value, positive
     * @return the step
     */
    static double roundStep(double extent) {
        double power = Math.pow(10, Math.floor(Math.log10(extent / 4)));
        for (double m : new double[] {1, 2, 5}) {
            if (extent / (m * power) <= 10) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static double[] column(List<double[]> points, int c) {
        double[] out = new double[points.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = points.get(i)[c];
        }
        return out;
    }

    /**
     * The bias-corrected exponential moving average: s_t = w s_{t-1} + (1 - w) y_t from s_0 = 0,
     * divided by 1 - w^t so the first points are not pulled towards 0.
     *
     * @param y the raw values
     * @return the smoothed values
     */
    static double[] smoothed(double[] y) {
        double[] out = new double[y.length];
        double average = 0;
        double weight = 1;
        for (int i = 0; i < y.length; i++) {
            average = SMOOTHING * average + (1 - SMOOTHING) * y[i];
            weight *= SMOOTHING;
            out[i] = average / (1 - weight);
        }
        return out;
    }
}
