package dev.unroll.samples.programs;

import dev.unroll.autograd.Randomness;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.sample.TokenChooser;
import dev.unroll.rnn.seq2seq.Seq2Seq;
import dev.unroll.samples.common.CellChoice;
import dev.unroll.samples.common.HeldOut;
import dev.unroll.samples.common.OptionChecks;
import dev.unroll.samples.common.PrecisionOption;
import dev.unroll.samples.common.RunOptions;
import dev.unroll.samples.common.TrainingRun;
import dev.unroll.train.Trainer;
import dev.unroll.train.BatchStep;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * An encoder-decoder learns to reverse digit strings of varying length: the encoder's final
 * state starts the decoder, trained with teacher forcing, decoded greedily. Reports held-out
 * exact-match accuracy and shows a few decodings.
 */
@Command(name = "seq2seq", mixinStandardHelpOptions = true,
        description = "An encoder-decoder learns to reverse digit strings.")
public final class Seq2SeqCommand implements Callable<Integer> {

    private static final int START = 0;
    private static final int END = 1;
    private static final int PAD = 2;
    private static final int DIGIT = 3;
    private static final int VOCABULARY = DIGIT + 10;

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Mixin
    CellChoice cell = new CellChoice();

    @Option(names = "--hidden", defaultValue = "128", description = "hidden units (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--max-length", defaultValue = "8", description = "longest digit string (default: ${DEFAULT-VALUE})")
    int maxLength;

    @Option(names = "--iterations", defaultValue = "1200",
            description = "training steps of 32 strings in all, counting those of a --resume checkpoint (default: ${DEFAULT-VALUE})")
    int iterations;

    PrintStream out = System.out;
    double accuracy;

    /** Source and target batches: target = start, reversed digits, end. */
    record Batch(int[][] source, int[] sourceLengths, int[][] target, int[] targetLengths) {
    }

    /** A batch of training strings ({@code heldOut} false) or of held-out ones: the two never share a string. */
    Batch batch(int size, RandomGenerator rng, boolean heldOut) {
        int[][] strings = new int[size][];
        int[] lengths = new int[size];
        for (int b = 0; b < size; b++) {
            do {
                strings[b] = new int[1 + rng.nextInt(maxLength)];
                for (int t = 0; t < strings[b].length; t++) {
                    strings[b][t] = DIGIT + rng.nextInt(10);
                }
            } while (HeldOut.contains(strings[b]) != heldOut);
            lengths[b] = strings[b].length;
        }
        int longest = Arrays.stream(lengths).max().orElse(1);
        int[][] source = new int[longest][size];
        int[][] target = new int[longest + 2][size];
        int[] targetLengths = new int[size];
        for (int b = 0; b < size; b++) {
            for (int t = 0; t < longest; t++) {
                source[t][b] = t < lengths[b] ? strings[b][t] : PAD;
            }
            target[0][b] = START;
            for (int t = 0; t < longest + 1; t++) {
                int value = t < lengths[b] ? source[lengths[b] - 1 - t][b] : t == lengths[b] ? END : PAD;
                target[t + 1][b] = value;
            }
            targetLengths[b] = lengths[b] + 2;
        }
        return new Batch(source, lengths, target, targetLengths);
    }

    private static String digits(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            sb.append(t >= DIGIT ? Character.forDigit(t - DIGIT, 10) : t == END ? '$' : '?');
        }
        return sb.toString();
    }

    @Override
    public Integer call() {
        OptionChecks.iterations(iterations);
        OptionChecks.positive("--hidden", hidden);
        OptionChecks.positive("--max-length", maxLength);
        RecurrentOptions options = cell.options(RecurrentOptions.defaults());
        Seq2Seq model = new Seq2Seq(VOCABULARY, VOCABULARY, 16, cell.cells(hidden, options), options, run.seed);
        model.to(precision.dtype());
        Adam adam = new Adam(model, 0.005);
        RandomGenerator data = Randomness.seeded(run.seed + 1);
        TrainingRun training = new TrainingRun("seq2seq", run, model, adam, () -> Map.of("cell", cell.describe()), out);
        training.fit(Trainer.builder(model, adam).clipNorm(5).step(new BatchStep<>(
                Stream.generate(() -> batch(32, data, false)).iterator(),
                b -> model.loss(b.source(), b.sourceLengths(), b.target(), b.targetLengths()),
                b -> Arrays.stream(b.targetLengths()).sum())), iterations, "loss (nats per target token)");
        Batch test = batch(500, Randomness.seeded(run.seed + 999), true);
        model.eval();
        int[][] decoded = model.decode(test.source(), test.sourceLengths(), START, END, maxLength + 2, TokenChooser.argmax());
        int correct = 0;
        out.println("source -> decoded (expected)");
        for (int b = 0; b < decoded.length; b++) {
            int[] source = new int[test.sourceLengths()[b]];
            int[] expected = new int[source.length];
            for (int t = 0; t < source.length; t++) {
                source[t] = test.source()[t][b];
                expected[source.length - 1 - t] = source[t];
            }
            boolean ok = Arrays.equals(expected, decoded[b]);
            correct += ok ? 1 : 0;
            if (b < 8) {
                out.printf("  %-9s -> %-9s (%s)%s%n", digits(source), digits(decoded[b]), digits(expected), ok ? "" : "  wrong");
            }
        }
        accuracy = correct / (double) decoded.length;
        out.printf(Locale.ROOT, "%s encoder-decoder, strings of 1-%d digits: held-out exact match %.1f%% of %d strings never trained on%n", cell.describe(),
                maxLength, 100 * accuracy, decoded.length);
        training.printFiles();
        return 0;
    }
}
