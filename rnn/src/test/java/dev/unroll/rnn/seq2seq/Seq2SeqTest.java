package dev.unroll.rnn.seq2seq;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tape;
import dev.unroll.nn.clip.GradClipping;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.layer.CellType;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.sample.TokenChooser;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Seq2SeqTest {

    private static final int START = 0;
    private static final int END = 1;
    private static final RecurrentOptions TWO_LAYERS = RecurrentOptions.defaults().layers(2);

    @ParameterizedTest
    @EnumSource(CellType.class)
    void gradientsMatchFiniteDifferences(CellType type) {
        Seq2Seq model = new Seq2Seq(4, 5, 2, type.cells(3, TWO_LAYERS), TWO_LAYERS, 1);
        int[][] source = {{2, 3}, {3, 0}, {1, 0}};
        int[][] target = {{0, 0}, {3, 2}, {4, 1}, {1, 1}};
        GradCheck.check(in -> model.loss(source, new int[] {3, 1}, target, new int[] {4, 3}), model.parameters(), 1e-6)
                .assertBelow(1e-6);
    }

    /** Sampled decoding draws from the seeded generator only: same seed, same tokens. */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void seededSampledDecodingIsReproducibleAndGivesValidTokens(CellType type) {
        Seq2Seq model = new Seq2Seq(4, 6, 3, type.cells(5, TWO_LAYERS), TWO_LAYERS, 11);
        int[][] source = {{2, 3, 1, 2}, {3, 0, 2, 2}, {1, 0, 3, 1}};
        int[] lengths = {3, 1, 3, 2};
        int[][] first = model.decode(source, lengths, START, END, 8, TokenChooser.temperature(2.0, Randomness.seeded(12)));
        int[][] again = model.decode(source, lengths, START, END, 8, TokenChooser.temperature(2.0, Randomness.seeded(12)));
        int[][] otherSeed = model.decode(source, lengths, START, END, 8,
                TokenChooser.temperature(2.0, Randomness.seeded(13)));
        int[][] greedy = model.decode(source, lengths, START, END, 8, TokenChooser.argmax());
        assertArrayEquals(first, again);
        assertFalse(Arrays.deepEquals(first, otherSeed), "another seed draws other tokens");
        assertFalse(Arrays.deepEquals(first, greedy), "sampling at temperature 2 departs from argmax");
        assertArrayEquals(greedy, model.decode(source, lengths, START, END, 8, TokenChooser.argmax()));
        for (int[][] decoded : new int[][][] {first, otherSeed}) {
            assertEquals(4, decoded.length);
            for (int[] sequence : decoded) {
                assertTrue(sequence.length <= 8);
                for (int token : sequence) {
                    assertTrue(token >= 0 && token < 6 && token != END, "token " + token);
                }
            }
        }
    }

    /** Reversal of digit strings of length 1 to 4 over digits 2..6 (0 start, 1 end). */
    @Test
    void learnsToReverseShortSequences() {
        Seq2Seq model = new Seq2Seq(7, 7, 8, CellType.LSTM.cells(32, RecurrentOptions.defaults()), RecurrentOptions.defaults(), 3);
        Adam adam = new Adam(model, 0.02);
        RandomGenerator rng = Randomness.seeded(4);
        int batch = 16;
        for (int step = 0; step < 300; step++) {
            int[] lengths = new int[batch];
            int[][] source = new int[4][batch];
            int[][] target = new int[6][batch];
            int[] targetLengths = new int[batch];
            for (int b = 0; b < batch; b++) {
                lengths[b] = 1 + rng.nextInt(4);
                target[0][b] = START;
                for (int t = 0; t < lengths[b]; t++) {
                    source[t][b] = 2 + rng.nextInt(5);
                }
                for (int t = 0; t < lengths[b]; t++) {
                    target[t + 1][b] = source[lengths[b] - 1 - t][b];
                }
                target[lengths[b] + 1][b] = END;
                targetLengths[b] = lengths[b] + 2;
            }
            model.zeroGrad();
            try (Tape tape = Tape.record()) {
                tape.backward(model.loss(source, lengths, target, targetLengths));
            }
            GradClipping.clipGradNorm(model.parameters(), 5);
            adam.step();
        }
        int[][] probe = {{2, 3, 4, 6}, {5, 6, 2, 3}, {6, 0, 3, 5}, {3, 0, 0, 2}};
        int[] probeLengths = {4, 2, 3, 4};
        int[][] decoded = model.decode(probe, probeLengths, START, END, 8, TokenChooser.argmax());
        int correct = 0;
        for (int b = 0; b < 4; b++) {
            int[] expected = new int[probeLengths[b]];
            for (int t = 0; t < probeLengths[b]; t++) {
                expected[t] = probe[probeLengths[b] - 1 - t][b];
            }
            correct += Arrays.equals(expected, decoded[b]) ? 1 : 0;
        }
        assertTrue(correct >= 3, "exact reversals " + correct + " of 4: " + Arrays.deepToString(decoded));
    }

    @Test
    void decodingANegativeLengthIsRefusedNamingIt() {
        RecurrentOptions twoLayers = RecurrentOptions.defaults().layers(2);
        Seq2Seq model = new Seq2Seq(4, 5, 2, CellType.GRU.cells(3, twoLayers), twoLayers, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.decode(new int[][] {{1}}, null, 0, 1, -2, TokenChooser.argmax()));
        assertEquals("Seq2Seq.decode: maxLength -2 is negative; pass 0 or more", e.getMessage());
    }
}
