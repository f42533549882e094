package dev.unroll.rnn.loss;

/**
 * Which (timestep, sequence) pairs a sequence loss counts: every step, each sequence's steps up
 * to its length, only its last step (many-to-one), or its last k steps. Immutable.
 */
public final class StepMask {

    private final boolean[][] counted;
    private final int count;

    private StepMask(boolean[][] counted) {
        this.counted = counted;
        int n = 0;
        for (boolean[] row : counted) {
            for (boolean c : row) {
                n += c ? 1 : 0;
            }
        }
        this.count = n;
    }

    /**
     * @param steps timesteps T
     * @param batch sequences B
     * @return every step of every sequence
     */
    public static StepMask all(int steps, int batch) {
        return lastSteps(steps, full(steps, batch), steps);
    }

    /**
     * @param lengths each sequence's length in [1, steps]
     * @param steps timesteps T
     * @return the steps before each sequence's length (padding excluded)
     */
    public static StepMask lengths(int[] lengths, int steps) {
        return lastSteps(steps, lengths, steps);
    }

    /**
     * @param lengths each sequence's length in [1, steps]
     * @param steps timesteps T
     * @return only each sequence's own last step (many-to-one)
     */
    public static StepMask lastStep(int[] lengths, int steps) {
        return lastSteps(1, lengths, steps);
    }

    /**
     * @param k how many final steps count, at least 1
     * @param lengths each sequence's length in [1, steps]
     * @param steps timesteps T
     * @return each sequence's own last k steps
     */
    public static StepMask lastSteps(int k, int[] lengths, int steps) {
        if (k < 1) {
            throw new IllegalArgumentException("StepMask: k " + k + " must be at least 1");
        }
        boolean[][] mask = new boolean[steps][lengths.length];
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 1 || lengths[b] > steps) {
                throw new IllegalArgumentException("StepMask: sequence " + b + " has length " + lengths[b]
                        + " outside [1, " + steps + "]");
            }
            for (int t = Math.max(0, lengths[b] - k); t < lengths[b]; t++) {
                mask[t][b] = true;
            }
        }
        return new StepMask(mask);
    }

    /**
     * An arbitrary mask.
     *
     * @param counted counted[t][b] says whether step t of sequence b counts
     * @return the mask (copied)
     */
    public static StepMask of(boolean[][] counted) {
        boolean[][] copy = new boolean[counted.length][];
        for (int t = 0; t < counted.length; t++) {
            copy[t] = counted[t].clone();
        }
        return new StepMask(copy);
    }

    /**
     * @param steps timesteps
     * @param batch sequences
     * @return an array of {@code batch} lengths, all equal to {@code steps}
     */
    static int[] full(int steps, int batch) {
        int[] lengths = new int[batch];
        java.util.Arrays.fill(lengths, steps);
        return lengths;
    }

    /**
     * @param t the step
     * @param b the sequence
     * @return whether step t of sequence b counts
     */
    public boolean counts(int t, int b) {
        return counted[t][b];
    }

    /** @return the number of timesteps the mask covers */
    public int steps() {
        return counted.length;
    }

    /** @return the number of sequences */
    public int batch() {
        return counted.length == 0 ? 0 : counted[0].length;
    }

    /** @return the number of counted (step, sequence) pairs */
    public int count() {
        return count;
    }
}
