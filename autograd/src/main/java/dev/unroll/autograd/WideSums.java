package dev.unroll.autograd;

/**
 * Sums of whole arrays in double precision, for either element type: a float32 loss or norm
 * summed over a hundred thousand elements in float would lose about three digits. Written once
 * per element type because the accumulator stays double in both.
 */
public final class WideSums {

    private WideSums() {
    }

    /**
     * @param values the values
     * @return their sum, accumulated in double in index order
     */
    public static double of(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    /**
     * @param values the values
     * @return their sum, accumulated in double in index order
     */
    public static double of(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}
