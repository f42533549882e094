package dev.unroll.spark;

/** How the driver combines the partitions' results. */
public enum Summation {

    /**
     * Collects every partition's result and adds them on the driver in partition order, 0, 1,
     * ..., N-1: the same bits as the thread engine and a sequential loop over the same shards,
     * whatever the scheduling. The driver receives N results at once.
     */
    PARTITION_ORDER,

    /**
     * Adds the results in a tree on the executors (Spark's {@code treeReduce}, built on
     * {@code treeAggregate}), so the driver receives few; the order of the additions depends on
     * which task finishes first, so the last bits may differ from run to run (a relative
     * difference of the order of 1e-16 per step).
     */
    TREE
}
