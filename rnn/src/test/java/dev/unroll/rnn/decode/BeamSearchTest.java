package dev.unroll.rnn.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.rnn.State;
import dev.unroll.rnn.TokenModel;
import dev.unroll.rnn.attention.Attention;
import dev.unroll.rnn.attention.AttentionDecoder;
import dev.unroll.rnn.condition.ConditionedLanguageModel;
import dev.unroll.rnn.layer.CellType;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.rnn.sample.Sampler;
import dev.unroll.rnn.sample.TokenChooser;
import dev.unroll.rnn.seq2seq.Seq2Seq;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class BeamSearchTest {

    /** A token model of one's own: the next-token probabilities depend only on the step, carried in the state. */
    private static final class Scripted implements TokenModel {
        private final double[][] probabilities;

        Scripted(double[][] probabilities) {
            this.probabilities = probabilities;
        }

        @Override
        public int vocabulary() {
            return probabilities[0].length;
        }

        @Override
        public List<State> initialState(int batch) {
            return List.of(State.of(Tensor.zeros(batch, 1)));
        }

        @Override
        public Step step(int[] tokens, List<State> state) {
            int t = (int) state.get(0).h().get(0, 0);
            double[][] logits = new double[tokens.length][];
            for (int r = 0; r < tokens.length; r++) {
                logits[r] = Arrays.stream(probabilities[t]).map(Math::log).toArray();
            }
            return new Step(Tensor.of(logits), List.of(State.of(Tensor.full(tokens.length, 1, t + 1))));
        }
    }

    private static double[] logSoftmax(double[] logits) {
        double max = Arrays.stream(logits).max().orElseThrow();
        double log = max + Math.log(Arrays.stream(logits).map(v -> Math.exp(v - max)).sum());
        return Arrays.stream(logits).map(v -> v - log).toArray();
    }

    /** log P(tokens (+ end) | prompt), by stepping the model one sequence at a time. */
    private static double logProbability(TokenModel model, int[] prompt, int[] tokens, int end) {
        List<State> state = model.initialState(1);
        TokenModel.Step step = null;
        for (int token : prompt) {
            step = model.step(new int[] {token}, state);
            state = step.state();
        }
        double sum = 0;
        int[] all = end < 0 ? tokens : Arrays.copyOf(tokens, tokens.length + 1);
        if (end >= 0) {
            all[tokens.length] = end;
        }
        for (int token : all) {
            sum += logSoftmax(step.logits().toArray()[0])[token];
            step = model.step(new int[] {token}, step.state());
        }
        return sum;
    }

    private static int[] withoutEnd(int[] generated, int end) {
        return generated.length > 0 && generated[generated.length - 1] == end
                ? Arrays.copyOf(generated, generated.length - 1) : generated;
    }

    @Test
    void widthOneIsGreedyDecodingForEveryPromptOfABatch() {
        LanguageModel model = LanguageModel.lstm(7, 4, 9, 2, 3);
        int[][] prompts = {{0}, {4, 2, 5}, {6, 6}};
        int end = Sampler.argmax(model).generate(new int[] {0}, 30, Sampler.NO_END)[6];
        for (int stop : new int[] {BeamSearch.NO_END, end}) {
            List<List<Hypothesis>> beams = BeamSearch.width(1).endToken(stop).maxLength(25).search(model, prompts);
            assertEquals(prompts.length, beams.size());
            for (int b = 0; b < prompts.length; b++) {
                int[] greedy = Sampler.argmax(model).generate(prompts[b], 25, stop);
                Hypothesis best = beams.get(b).get(0);
                assertArrayEquals(withoutEnd(greedy, stop), best.tokens(), "prompt " + b + ", end " + stop);
                assertEquals(stop >= 0 && greedy[greedy.length - 1] == stop, best.ended());
                assertEquals(logProbability(model, prompts[b], best.tokens(), best.ended() ? stop : -1),
                        best.logProbability(), 1e-10);
            }
        }
    }

    @Test
    void widthOneIsGreedyForTheEncoderDecoderTheAttentionDecoderAndTheConditionedModel() {
        int start = 0;
        int end = 1;
        Seq2Seq seq2seq = new Seq2Seq(5, 6, 3, CellType.GRU.cells(7, RecurrentOptions.defaults()),
                RecurrentOptions.defaults(), 4);
        int[][] source = {{2, 3, 4}, {3, 4, 0}, {4, 0, 0}};
        int[] lengths = {3, 2, 1};
        BeamSearch greedy = BeamSearch.width(1).endToken(end).maxLength(12);
        List<List<Hypothesis>> decoded = greedy.search(seq2seq.decoding(source, lengths, start));
        int[][] expected = seq2seq.decode(source, lengths, start, end, 12, TokenChooser.argmax());
        for (int b = 0; b < 3; b++) {
            assertArrayEquals(expected[b], decoded.get(b).get(0).tokens(), "seq2seq source " + b);
        }

        AttentionDecoder attention = new AttentionDecoder(6, 3, 4, 5, Attention.additive(5, 4, 3, 5), 6);
        List<Tensor> features = List.of(Tensor.uniform(2, 4, -1, 1, 7), Tensor.uniform(2, 4, -1, 1, 8),
                Tensor.uniform(2, 4, -1, 1, 9));
        boolean[][] valid = Attention.validFromLengths(new int[] {3, 2}, 3);
        int[][] attended = attention.decode(features, valid, start, end, 12, TokenChooser.argmax()).tokens();
        List<List<Hypothesis>> beamed = greedy.search(attention.decoding(features, valid, start));
        for (int b = 0; b < 2; b++) {
            assertArrayEquals(attended[b], beamed.get(b).get(0).tokens(), "attention sequence " + b);
        }

        for (ConditionedLanguageModel.Mode mode : ConditionedLanguageModel.Mode.values()) {
            ConditionedLanguageModel conditioned = new ConditionedLanguageModel(6, 3, 4,
                    CellType.LSTM.cells(5, RecurrentOptions.defaults()), mode, 10);
            Tensor v = Tensor.uniform(2, 4, -1, 1, 11);
            int[][] prompts = {{start}, {start, 3}};
            List<List<Hypothesis>> given = greedy.search(conditioned.decoding(v, prompts));
            for (int b = 0; b < 2; b++) {
                int[] sampled = Sampler.argmax(conditioned.given(v.sliceRows(b, b + 1))).generate(prompts[b], 12, end);
                assertArrayEquals(withoutEnd(sampled, end), given.get(b).get(0).tokens(), mode + " vector " + b);
            }
        }
    }

    @Test
    void theBestBeamIsNoLessProbableThanTheGreedySequence() {
        LanguageModel model = LanguageModel.gru(6, 4, 8, 1, 21);
        int[][] prompts = {{0}, {1}, {2, 3}, {4}, {5, 5, 1}};
        for (int width : new int[] {2, 4, 8}) {
            for (int end : new int[] {BeamSearch.NO_END, 2}) {
                List<List<Hypothesis>> beams = BeamSearch.width(width).endToken(end).maxLength(10).search(model, prompts);
                List<List<Hypothesis>> greedy = BeamSearch.width(1).endToken(end).maxLength(10).search(model, prompts);
                for (int b = 0; b < prompts.length; b++) {
                    Hypothesis best = beams.get(b).get(0);
                    assertTrue(best.logProbability() >= greedy.get(b).get(0).logProbability() - 1e-12,
                            "width " + width + " end " + end + " prompt " + b + ": " + best + " against " + greedy.get(b));
                    assertEquals(logProbability(model, prompts[b], best.tokens(), best.ended() ? end : -1),
                            best.logProbability(), 1e-10);
                }
            }
        }
    }

    /** Every hypothesis of up to maxLength tokens over a vocabulary whose last token ends a sequence. */
    private static List<Hypothesis> everyHypothesis(TokenModel model, int[] prompt, int end, int maxLength,
            LengthPenalty penalty) {
        List<Hypothesis> all = new ArrayList<>();
        List<int[]> prefixes = List.of(new int[0]);
        for (int length = 0; length <= maxLength; length++) {
            List<int[]> longer = new ArrayList<>();
            for (int[] prefix : prefixes) {
                if (length < maxLength) {
                    double logp = logProbability(model, prompt, prefix, end);
                    all.add(new Hypothesis(prefix, logp, penalty.score(logp, length + 1), true));
                    for (int v = 0; v < model.vocabulary(); v++) {
                        if (v != end) {
                            int[] next = Arrays.copyOf(prefix, length + 1);
                            next[length] = v;
                            longer.add(next);
                        }
                    }
                } else {
                    double logp = logProbability(model, prompt, prefix, -1);
                    all.add(new Hypothesis(prefix, logp, penalty.score(logp, length), false));
                }
            }
            prefixes = longer;
        }
        all.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
        return all;
    }

    @Test
    void aWideEnoughBeamFindsTheExhaustiveTopFive() {
        LanguageModel model = LanguageModel.lstm(4, 3, 5, 1, 8);
        int end = 3;
        int[][] prompts = {{0}, {2, 1}};
        for (double alpha : new double[] {0, 0.8}) {
            LengthPenalty penalty = new LengthPenalty(alpha);
            // 1 + 3 + 9 + 27 sequences that end, 81 that reach the maximum length: the beam never prunes
            List<List<Hypothesis>> beams = BeamSearch.width(121).nBest(5).lengthPenalty(alpha).endToken(end).maxLength(4)
                    .search(model, prompts);
            for (int b = 0; b < prompts.length; b++) {
                List<Hypothesis> exhaustive = everyHypothesis(model, prompts[b], end, 4, penalty);
                assertEquals(121, exhaustive.size());
                assertEquals(5, beams.get(b).size());
                for (int k = 0; k < 5; k++) {
                    Hypothesis expected = exhaustive.get(k);
                    Hypothesis found = beams.get(b).get(k);
                    assertArrayEquals(expected.tokens(), found.tokens(), "alpha " + alpha + " prompt " + b + " rank " + k);
                    assertEquals(expected.ended(), found.ended());
                    assertEquals(expected.logProbability(), found.logProbability(), 1e-10);
                    assertEquals(expected.score(), found.score(), 1e-10);
                }
            }
            List<List<Hypothesis>> narrow = BeamSearch.width(3).nBest(3).lengthPenalty(alpha).endToken(end).maxLength(4)
                    .search(model, prompts);
            for (int b = 0; b < prompts.length; b++) {
                double previous = Double.POSITIVE_INFINITY;
                for (Hypothesis h : narrow.get(b)) {
                    assertEquals(logProbability(model, prompts[b], h.tokens(), h.ended() ? end : -1), h.logProbability(),
                            1e-10);
                    assertEquals(penalty.score(h.logProbability(), h.length()), h.score(), 1e-15);
                    assertTrue(h.score() <= previous);
                    previous = h.score();
                }
            }
        }
    }

    @Test
    void theLengthPenaltyReranksAsWuEtAlsFormulaSays() {
        // token 0 continues, token 1 ends; P(1) = 0.45 at the first step, 0.6 at the second
        Scripted model = new Scripted(new double[][] {{0.55, 0.45}, {0.4, 0.6}});
        BeamSearch search = BeamSearch.width(2).nBest(2).endToken(1).maxLength(2);
        List<Hypothesis> plain = search.search(model, new int[] {0}).get(0);
        assertArrayEquals(new int[0], plain.get(0).tokens());
        assertArrayEquals(new int[] {0}, plain.get(1).tokens());
        assertEquals(Math.log(0.45), plain.get(0).score(), 1e-15);
        List<Hypothesis> penalised = search.lengthPenalty(4).search(model, new int[] {0}).get(0);
        double longer = (Math.log(0.55) + Math.log(0.6)) / Math.pow((5 + 2) / 6.0, 4);
        assertArrayEquals(new int[] {0}, penalised.get(0).tokens());
        assertEquals(longer, penalised.get(0).score(), 1e-15);
        assertArrayEquals(new int[0], penalised.get(1).tokens());
        assertEquals(Math.log(0.45) / Math.pow(6 / 6.0, 4), penalised.get(1).score(), 1e-15);
        // a penalised search goes on past an early end while a longer hypothesis can still score better
        Scripted late = new Scripted(new double[][] {{0.45, 0.5, 0.05}, {0.05, 0.9, 0.05}, {0.05, 0.9, 0.05}});
        BeamSearch one = BeamSearch.width(1).endToken(1).maxLength(3);
        assertArrayEquals(new int[0], one.search(late, new int[] {0}).get(0).get(0).tokens());
        Hypothesis kept = one.lengthPenalty(4).search(late, new int[] {0}).get(0).get(0);
        assertArrayEquals(new int[] {0}, kept.tokens());
        assertEquals((Math.log(0.45) + Math.log(0.9)) / Math.pow(7 / 6.0, 4), kept.score(), 1e-15);
        assertEquals(1.0, new LengthPenalty(0.6).of(1), 0);
        assertEquals(Math.pow(15 / 6.0, 0.6), new LengthPenalty(0.6).of(10), 1e-15);
    }

    @Test
    void theEndTokenStopsAHypothesisAndOnlyTheMaximumLengthStopsTheOthers() {
        Scripted model = new Scripted(new double[][] {{0.3, 0.5, 0.2}, {0.3, 0.5, 0.2}, {0.3, 0.5, 0.2}});
        for (Hypothesis h : BeamSearch.width(3).nBest(3).endToken(1).maxLength(3).search(model, new int[] {0}).get(0)) {
            assertFalse(Arrays.stream(h.tokens()).anyMatch(t -> t == 1), h.toString());
            assertTrue(h.ended() || h.tokens().length == 3, h.toString());
        }
        assertTrue(BeamSearch.width(3).endToken(1).maxLength(3).search(model, new int[] {0}).get(0).get(0).ended());
        for (Hypothesis h : BeamSearch.width(3).nBest(3).maxLength(3).search(model, new int[] {0}).get(0)) {
            assertEquals(3, h.tokens().length);
            assertFalse(h.ended());
        }
        Hypothesis nothing = BeamSearch.width(2).maxLength(0).search(model, new int[] {0}).get(0).get(0);
        assertEquals(0, nothing.tokens().length);
        assertEquals(0.0, nothing.logProbability());
    }

    @Test
    void decodingRecordsNothingOnAnOpenTape() {
        Seq2Seq seq2seq = new Seq2Seq(4, 5, 3, CellType.LSTM.cells(4, RecurrentOptions.defaults()),
                RecurrentOptions.defaults(), 2);
        try (Tape tape = Tape.record()) {
            BeamSearch.width(3).endToken(1).maxLength(6).search(seq2seq.decoding(new int[][] {{2, 3}}, null, 0));
            BeamSearch.width(3).maxLength(6).search(LanguageModel.lstm(4, 2, 3, 1, 1), new int[] {0, 1});
            assertEquals(0, tape.size());
        }
    }

    @Test
    void badSettingsAreRefusedWhereTheyAreMade() {
        assertThrows(IllegalArgumentException.class, () -> BeamSearch.width(0));
        assertThrows(IllegalArgumentException.class, () -> BeamSearch.width(2).nBest(3));
        assertThrows(IllegalArgumentException.class, () -> BeamSearch.width(2).maxLength(-1));
        assertThrows(IllegalArgumentException.class, () -> BeamSearch.width(2).lengthPenalty(Double.NaN));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> BeamSearch.width(2).search(LanguageModel.lstm(3, 2, 2, 1, 1), new int[] {0}, new int[0]));
        assertTrue(empty.getMessage().contains("prompt 1"), empty.getMessage());
    }
}
