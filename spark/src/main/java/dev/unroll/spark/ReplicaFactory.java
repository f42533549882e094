package dev.unroll.spark;

import dev.unroll.nn.Module;
import java.io.Serializable;

/**
 * Builds a replica of the model on a Spark executor: a model of the same structure (its initial
 * values do not matter, each step copies the driver's parameters into it). Serializable, so
 * Spark ships it to the executors; a lambda such as {@code () -> LanguageModel.lstm(65, 64, 256,
 * 2, 1234)} is, as long as it captures only serializable values.
 *
 * @param <M> the model type
 */
@FunctionalInterface
public interface ReplicaFactory<M extends Module> extends Serializable {

    /** @return a new model of the driver model's structure, never the same object twice */
    M build();
}
