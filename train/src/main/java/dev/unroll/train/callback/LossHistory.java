package dev.unroll.train.callback;

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

/**
 * Loss curves: named series of (iteration, value) points, e.g. "train" and "validation", kept in
 * order and written or restored as {@code series,iteration,value} CSV rows. {@link CsvLog} fills
 * one from a trainer; {@link LossPlot} draws one.
 */
public final class LossHistory {

    private static final String HEADER = "series,iteration,value";

    private final Map<String, List<double[]>> series = new LinkedHashMap<>();

    /**
     * Adds a point.
     *
     * @param name the series, e.g. "train" or "validation"; without commas or line breaks, which
     *     the CSV could not read back
     * @param iteration the x value
     * @param value the y value
     * @throws IllegalArgumentException if the name holds a comma or a line break
     */
    public synchronized void add(String name, double iteration, double value) {
        if (name.contains(",") || name.contains("\n") || name.contains("\r")) {
            throw new IllegalArgumentException("the loss curve's series name '" + Printable.of(name) + "' holds a comma or "
                    + "a line break, which its CSV could not read back; name it without, e.g. "
                    + "'validation exact match (greedy)'");
        }
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
            if (n == 0 && lines.get(n).equals(HEADER)) {
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

    /** @return every series' points, in the order of their first point (a copy) */
    synchronized Map<String, List<double[]>> all() {
        Map<String, List<double[]>> copy = new LinkedHashMap<>();
        series.forEach((name, points) -> copy.put(name, List.copyOf(points)));
        return copy;
    }

    /**
     * Writes {@code series,iteration,value} rows, the iteration as an integer and the value with six decimals.
     *
     * @param csv the file
     */
    public synchronized void writeCsv(Path csv) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        series.forEach((name, points) -> points.forEach(p ->
                sb.append(name).append(',').append(String.format(Locale.ROOT, "%.0f,%.6f", p[0], p[1])).append('\n')));
        try {
            Files.createDirectories(csv.toAbsolutePath().getParent());
            Files.writeString(csv, sb);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the loss curve " + csv + ": " + e.getMessage(), e);
        }
    }
}
