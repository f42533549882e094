package dev.unroll.rnn.tbptt;

/**
 * A long token stream cut into B contiguous parallel streams, as char-rnn batches text: stream b
 * is the b-th of B equal slices, so each row of a batch continues where that row of the previous
 * chunk stopped and the carried hidden state stays meaningful. Targets are the inputs shifted
 * by one token.
 */
public final class ParallelStreams {

    private final int[] tokens;
    private final int batch;
    private final int length;

    /**
     * @param tokens the whole stream
     * @param batch the number of parallel streams B
     */
    public ParallelStreams(int[] tokens, int batch) {
        if (batch < 1 || tokens.length - 1 < batch) {
            throw new IllegalArgumentException("ParallelStreams: " + tokens.length + " tokens cannot make " + batch
                    + " streams of at least 2 tokens each");
        }
        this.tokens = tokens;
        this.batch = batch;
        this.length = (tokens.length - 1) / batch;
    }

    /** @return the number of input steps in each stream */
    public int length() {
        return length;
    }

    /** @return the number of streams */
    public int batch() {
        return batch;
    }

    /**
     * @param from first step (inclusive)
     * @param to last step (exclusive), at most {@link #length()}
     * @return inputs[t][b] = token at step from + t of stream b
     */
    public int[][] inputs(int from, int to) {
        return window(from, to, 0);
    }

    /**
     * @param from first step (inclusive)
     * @param to last step (exclusive)
     * @return targets[t][b] = the token after inputs[t][b]
     */
    public int[][] targets(int from, int to) {
        return window(from, to, 1);
    }

    private int[][] window(int from, int to, int shift) {
        if (from < 0 || to > length || from >= to) {
            throw new IllegalArgumentException("ParallelStreams: steps [" + from + ", " + to + ") outside [0, " + length
                    + ")");
        }
        int[][] out = new int[to - from][batch];
        for (int t = from; t < to; t++) {
            for (int b = 0; b < batch; b++) {
                out[t - from][b] = tokens[b * length + t + shift];
            }
        }
        return out;
    }
}
