package dev.unroll.rnn.layer;

/**
 * The structure of a recurrent layer, as the arguments of PyTorch's {@code nn.LSTM}: number of
 * stacked layers (layer l reads layer l-1's output at the same step), bidirectional, dropout
 * between layers (in training), and whether the initial state is learned. Immutable; start from
 * {@link #defaults()} and change what you need, e.g.
 * {@code RecurrentOptions.defaults().layers(2).dropout(0.2)}.
 */
public final class RecurrentOptions {

    private final int layers;
    private final boolean bidirectional;
    private final double dropout;
    private final boolean learnedInitialState;

    private RecurrentOptions(int layers, boolean bidirectional, double dropout, boolean learnedInitialState) {
        if (layers < 1) {
            throw new IllegalArgumentException("RecurrentOptions: layers " + layers + " must be at least 1");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("RecurrentOptions: dropout " + dropout + " is outside [0, 1)");
        }
        this.layers = layers;
        this.bidirectional = bidirectional;
        this.dropout = dropout;
        this.learnedInitialState = learnedInitialState;
    }

    /** @return one unidirectional layer, no dropout, zero initial state */
    public static RecurrentOptions defaults() {
        return new RecurrentOptions(1, false, 0.0, false);
    }

    /**
     * @param n stacked layers, at least 1
     * @return these options with n layers
     */
    public RecurrentOptions layers(int n) {
        return new RecurrentOptions(n, bidirectional, dropout, learnedInitialState);
    }

    /** @return these options, bidirectional */
    public RecurrentOptions bidirectional() {
        return new RecurrentOptions(layers, true, dropout, learnedInitialState);
    }

    /**
     * @param p drop probability applied to each layer's output except the last, in [0, 1)
     * @return these options with that dropout
     */
    public RecurrentOptions dropout(double p) {
        return new RecurrentOptions(layers, bidirectional, p, learnedInitialState);
    }

    /** @return these options with a learned initial state (h0, and c0 for the LSTM) */
    public RecurrentOptions learnedInitialState() {
        return new RecurrentOptions(layers, bidirectional, dropout, true);
    }

    /** @return the number of stacked layers */
    public int layers() {
        return layers;
    }

    /** @return whether each layer also reads the sequence backwards */
    public boolean isBidirectional() {
        return bidirectional;
    }

    /** @return the dropout probability between layers */
    public double dropout() {
        return dropout;
    }

    /** @return whether the initial state is learned */
    public boolean hasLearnedInitialState() {
        return learnedInitialState;
    }

    /** @return 2 when bidirectional, else 1 */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    @Override
    public String toString() {
        return "layers=" + layers + (bidirectional ? ", bidirectional" : "") + (dropout > 0 ? ", dropout=" + dropout : "")
                + (learnedInitialState ? ", learned initial state" : "");
    }
}
