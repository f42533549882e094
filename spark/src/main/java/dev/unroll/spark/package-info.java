/**
 * The data-parallel step of {@code dev.unroll.train.parallel} on Apache Spark:
 * {@link dev.unroll.spark.SparkDataParallel} (one gradient per partition each step, summed in
 * partition order or in a tree) and {@link dev.unroll.spark.SparkParameterAveraging} (K local
 * steps per partition, then the parameters and optimizer state averaged). Each partition of an
 * RDD is one shard; {@link dev.unroll.spark.PartitionLoss} is its loss, and
 * {@link dev.unroll.spark.ReplicaFactory} and {@link dev.unroll.spark.OptimizerFactory} build the
 * executors' replicas and their optimizers. Spark is a {@code provided} dependency: the
 * application brings it (spark-submit puts it on the class path).
 */
package dev.unroll.spark;
