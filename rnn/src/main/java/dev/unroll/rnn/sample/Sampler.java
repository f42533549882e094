package dev.unroll.rnn.sample;

import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.rnn.State;
import dev.unroll.rnn.TokenModel;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Generates tokens from a {@link TokenModel}, one step at a time with the state carried:
 * greedily ({@link #argmax}), from the softmax of the logits divided by a temperature
 * ({@link #temperature}), or from the k most likely tokens only ({@link #topK}). Sampling is
 * seeded through the generator, and never records on a tape.
 */
public final class Sampler {

    /** Pass as end token when generation should only stop at the maximum length. */
    public static final int NO_END = -1;

    private final TokenModel model;
    private final double temperature;
    private final int topK;
    private final RandomGenerator rng;

    private Sampler(TokenModel model, double temperature, int topK, RandomGenerator rng) {
        this.model = model;
        this.temperature = temperature;
        this.topK = topK;
        this.rng = rng;
    }

    /**
     * Always picks the most likely token.
     *
     * @param model the model
     * @return a deterministic sampler
     */
    public static Sampler argmax(TokenModel model) {
        return new Sampler(model, 0.0, 0, null);
    }

    /**
     * Samples from softmax(logits / temperature): below 1 sharper, above 1 more varied, and
     * approaching argmax as the temperature approaches 0.
     *
     * @param model the model
     * @param temperature positive
     * @param rng the generator
     * @return the sampler
     */
    public static Sampler temperature(TokenModel model, double temperature, RandomGenerator rng) {
        return topK(model, 0, temperature, rng);
    }

    /**
     * Samples from the k most likely tokens only, renormalised, with a temperature.
     *
     * @param model the model
     * @param k how many tokens to keep, at least 1 (0 keeps all)
     * @param temperature positive
     * @param rng the generator
     * @return the sampler
     */
    public static Sampler topK(TokenModel model, int k, double temperature, RandomGenerator rng) {
        if (!(temperature > 0) || k < 0) {
            throw new IllegalArgumentException("Sampler: temperature " + temperature + " must be positive and k " + k
                    + " non-negative (0 keeps every token)");
        }
        return new Sampler(model, temperature, k, rng);
    }

    /**
     * Feeds a prefix through the model (priming its state) and returns a stepper positioned to
     * produce the token that follows it.
     *
     * @param prefix at least one token, e.g. a start token or a priming text
     * @return the stepper
     */
    public Stepper start(int... prefix) {
        if (prefix.length == 0) {
            throw new IllegalArgumentException("Sampler.start: give at least one token to condition on "
                    + "(a start token or a priming text)");
        }
        try (Tape.Paused paused = Tape.pause()) {
            List<State> state = model.initialState(1);
            TokenModel.Step step = null;
            for (int token : prefix) {
                step = model.step(new int[] {token}, state);
                state = step.state();
            }
            return new Stepper(step);
        }
    }

    /**
     * Generates up to {@code maxLength} tokens after a prefix, stopping after the end token.
     *
     * @param prefix the conditioning tokens (not included in the result)
     * @param maxLength the most tokens to generate
     * @param endToken the token that ends generation (included in the result), or {@link #NO_END}
     * @return the generated tokens
     */
    public int[] generate(int[] prefix, int maxLength, int endToken) {
        Stepper stepper = start(prefix);
        int[] out = new int[maxLength];
        int n = 0;
        while (n < maxLength) {
            out[n] = stepper.next();
            if (out[n++] == endToken) {
                break;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Produces one token per call, feeding each back into the model. */
    public final class Stepper {

        private TokenModel.Step current;

        private Stepper(TokenModel.Step current) {
            this.current = current;
        }

        /** @return the next token; the model's state advances past it */
        public int next() {
            int token = choose(current.logits());
            try (Tape.Paused paused = Tape.pause()) {
                current = model.step(new int[] {token}, current.state());
            }
            return token;
        }

        /** @return the probabilities of the next token under this sampler's temperature (1 x vocabulary) */
        public double[] probabilities() {
            return distribution(current.logits());
        }

        /** @return the state after the tokens produced so far */
        public List<State> state() {
            return current.state();
        }
    }

    /**
     * Picks a token from one row of logits under this sampler's rule.
     *
     * @param logits 1 x vocabulary
     * @return the token
     */
    public int choose(Tensor logits) {
        if (temperature == 0) {
            return argmaxOf(logits.data());
        }
        double[] p = distribution(logits);
        double u = rng.nextDouble();
        double cumulative = 0;
        int last = 0;
        for (int j = 0; j < p.length; j++) {
            if (p[j] > 0) {
                cumulative += p[j];
                last = j;
                if (u < cumulative) {
                    return j;
                }
            }
        }
        return last;
    }

    private double[] distribution(Tensor logits) {
        double[] x = logits.data();
        double[] p = new double[x.length];
        if (temperature == 0) {
            p[argmaxOf(x)] = 1;
            return p;
        }
        double threshold = Double.NEGATIVE_INFINITY;
        if (topK > 0 && topK < x.length) {
            double[] sorted = x.clone();
            Arrays.sort(sorted);
            threshold = sorted[x.length - topK];
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        int kept = 0;
        for (int j = 0; j < x.length; j++) {
            if (x[j] >= threshold && (topK == 0 || kept < topK)) {
                p[j] = Math.exp((x[j] - max) / temperature);
                sum += p[j];
                kept++;
            }
        }
        for (int j = 0; j < p.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    private static int argmaxOf(double[] x) {
        int best = 0;
        for (int j = 1; j < x.length; j++) {
            if (x[j] > x[best]) {
                best = j;
            }
        }
        return best;
    }
}
