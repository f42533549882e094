package dev.unroll.rnn.decode;

/**
 * The length normalisation of beam search scores, Wu et al. 2016 (GNMT), eq. 14:
 * <pre>
 * lp(Y)    = (5 + |Y|)^alpha / (5 + 1)^alpha
 * score(Y) = log P(Y) / lp(Y)
 * </pre>
 * Log-probabilities only fall as a hypothesis grows, so without normalisation ({@code alpha = 0},
 * lp = 1) short hypotheses win; a larger alpha favours longer ones (GNMT uses 0.6 to 0.7).
 *
 * @param alpha the exponent, finite; 0 ranks by log-probability alone
 */
public record LengthPenalty(double alpha) {

    /** No normalisation: hypotheses are ranked by their log-probability. */
    public static final LengthPenalty NONE = new LengthPenalty(0);

    /**
     * Checks alpha.
     *
     * @param alpha the exponent
     */
    public LengthPenalty {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("LengthPenalty: alpha " + alpha + " must be finite (0 for none, GNMT "
                    + "uses 0.6 to 0.7)");
        }
    }

    /**
     * @param length |Y|, the tokens of the hypothesis (its end token included)
     * @return lp(Y)
     */
    public double of(int length) {
        return alpha == 0 ? 1.0 : Math.pow((5.0 + length) / 6.0, alpha);
    }

    /**
     * @param logProbability log P(Y), 0 or less
     * @param length |Y|
     * @return log P(Y) / lp(Y)
     */
    public double score(double logProbability, int length) {
        return logProbability / of(length);
    }

    /**
     * The best score a hypothesis that has {@code logProbability} now can still reach: its
     * log-probability can only fall, and lp is monotone in the length, so the bound divides by
     * the larger of lp at the two extreme lengths.
     *
     * @param logProbability the hypothesis' log-probability now, 0 or less
     * @param shortest the fewest tokens it can end with
     * @param longest the most tokens it can end with
     * @return an upper bound of its final score
     */
    double bestReachable(double logProbability, int shortest, int longest) {
        return logProbability / Math.max(of(shortest), of(longest));
    }
}
