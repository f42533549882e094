package dev.unroll.spark;

/** A task's failure on one shard, naming it; the driver's exception quotes this message. */
final class ShardFailure extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    ShardFailure(int shard, int shards, RuntimeException cause) {
        super("shard " + shard + " of " + shards + " failed: " + cause, cause);
    }
}
