package dev.unroll.spark;

import java.util.List;

/**
 * One shard as a task sees it: the elements of its partition of the data, its index among the
 * partitions, and the local step being taken (always 0 in a gradient step; 0 to K-1 in a round of
 * parameter averaging).
 *
 * @param data the partition's elements, in their order in the partition
 * @param shard the partition's index, in [0, shards)
 * @param shards the number of partitions
 * @param localStep the local step, in [0, K)
 * @param <T> the element type
 */
public record Partition<T>(List<T> data, int shard, int shards, int localStep) {
}
