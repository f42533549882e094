package dev.unroll.samples.programs;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.attention.Attention;
import dev.unroll.rnn.attention.AttentionDecoder;
import dev.unroll.rnn.sample.TokenChooser;
import dev.unroll.samples.common.OptionChecks;
import dev.unroll.samples.common.PrecisionOption;
import dev.unroll.samples.common.RunOptions;
import dev.unroll.samples.common.TrainingRun;
import dev.unroll.train.BatchStep;
import dev.unroll.train.Trainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Toy image captioning with attention (show, attend and tell). Each 16x16 RGB image holds two
 * coloured shapes (square, circle, triangle; red, green, blue) in different columns of a 4x4
 * grid; its features are the 16 grid cells' pixels plus their coordinates. An LSTM decoder
 * attends over the cells at every word and learns captions such as "red square left of blue
 * circle". Reports held-out caption accuracy, prints the attention map of each generated word and
 * writes each shown caption's maps as one heat-map PNG (words by image regions).
 */
@Command(name = "caption", mixinStandardHelpOptions = true,
        description = "Toy image captioning: an LSTM decoder with attention describes two coloured shapes.")
public final class CaptionCommand implements Callable<Integer> {

    static final String[] WORDS = {"<start>", "<end>", "red", "green", "blue", "square", "circle", "triangle", "left", "of"};
    private static final int START = 0;
    private static final int END = 1;
    private static final int GRID = 4;
    private static final int CELL = 4;
    private static final int FEATURES = CELL * CELL * 3 + 2;

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Option(names = "--hidden", defaultValue = "64", description = "decoder hidden units (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--iterations", defaultValue = "800",
            description = "training steps of 32 images in all, counting those of a --resume checkpoint (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--show", defaultValue = "3", description = "held-out images whose attention maps are printed (default: ${DEFAULT-VALUE})")
    int show;

    PrintStream out = System.out;
    double accuracy;
    final List<Path> heatMaps = new ArrayList<>();

    /** A batch: per grid cell a batch x FEATURES tensor, and each image's caption tokens [start .. end]. */
    private record Batch(List<Tensor> features, int[][] captions) {
    }

    /** Draws a shape's pixel mask in a CELL x CELL cell. */
    private static boolean pixel(int shape, int y, int x) {
        return switch (shape) {
            case 0 -> true;
            case 1 -> !((y == 0 || y == CELL - 1) && (x == 0 || x == CELL - 1));
            default -> x <= y;
        };
    }

    private static Batch batch(int size, RandomGenerator rng, DType dtype) {
        double[][][] cells = new double[GRID * GRID][size][FEATURES];
        int[][] captions = new int[size][];
        for (int b = 0; b < size; b++) {
            int colA = rng.nextInt(GRID);
            int colB = (colA + 1 + rng.nextInt(GRID - 1)) % GRID;
            int[] color = {rng.nextInt(3), rng.nextInt(3)};
            int[] shape = {rng.nextInt(3), rng.nextInt(3)};
            int[] col = {colA, colB};
            int[] row = {rng.nextInt(GRID), rng.nextInt(GRID)};
            for (int o = 0; o < 2; o++) {
                double[] f = cells[row[o] * GRID + col[o]][b];
                for (int y = 0; y < CELL; y++) {
                    for (int x = 0; x < CELL; x++) {
                        if (pixel(shape[o], y, x)) {
                            f[(y * CELL + x) * 3 + color[o]] = 1.0;
                        }
                    }
                }
            }
            for (int c = 0; c < GRID * GRID; c++) {
                double[] f = cells[c][b];
                for (int i = 0; i < FEATURES - 2; i++) {
                    f[i] += 0.05 * rng.nextGaussian();
                }
                f[FEATURES - 2] = (c / GRID) / (GRID - 1.0);
                f[FEATURES - 1] = (c % GRID) / (GRID - 1.0);
            }
            int left = col[0] < col[1] ? 0 : 1;
            int right = 1 - left;
            captions[b] = new int[] {START, 2 + color[left], 5 + shape[left], 8, 9, 2 + color[right], 5 + shape[right], END};
        }
        List<Tensor> features = new ArrayList<>();
        for (double[][] cell : cells) {
            features.add(Tensor.of(cell).to(dtype));
        }
        return new Batch(features, captions);
    }

