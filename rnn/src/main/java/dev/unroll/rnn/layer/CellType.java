package dev.unroll.rnn.layer;

import dev.unroll.rnn.CellFactory;
import dev.unroll.rnn.cell.IndRnnCell;
import dev.unroll.rnn.cell.LayerNormLstmCell;
import dev.unroll.rnn.cell.MguCell;
import dev.unroll.rnn.cell.PeepholeLstmCell;
import dev.unroll.rnn.cell.RnnCell;

/**
 * The cells this library ships, for code that lets the user choose one (e.g. a sample's --cell
 * option). A cell of your own needs no entry here: give its {@link CellFactory} to a
 * {@link RecurrentLayer} or a model.
 */
public enum CellType {
    /** Vanilla tanh RNN ({@link RnnCell}). */
    RNN,
    /** Long short-term memory ({@link dev.unroll.rnn.cell.LstmCell}). */
    LSTM,
    /** Gated recurrent unit ({@link dev.unroll.rnn.cell.GruCell}). */
    GRU,
    /** LSTM with peephole connections ({@link PeepholeLstmCell}). */
    PEEPHOLE_LSTM,
    /** Layer-normalized LSTM ({@link LayerNormLstmCell}). */
    LAYER_NORM_LSTM,
    /** Independently recurrent network ({@link IndRnnCell}). */
    IND_RNN,
    /** Minimal gated unit ({@link MguCell}). */
    MGU;

    /**
     * The factory of this type's cells.
     *
     * @param hiddenSize hidden units
     * @param options for RNN, LSTM and GRU the cells' bias, and for LSTM the forget-gate bias and
     *     projection; the other types take none of these (their layer refuses options that set them)
     * @return the factory
     */
    public CellFactory cells(int hiddenSize, RecurrentOptions options) {
        return switch (this) {
            case RNN -> Rnn.cells(hiddenSize, RnnCell.Activation.TANH, options);
            case LSTM -> Lstm.cells(hiddenSize, options);
            case GRU -> Gru.cells(hiddenSize, options);
            case PEEPHOLE_LSTM -> (in, rng) -> new PeepholeLstmCell(in, hiddenSize, rng);
            case LAYER_NORM_LSTM -> (in, rng) -> new LayerNormLstmCell(in, hiddenSize, rng);
            case IND_RNN -> (in, rng) -> new IndRnnCell(in, hiddenSize, rng);
            case MGU -> (in, rng) -> new MguCell(in, hiddenSize, rng);
        };
    }

    /**
     * A layer of this type: an {@link Rnn}, {@link Lstm} or {@link Gru} for those, a
     * {@link RecurrentLayer} of the type's cells otherwise.
     *
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @param options layers, directions, dropout, learned initial state, and the cell settings
     *     of {@link #cells(int, RecurrentOptions)}
     * @param seed initialisation seed
     * @return the layer
     */
    public RecurrentLayer layer(int inputSize, int hiddenSize, RecurrentOptions options, long seed) {
        return switch (this) {
            case RNN -> new Rnn(inputSize, hiddenSize, RnnCell.Activation.TANH, options, seed);
            case LSTM -> new Lstm(inputSize, hiddenSize, options, seed);
            case GRU -> new Gru(inputSize, hiddenSize, options, seed);
            default -> new RecurrentLayer(inputSize, cells(hiddenSize, options), options, seed);
        };
    }
}
