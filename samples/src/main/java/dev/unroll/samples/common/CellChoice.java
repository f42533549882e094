package dev.unroll.samples.common;

import dev.unroll.rnn.CellFactory;
import dev.unroll.rnn.cell.ZoneoutCell;
import dev.unroll.rnn.layer.CellType;
import dev.unroll.rnn.layer.RecurrentLayer;
import dev.unroll.rnn.layer.RecurrentOptions;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options of a program that lets the user choose its recurrent cell: the cell, zoneout and
 * variational dropout (any cell), and the built-in cells' biases and the LSTM's projection.
 */
public final class CellChoice {

    /** The cell type. */
    @Option(names = "--cell", defaultValue = "LSTM",
            description = "the recurrent cell: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    public CellType cell;

    /** Zoneout probability of every state part. */
    @Option(names = "--zoneout", defaultValue = "0",
            description = "zoneout probability of every state part, in [0, 1) (default: ${DEFAULT-VALUE}, none)")
    public double zoneout;

    /** Variational dropout of the inputs and the hidden state. */
    @Option(names = "--variational-dropout", defaultValue = "0",
            description = "variational dropout of every layer's input and hidden state, one mask per sequence, in "
                    + "[0, 1) (default: ${DEFAULT-VALUE}, none)")
    public double variationalDropout;

    /** Whether the built-in cells have no biases. */
    @Option(names = "--no-bias", description = "RNN, LSTM and GRU cells without biases (PyTorch's bias=False)")
    public boolean noBias;

    /** The LSTM's projection size. */
    @Option(names = "--projection", defaultValue = "0",
            description = "LSTM only: project h to this many units, fewer than --hidden (PyTorch's proj_size; default: "
                    + "${DEFAULT-VALUE}, none)")
    public int projection;

    /**
     * @param base the program's structure (layers, learned initial state, ...)
     * @return the structure with these options' dropout, bias and projection
     */
    public RecurrentOptions options(RecurrentOptions base) {
        RecurrentOptions options = base.bias(!noBias);
        if (variationalDropout > 0) {
            options = options.variationalDropout(variationalDropout, variationalDropout);
        }
        return projection > 0 ? options.projection(projection) : options;
    }

    /**
     * @param hidden hidden units
     * @param options the structure from {@link #options}
     * @return the factory of the chosen cells, each wrapped in zoneout when asked for
     */
    public CellFactory cells(int hidden, RecurrentOptions options) {
        CellFactory cells = cell.cells(hidden, options);
        return zoneout == 0 ? cells : (in, rng) -> new ZoneoutCell(cells.create(in, rng), zoneout, rng);
    }

    /**
     * @param inputSize input features
     * @param hidden hidden units
     * @param base the program's structure
     * @param seed initialisation and mask seed
     * @return a layer of the chosen cells
     */
    public RecurrentLayer layer(int inputSize, int hidden, RecurrentOptions base, long seed) {
        RecurrentOptions options = options(base);
        return new RecurrentLayer(inputSize, cells(hidden, options), options, seed);
    }

    /** @return the choice in words, e.g. {@code LSTM, zoneout 0.1} */
    public String describe() {
        return cell + (zoneout > 0 ? String.format(Locale.ROOT, ", zoneout %s", zoneout) : "")
                + (variationalDropout > 0 ? String.format(Locale.ROOT, ", variational dropout %s", variationalDropout) : "")
                + (noBias ? ", no bias" : "") + (projection > 0 ? ", projection " + projection : "");
    }
}
