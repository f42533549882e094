package dev.unroll.rnn;

/**
 * One named part of a recurrent cell's state, e.g. the hidden state {@code h} or an LSTM's cell
 * state {@code c}: batch x width at every step.
 *
 * @param name the part's name, unique within the cell, without dots
 * @param width the number of columns (units)
 */
public record StatePart(String name, int width) {

    /**
     * Checks the name and the width.
     *
     * @param name the part's name
     * @param width its columns
     */
    public StatePart {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("StatePart: name '" + name + "' must be non-empty and contain no dot");
        }
        if (width <= 0) {
            throw new IllegalArgumentException("StatePart: part " + name + " has width " + width + "; it must be positive");
        }
    }
}
