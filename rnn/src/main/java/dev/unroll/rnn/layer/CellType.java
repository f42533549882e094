package dev.unroll.rnn.layer;

import dev.unroll.autograd.Randomness;
import dev.unroll.rnn.cell.GatedCell;
import dev.unroll.rnn.cell.GruCell;
import dev.unroll.rnn.cell.LstmCell;
import dev.unroll.rnn.cell.RnnCell;

/** The three recurrent cell types, for code that lets the user choose one (e.g. a sample's --cell option). */
public enum CellType {
    /** Vanilla tanh RNN. */
    RNN,
    /** Long short-term memory. */
    LSTM,
    /** Gated recurrent unit. */
    GRU;

    /**
     * A layer of this type.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param options layers, directions, dropout, learned initial state, and for LSTM the
     *     forget-gate bias (RNN and GRU refuse options that set one)
     * @param seed initialisation seed
     * @return the layer
     */
    public RecurrentLayer layer(int inputSize, int hiddenSize, RecurrentOptions options, long seed) {
        return switch (this) {
            case RNN -> new Rnn(inputSize, hiddenSize, RnnCell.Activation.TANH, options, seed);
            case LSTM -> new Lstm(inputSize, hiddenSize, options, seed);
            case GRU -> new Gru(inputSize, hiddenSize, options, seed);
        };
    }

    /**
     * A single cell of this type.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param seed initialisation seed
     * @return the cell
     */
    public GatedCell cell(int inputSize, int hiddenSize, long seed) {
        return switch (this) {
            case RNN -> new RnnCell(inputSize, hiddenSize, seed);
            case LSTM -> new LstmCell(inputSize, hiddenSize, Double.NaN, Randomness.seeded(seed));
            case GRU -> new GruCell(inputSize, hiddenSize, seed);
        };
    }
}
