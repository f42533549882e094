package dev.unroll.samples.programs;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * The attention weights of one decoded sequence as a heat-map PNG (XChart): one row per output
 * token, first at the top, one column per input position, each cell the weight the decoder gave
 * that position while producing that token, on a fixed 0-1 scale so maps compare across images.
 */
final class AttentionHeatMap {

    private AttentionHeatMap() {
    }

    /**
     * Writes the heat map.
     *
     * @param png the file to write (its directory is created)
     * @param title the chart's title, e.g. the decoded caption
     * @param outputs the output tokens, one row each
     * @param inputs the names of the input positions, one column each
     * @param weights weights[row][column], each row a distribution over the inputs
     * @param inputAxis the title of the input axis, e.g. "image region (row, column)"
     */
    static void write(Path png, String title, List<String> outputs, List<String> inputs, double[][] weights,
            String inputAxis) {
        if (outputs.isEmpty() || weights.length != outputs.size()) {
            throw new IllegalArgumentException("attention heat map: " + weights.length + " rows of weights for "
                    + outputs.size() + " output tokens; pass one row per (at least one) output token");
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(140 + 48 * inputs.size()).height(160 + 36 * outputs.size())
                .title(title).xAxisTitle(inputAxis).yAxisTitle("output token").build();
        chart.getStyler().setMin(0).setMax(1).setShowValue(true).setHeatMapValueDecimalPattern("0.00")
                .setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11))
                .setRangeColors(new Color[] {Color.WHITE, new Color(0xF4, 0xA5, 0x82), new Color(0xB2, 0x18, 0x2B)});
        chart.getStyler().setLegendVisible(true);
        List<String> rows = new ArrayList<>();
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < outputs.size(); r++) {
            int y = outputs.size() - 1 - r;
            rows.add(0, (r + 1) + ". " + outputs.get(r));
            if (weights[r].length != inputs.size()) {
                throw new IllegalArgumentException("attention heat map: row " + r + " has " + weights[r].length
                        + " weights for " + inputs.size() + " input positions");
            }
            for (int c = 0; c < inputs.size(); c++) {
                cells.add(new Number[] {c, y, weights[r][c]});
            }
        }
        chart.addSeries("attention weight", inputs, rows, cells);
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
