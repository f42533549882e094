package dev.unroll.rnn.decode;

import dev.unroll.autograd.Tape;
import dev.unroll.rnn.State;
import dev.unroll.rnn.TokenModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Beam search: keeps the {@code width} most probable partial hypotheses of each sequence, all
 * sequences' beams stepped as one batch, and returns each sequence's n-best list ranked by
 * {@link LengthPenalty} score. At each step every live beam is extended by every token; of the
 * 2 x width best extensions of a sequence, those ranked within the width that are the end
 * token become finished hypotheses, the first width others the next beams (as PyTorch's fairseq
 * and Hugging Face's {@code generate(num_beams=...)} do). A sequence stops when it holds
 * {@code width} finished hypotheses and no live beam can still score better than the worst of them
 * (its log-probability can only fall); live beams at the maximum length count as unfinished
 * hypotheses. Width 1 without a length penalty is greedy decoding.
 *
 * <p>Immutable; the settings are chosen with {@link #width(int)} and the {@code with} methods, e.g.
 * {@code BeamSearch.width(5).lengthPenalty(0.6).nBest(3).endToken(eos).maxLength(50)}. Decoding
 * runs without a tape; call the model's {@code eval()} first when dropout or zoneout acts
 * differently in training.
 */
public final class BeamSearch {

    /** Pass as end token when only the maximum length should stop a hypothesis. */
    public static final int NO_END = -1;

    private final int width;
    private final LengthPenalty penalty;
    private final int nBest;
    private final int endToken;
    private final int maxLength;

    private BeamSearch(int width, LengthPenalty penalty, int nBest, int endToken, int maxLength) {
        if (width < 1 || nBest < 1 || nBest > width) {
            throw new IllegalArgumentException("BeamSearch: width " + width + " must be at least 1 and nBest " + nBest
                    + " in [1, width]; a beam of width k finds at most k hypotheses");
        }
        if (maxLength < 0) {
            throw new IllegalArgumentException("BeamSearch: maxLength " + maxLength + " is negative; pass 0 or more");
        }
        this.width = width;
        this.penalty = penalty;
        this.nBest = nBest;
        this.endToken = endToken;
        this.maxLength = maxLength;
    }

    /**
     * A search of the given width, without length penalty, returning the best hypothesis, with no
     * end token and a maximum length of 100.
     *
     * @param width the beams kept per sequence, at least 1
     * @return the search
     */
    public static BeamSearch width(int width) {
        return new BeamSearch(width, LengthPenalty.NONE, 1, NO_END, 100);
    }

    /**
     * @param alpha Wu et al.'s exponent (0 for none)
     * @return this search with that length penalty
     */
    public BeamSearch lengthPenalty(double alpha) {
        return new BeamSearch(width, new LengthPenalty(alpha), nBest, endToken, maxLength);
    }

    /**
     * @param n how many hypotheses to return per sequence, in [1, width]
     * @return this search returning n-best lists of n
     */
    public BeamSearch nBest(int n) {
        return new BeamSearch(width, penalty, n, endToken, maxLength);
    }

    /**
     * @param token the token that ends a hypothesis, or {@link #NO_END}
     * @return this search with that end token
     */
    public BeamSearch endToken(int token) {
        return new BeamSearch(width, penalty, nBest, token, maxLength);
    }

    /**
     * @param tokens the most tokens a hypothesis generates (its end token included), 0 or more
     * @return this search with that maximum length
     */
    public BeamSearch maxLength(int tokens) {
        return new BeamSearch(width, penalty, nBest, endToken, tokens);
    }

    /**
     * Continues prompts with any token model, e.g. a {@link dev.unroll.rnn.model.LanguageModel}
     * or one of your own.
     *
     * @param model the model
     * @param prompts one prompt per sequence, each of at least one token
     * @return each prompt's n-best list, best first (the prompt not included)
     */
    public List<List<Hypothesis>> search(TokenModel model, int[]... prompts) {
        return search(Decodable.prompted(model, prompts));
    }

    /**
     * Decodes a batch of sequences.
     *
     * @param input the sequences, e.g. {@code seq2seq.decoding(source, lengths, start)}
     * @return each sequence's n-best list, best first
     */
    public List<List<Hypothesis>> search(Decodable input) {
        try (Tape.Paused paused = Tape.pause()) {
            DecodingStart start = input.start(width);
            int rows = start.tokens().length;
            if (rows == 0 || rows % width != 0) {
                throw new IllegalArgumentException("BeamSearch: the decodable gave " + rows + " rows for beams of width "
                        + width + "; it must give width rows per sequence");
            }
            return new Run(start, rows / width).run();
        }
    }

    /** The state of one search. */
    private final class Run {
        private final TokenModel model;
        private final int sequences;
        private final double[] logp;
        private int[][] history;
        private List<State> state;
        private int[] next;
        private final List<List<Hypothesis>> finished = new ArrayList<>();
        private final boolean[] done;
        private final Candidates candidates = new Candidates(2 * width);

        Run(DecodingStart start, int sequences) {
            this.model = start.model();
            this.sequences = sequences;
            this.state = start.state();
            this.next = start.tokens();
            int rows = next.length;
            logp = new double[rows];
            history = new int[rows][0];
            done = new boolean[sequences];
            for (int r = 0; r < rows; r++) {
                logp[r] = r % width == 0 ? 0 : Double.NEGATIVE_INFINITY;
            }
            for (int b = 0; b < sequences; b++) {
                finished.add(new ArrayList<>());
            }
        }

        List<List<Hypothesis>> run() {
            int active = sequences;
            for (int t = 0; t < maxLength && active > 0; t++) {
                TokenModel.Step step = model.step(next, state);
                double[][] logits = step.logits().toArray();
                int[] parents = new int[logp.length];
                int[] tokens = next.clone();
                double[] extended = logp.clone();
                for (int b = 0; b < sequences; b++) {
                    if (done[b]) {
                        for (int j = 0; j < width; j++) {
                            parents[b * width + j] = b * width + j;
                        }
                        continue;
                    }
                    extend(b, t, logits, parents, tokens, extended);
                    if (t + 1 < maxLength && isDone(b, t + 1, extended)) {
                        done[b] = true;
                        active--;
                    }
                }
                state = StateRows.gather(step.state(), parents);
                int[][] grown = new int[logp.length][];
                for (int r = 0; r < grown.length; r++) {
                    grown[r] = done[r / width] && parents[r] == r ? history[r]
                            : appended(history[parents[r]], tokens[r]);
                }
                history = grown;
                next = tokens;
                System.arraycopy(extended, 0, logp, 0, logp.length);
            }
            List<List<Hypothesis>> out = new ArrayList<>(sequences);
            for (int b = 0; b < sequences; b++) {
                if (!done[b]) {
                    for (int j = 0; j < width; j++) {
                        int r = b * width + j;
                        if (logp[r] > Double.NEGATIVE_INFINITY) {
                            keep(b, new Hypothesis(history[r], logp[r], penalty.score(logp[r], maxLength), false));
                        }
                    }
                }
                out.add(List.copyOf(finished.get(b).subList(0, Math.min(nBest, finished.get(b).size()))));
            }
            return out;
        }

        /** Extends sequence b's beams by one token, rows b*width .. b*width + width - 1. */
        private void extend(int b, int t, double[][] logits, int[] parents, int[] tokens, double[] extended) {
            candidates.clear();
            for (int j = 0; j < width; j++) {
                int r = b * width + j;
                if (logp[r] > Double.NEGATIVE_INFINITY) {
                    double[] lp = logSoftmax(logits[r]);
                    for (int v = 0; v < lp.length; v++) {
                        candidates.offer(logp[r] + lp[v], r, v);
                    }
                }
            }
            int live = 0;
            for (int c = 0; c < candidates.size() && live < width; c++) {
                int r = candidates.row(c);
                int v = candidates.token(c);
                double score = candidates.score(c);
                if (v == endToken) {
                    if (c < width) {
                        keep(b, new Hypothesis(history[r], score, penalty.score(score, t + 1), true));
                    }
                } else {
                    int target = b * width + live++;
                    parents[target] = r;
                    tokens[target] = v;
                    extended[target] = score;
                }
            }
            for (; live < width; live++) {
                int target = b * width + live;
                parents[target] = b * width;
                extended[target] = Double.NEGATIVE_INFINITY;
            }
        }

        /** Whether sequence b is settled, its beams holding {@code length} tokens with log-probabilities {@code beams}. */
        private boolean isDone(int b, int length, double[] beams) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                best = Math.max(best, beams[b * width + j]);
            }
            List<Hypothesis> kept = finished.get(b);
            if (best == Double.NEGATIVE_INFINITY) {
                return true;
            }
            return kept.size() >= width
                    && penalty.bestReachable(best, length + 1, maxLength) <= kept.get(kept.size() - 1).score();
        }

        /** Adds a hypothesis to sequence b's list, kept sorted by score and at most width long. */
        private void keep(int b, Hypothesis h) {
            List<Hypothesis> kept = finished.get(b);
            int at = kept.size();
            while (at > 0 && kept.get(at - 1).score() < h.score()) {
                at--;
            }
            if (at < width) {
                kept.add(at, h);
                if (kept.size() > width) {
                    kept.remove(width);
                }
            }
        }
    }

    private static int[] appended(int[] tokens, int token) {
        int[] out = Arrays.copyOf(tokens, tokens.length + 1);
        out[tokens.length] = token;
        return out;
    }

    /** log softmax of one row of logits. */
    private static double[] logSoftmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : logits) {
            sum += Math.exp(v - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = logits[j] - log;
        }
        return out;
    }

    /** The best n (score, row, token) triples offered, best first; equal scores keep the order offered. */
    private static final class Candidates {
        private final double[] scores;
        private final int[] rows;
        private final int[] tokens;
        private int size;

        Candidates(int capacity) {
            scores = new double[capacity];
            rows = new int[capacity];
            tokens = new int[capacity];
        }

        void clear() {
            size = 0;
        }

        void offer(double score, int row, int token) {
            if (size == scores.length && !(score > scores[size - 1])) {
                return;
            }
            int at = size == scores.length ? size - 1 : size++;
            while (at > 0 && scores[at - 1] < score) {
                scores[at] = scores[at - 1];
                rows[at] = rows[at - 1];
                tokens[at] = tokens[at - 1];
                at--;
            }
            scores[at] = score;
            rows[at] = row;
            tokens[at] = token;
        }

        int size() {
            return size;
        }

        double score(int i) {
            return scores[i];
        }

        int row(int i) {
            return rows[i];
        }

        int token(int i) {
            return tokens[i];
        }
    }

    @Override
    public String toString() {
        return "BeamSearch(width " + width + ", length penalty " + penalty.alpha() + ", " + nBest + "-best, end "
                + (endToken == NO_END ? "none" : endToken) + ", max length " + maxLength + ")";
    }
}
