package dev.unroll.samples.common;

import dev.unroll.nn.checkpoint.Printable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A loss curve: one or more named series of (iteration, value) points, written as CSV and as a
 * PNG plot (XChart).
 */
public final class LossLog {

    static {
        // ImageIO's default file cache registers a shutdown hook per stream, which throws while
        // the JVM shuts down: the plot written when Ctrl-C stops training would fail
        ImageIO.setUseCache(false);
    }

    private final String title;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();

    /** @param title the plot's title */
    public LossLog(String title) {
        this.title = title;
    }

    /**
     * Adds a point.
     *
     * @param name the series, e.g. "train" or "validation"
     * @param iteration the x value
     * @param value the y value
     */
    public synchronized void add(String name, double iteration, double value) {
        series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {iteration, value});
    }

    /**
     * Restores points from a CSV written by {@link #writeCsv} (when resuming a run).
     *
     * @param csv the file
     * @throws IllegalArgumentException naming the line, if a row is not a series, an iteration and a value
     */
    public synchronized void readCsv(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the loss curve " + csv + ": " + e.getMessage(), e);
        }
        for (int n = 0; n < lines.size(); n++) {
            String[] parts = lines.get(n).split(",");
            if (n == 0 && lines.get(n).equals("series,iteration,value")) {
                continue;
            }
            try {
                if (parts.length != 3) {
                    throw new NumberFormatException();
                }
                add(parts[0], Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(csv + ", line " + (n + 1) + ": '" + Printable.of(lines.get(n)) + "' is not a "
                        + "series,iteration,value row; repair or delete the file (it only holds the loss curve)");
            }
        }
    }

    /**
     * @param name a series
     * @return its points as (x, y) pairs, in order
     */
    public synchronized List<double[]> points(String name) {
        return List.copyOf(series.getOrDefault(name, List.of()));
    }

    /**
     * Writes {@code series,iteration,value} rows.
     *
     * @param csv the file
     */
    public synchronized void writeCsv(Path csv) {
        StringBuilder sb = new StringBuilder("series,iteration,value\n");
        series.forEach((name, points) -> points.forEach(p ->
                sb.append(name).append(',').append(String.format(Locale.ROOT, "%.0f,%.6f", p[0], p[1])).append('\n')));
        try {
            Files.createDirectories(csv.toAbsolutePath().getParent());
            Files.writeString(csv, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Plots every series.
     *
     * @param png the file
     * @param xLabel the x axis label
     * @param yLabel the y axis label
     * @param logY whether the y axis is logarithmic
     */
    public synchronized void writePng(Path png, String xLabel, String yLabel, boolean logY) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setMarkerSize(3);
        series.forEach((name, points) -> {
            if (!points.isEmpty()) {
                double[] x = new double[points.size()];
                double[] y = new double[points.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = points.get(i)[0];
                    y[i] = points.get(i)[1];
                }
                chart.addSeries(name, x, y).setMarker(points.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            }
        });
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
