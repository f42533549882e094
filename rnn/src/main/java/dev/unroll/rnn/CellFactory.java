package dev.unroll.rnn;

import java.util.random.RandomGenerator;

/**
 * Builds the cell of one layer and direction of a recurrent layer, e.g.
 * {@code (inputSize, rng) -> new GruCell(inputSize, 128, rng)}: the layer calls it once per layer
 * and direction with that layer's input width (the input's for layer 0, the directions' outputs
 * of the layer below after it).
 */
@FunctionalInterface
public interface CellFactory {

    /**
     * @param inputSize the input features of the cell's layer
     * @param rng the layer's generator, to initialise the cell's parameters (and draw any masks)
     * @return a new cell reading {@code inputSize} features
     */
    RecurrentCell create(int inputSize, RandomGenerator rng);
}