    private static int[][] byStep(int[][] captions) {
        int[][] steps = new int[captions[0].length][captions.length];
        for (int b = 0; b < captions.length; b++) {
            for (int t = 0; t < captions[b].length; t++) {
                steps[t][b] = captions[b][t];
            }
        }
        return steps;
    }

    private static String words(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            sb.append(sb.length() == 0 ? "" : " ").append(WORDS[t]);
        }
        return sb.toString();
    }

    /**
     * Writes image b's attention weights as a heat map beside the printed maps (a caption without
     * words has none to draw, and says so).
     */
    private void writeHeatMap(AttentionDecoder.Decoded decoded, int b) {
        int[] tokens = decoded.tokens()[b];
        if (tokens.length == 0) {
            out.println("  (no words, so no attention heat map)");
            return;
        }
        List<String> outputs = new ArrayList<>();
        double[][] weights = new double[tokens.length][GRID * GRID];
        for (int w = 0; w < tokens.length; w++) {
            outputs.add(WORDS[tokens[w]]);
            for (int cell = 0; cell < GRID * GRID; cell++) {
                weights[w][cell] = decoded.weights().get(w).get(b, cell);
            }
        }
        List<String> regions = new ArrayList<>();
        for (int cell = 0; cell < GRID * GRID; cell++) {
            regions.add((cell / GRID) + "," + (cell % GRID));
        }
        Path png = run.outDir("caption").resolve("caption-attention-" + b + ".png");
        AttentionHeatMap.write(png, "image " + b + ": \"" + words(tokens) + "\"", outputs, regions, weights,
                "image region (row, column of the 4x4 grid)");
        heatMaps.add(png);
        out.println("  attention heat map: " + png);
    }

    @Override
    public Integer call() {
        OptionChecks.iterations(iterations);
        OptionChecks.positive("--hidden", hidden);
        OptionChecks.notNegative("--show", show);
        AttentionDecoder decoder = new AttentionDecoder(WORDS.length, 16, FEATURES, hidden,
                Attention.additive(hidden, FEATURES, 32, run.seed), run.seed + 1);
        decoder.to(precision.dtype());
        Adam adam = new Adam(decoder, 0.005);
        RandomGenerator data = Randomness.seeded(run.seed + 2);
        int[] lengths = new int[32];
        Arrays.fill(lengths, 8);
        TrainingRun training = new TrainingRun("caption", run, decoder, adam, Map::of, out);
        training.fit(Trainer.builder(decoder, adam).clipNorm(5).step(new BatchStep<>(
                Stream.generate(() -> batch(32, data, precision.dtype())).iterator(),
                b -> decoder.loss(b.features(), null, byStep(b.captions()), lengths),
                b -> 32L * 7)), iterations, "loss (nats per word)");
        Batch test = batch(500, Randomness.seeded(run.seed + 999), precision.dtype());
        AttentionDecoder.Decoded decoded = decoder.decode(test.features(), null, START, END, 10, TokenChooser.argmax());
        int correct = 0;
        for (int b = 0; b < decoded.tokens().length; b++) {
            int[] expected = Arrays.copyOfRange(test.captions()[b], 1, 7);
            correct += Arrays.equals(expected, decoded.tokens()[b]) ? 1 : 0;
        }
        accuracy = correct / (double) decoded.tokens().length;
        for (int b = 0; b < Math.min(show, decoded.tokens().length); b++) {
            out.println("image " + b + ": \"" + words(decoded.tokens()[b]) + "\" (truth: \""
                    + words(Arrays.copyOfRange(test.captions()[b], 1, 7)) + "\")");
            for (int w = 0; w < decoded.tokens()[b].length; w++) {
                out.println("  attention while producing \"" + WORDS[decoded.tokens()[b][w]] + "\":");
                Tensor weights = decoded.weights().get(w);
                for (int r = 0; r < GRID; r++) {
                    StringBuilder line = new StringBuilder("    ");
                    for (int c = 0; c < GRID; c++) {
                        line.append(String.format(Locale.ROOT, " %4.2f", weights.get(b, r * GRID + c)));
                    }
                    out.println(line);
                }
            }
            writeHeatMap(decoded, b);
        }
        out.printf(Locale.ROOT, "held-out caption accuracy (exact match of all six words): %.1f%% of %d images%n",
                100 * accuracy, decoded.tokens().length);
        training.printFiles();
        return 0;
    }
}
