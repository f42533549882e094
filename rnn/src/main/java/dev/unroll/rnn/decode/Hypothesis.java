package dev.unroll.rnn.decode;

/**
 * One entry of a beam search's n-best list.
 *
 * @param tokens the generated tokens, without the end token
 * @param logProbability log P(Y), the sum of the log-probabilities of every generated token, the
 *     end token included when it ended
 * @param score the log-probability divided by the length penalty: what the list is ranked by
 * @param ended whether it stopped at the end token (else at the maximum length)
 */
public record Hypothesis(int[] tokens, double logProbability, double score, boolean ended) {

    /** @return |Y|, the tokens the length penalty counts: the tokens, and the end token if it ended */
    public int length() {
        return tokens.length + (ended ? 1 : 0);
    }

    @Override
    public String toString() {
        return java.util.Arrays.toString(tokens) + (ended ? " <end>" : "") + String.format(" (log p %.4f, score %.4f)",
                logProbability, score);
    }
}
