package dev.unroll.rnn.sample;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The rule that turns one row of next-token logits into a token: greedy ({@link #argmax()}),
 * from softmax(logits / temperature) ({@link #temperature}), or from the k most likely tokens
 * only ({@link #topK}). Random rules draw from the generator they were given.
 */
public final class TokenChooser {

    private final double temperature;
    private final int topK;
    private final RandomGenerator rng;

    private TokenChooser(double temperature, int topK, RandomGenerator rng) {
        this.temperature = temperature;
        this.topK = topK;
        this.rng = rng;
    }

    /** @return the rule that always picks the most likely token */
    public static TokenChooser argmax() {
        return new TokenChooser(0.0, 0, null);
    }

    /**
     * Samples from softmax(logits / temperature): below 1 sharper, above 1 more varied,
     * approaching argmax as the temperature approaches 0.
     *
     * @param temperature positive
     * @param rng the generator
     * @return the rule
     */
    public static TokenChooser temperature(double temperature, RandomGenerator rng) {
        return topK(0, temperature, rng);
    }

    /**
     * Samples from the k most likely tokens only, renormalised, with a temperature.
     *
     * @param k how many tokens to keep (0 keeps all)
     * @param temperature positive
     * @param rng the generator
     * @return the rule
     */
    public static TokenChooser topK(int k, double temperature, RandomGenerator rng) {
        if (!(temperature > 0) || k < 0) {
            throw new IllegalArgumentException("TokenChooser: temperature " + temperature + " must be positive and k "
                    + k + " non-negative (0 keeps every token)");
        }
        return new TokenChooser(temperature, k, rng);
    }

    /**
     * Picks a token.
     *
     * @param logits the scores of every token
     * @return the chosen token
     */
    public int choose(double[] logits) {
        if (temperature == 0) {
            return argmaxOf(logits);
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

    /**
     * The distribution this rule samples from.
     *
     * @param logits the scores of every token
     * @return probabilities summing to 1 (one-hot for argmax)
     */
    public double[] distribution(double[] logits) {
        double[] p = new double[logits.length];
        if (temperature == 0) {
            p[argmaxOf(logits)] = 1;
            return p;
        }
        double threshold = Double.NEGATIVE_INFINITY;
        if (topK > 0 && topK < logits.length) {
            double[] sorted = logits.clone();
            Arrays.sort(sorted);
            threshold = sorted[logits.length - topK];
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        int kept = 0;
        for (int j = 0; j < logits.length; j++) {
            if (logits[j] >= threshold && (topK == 0 || kept < topK)) {
                p[j] = Math.exp((logits[j] - max) / temperature);
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

    @Override
    public String toString() {
        return temperature == 0 ? "argmax" : "temperature " + temperature + (topK > 0 ? ", top " + topK : "");
    }
}
