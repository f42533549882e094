package dev.unroll.train.parallel;

/**
 * How a batch of {@code batch} sequences is cut into shards: shard s of n takes sequences
 * [s * batch / n, (s + 1) * batch / n), so shard sizes differ by at most one and every sequence
 * belongs to exactly one shard.
 */
public final class Shards {

    private Shards() {
    }

    /**
     * @param batch the global batch size
     * @param shard the shard, in [0, shards)
     * @param shards the number of shards, at most the batch size
     * @return the shard's first sequence (inclusive) and last (exclusive)
     */
    public static int[] range(int batch, int shard, int shards) {
        if (shards < 1 || shards > batch || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("Shards: shard " + shard + " of " + shards + " for a batch of " + batch
                    + "; need 1 <= shards <= batch and 0 <= shard < shards");
        }
        return new int[] {(int) ((long) shard * batch / shards), (int) ((long) (shard + 1) * batch / shards)};
    }

    /**
     * The shard's columns of step-major tokens ({@code tokens[t][b]}, as language models take them).
     *
     * @param tokens tokens[t][b] for every step t and sequence b
     * @param shard the shard
     * @param shards the number of shards
     * @return tokens[t][b] for the shard's sequences only
     */
    public static int[][] columns(int[][] tokens, int shard, int shards) {
        int[] r = range(tokens[0].length, shard, shards);
        int[][] out = new int[tokens.length][r[1] - r[0]];
        for (int t = 0; t < tokens.length; t++) {
            System.arraycopy(tokens[t], r[0], out[t], 0, r[1] - r[0]);
        }
        return out;
    }
}
