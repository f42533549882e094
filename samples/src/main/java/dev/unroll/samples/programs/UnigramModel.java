package dev.unroll.samples.programs;

/**
 * The baseline a word model must beat: each word's probability is its frequency in the training
 * split with add-one (Laplace) smoothing over the whole vocabulary, p(w) = (count(w) + 1) /
 * (N + V), the context ignored. It predicts over the same ids as the model, {@code <unk>}
 * included, so its perplexity on the same targets is directly comparable.
 */
final class UnigramModel {

    private final double[] logProbability;

    /**
     * @param trainingIds the training split's ids
     * @param vocabulary the number of ids, V
     */
    UnigramModel(int[] trainingIds, int vocabulary) {
        long[] counts = new long[vocabulary];
        for (int id : trainingIds) {
            counts[id]++;
        }
        logProbability = new double[vocabulary];
        double total = trainingIds.length + (double) vocabulary;
        for (int id = 0; id < vocabulary; id++) {
            logProbability[id] = Math.log((counts[id] + 1) / total);
        }
    }

    /**
     * @param targets the words to predict, {@code [step][stream]}
     * @return exp of their mean negative log-probability
     */
    double perplexity(int[][] targets) {
        double sum = 0;
        long n = 0;
        for (int[] step : targets) {
            for (int id : step) {
                sum -= logProbability[id];
                n++;
            }
        }
        return Math.exp(sum / n);
    }
}
