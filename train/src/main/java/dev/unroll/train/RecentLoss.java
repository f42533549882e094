package dev.unroll.train;

/**
 * The mean training loss of the latest iterations (a ring of the last {@value #RECENT}), the
 * figure a checkpoint stores and a run reports: one batch's loss is too noisy to compare runs by.
 */
public final class RecentLoss {

    /** How many of the latest iterations the mean covers. */
    public static final int RECENT = 50;

    private final double[] recent = new double[RECENT];
    private int count;

    /** @param loss the latest iteration's loss */
    public void add(double loss) {
        recent[count++ % RECENT] = loss;
    }

    /** @return how many iterations {@link #mean(double)} averages (0 before the first) */
    public int size() {
        return Math.min(count, RECENT);
    }

    /**
     * @param none what to return before the first iteration (e.g. a resumed checkpoint's figure)
     * @return the mean of the last (up to {@value #RECENT}) losses, summed in ring order
     */
    public double mean(double none) {
        int n = size();
        if (n == 0) {
            return none;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += recent[i];
        }
        return sum / n;
    }
}
