package dev.unroll.train;

import java.util.Locale;

/**
 * Watches a validation figure, as Keras' {@code EarlyStopping}: a figure better than the best so
 * far by more than {@code minDelta} is an improvement; after {@code patience} validations in a
 * row without one, training stops. Lower is better in {@link Mode#MIN} (a loss), higher in
 * {@link Mode#MAX} (an accuracy). Its best figure and count are saved with the checkpoint, so a
 * resumed run keeps its patience.
 */
public final class EarlyStopping {

    /** Which direction of the figure is better. */
    public enum Mode {
        /** Lower is better (losses, perplexities). */
        MIN,
        /** Higher is better (accuracies). */
        MAX
    }

    private final Mode mode;
    private final int patience;
    private final double minDelta;
    private double best = Double.NaN;
    private int sinceBest;

    /**
     * @param mode whether lower or higher is better
     * @param patience validations without improvement before stopping, at least 1
     * @param minDelta how much better a figure must be to count, zero or positive
     */
    public EarlyStopping(Mode mode, int patience, double minDelta) {
        if (patience < 1 || !(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "EarlyStopping: patience %d must be at least 1"
                    + " and minDelta %s zero or positive", patience, minDelta));
        }
        this.mode = mode;
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /**
     * @param patience validations without a lower figure before stopping
     * @return early stopping on a figure to minimise (a loss), with no minimum delta
     */
    public static EarlyStopping min(int patience) {
        return new EarlyStopping(Mode.MIN, patience, 0);
    }

    /**
     * @param patience validations without a higher figure before stopping
     * @return early stopping on a figure to maximise (an accuracy), with no minimum delta
     */
    public static EarlyStopping max(int patience) {
        return new EarlyStopping(Mode.MAX, patience, 0);
    }

    /**
     * Records a validation figure.
     *
     * @param figure the measured figure; NaN never improves
     * @return whether it improved on the best so far (the first finite figure always does)
     */
    boolean record(double figure) {
        boolean improved = !Double.isNaN(figure) && (Double.isNaN(best)
                || (mode == Mode.MIN ? figure < best - minDelta : figure > best + minDelta));
        if (improved) {
            best = figure;
            sinceBest = 0;
        } else {
            sinceBest++;
        }
        return improved;
    }

    /** @return whether {@code patience} validations in a row brought no improvement */
    boolean shouldStop() {
        return sinceBest >= patience;
    }

    /** @return whether lower or higher figures are better */
    public Mode mode() {
        return mode;
    }

    /** @return the best figure so far, NaN before the first */
    public double best() {
        return best;
    }

    /** @return validations since the best one */
    public int sinceBest() {
        return sinceBest;
    }

    /** Restores the state saved with a checkpoint. */
    void restore(double savedBest, int savedSinceBest) {
        this.best = savedBest;
        this.sinceBest = savedSinceBest;
    }
}
