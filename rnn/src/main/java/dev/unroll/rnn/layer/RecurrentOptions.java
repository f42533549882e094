package dev.unroll.rnn.layer;

/**
 * The structure of a recurrent layer, as the arguments of PyTorch's {@code nn.LSTM}: number of
 * stacked layers (layer l reads layer l-1's output at the same step), bidirectional, dropout
 * between layers (in training), whether the initial state is learned, and (LSTM only) the
 * forget gate's initial bias. Immutable; start from {@link #defaults()} and change what you
 * need, e.g. {@code RecurrentOptions.defaults().layers(2).dropout(0.2).forgetBias(1.0)}.
 */
public final class RecurrentOptions {

    private final int layers;
    private final boolean bidirectional;
    private final double dropout;
    private final boolean learnedInitialState;
    private final double forgetBias;

    private RecurrentOptions(int layers, boolean bidirectional, double dropout, boolean learnedInitialState,
            double forgetBias) {
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
        this.forgetBias = forgetBias;
    }

    /** @return one unidirectional layer, no dropout, zero initial state, PyTorch's initial biases */
    public static RecurrentOptions defaults() {
        return new RecurrentOptions(1, false, 0.0, false, Double.NaN);
    }

    /**
     * @param n stacked layers, at least 1
     * @return these options with n layers
     */
    public RecurrentOptions layers(int n) {
        return new RecurrentOptions(n, bidirectional, dropout, learnedInitialState, forgetBias);
    }

    /** @return these options, bidirectional */
    public RecurrentOptions bidirectional() {
        return new RecurrentOptions(layers, true, dropout, learnedInitialState, forgetBias);
    }

    /**
     * @param p drop probability applied to each layer's output except the last, in [0, 1)
     * @return these options with that dropout
     */
    public RecurrentOptions dropout(double p) {
        return new RecurrentOptions(layers, bidirectional, p, learnedInitialState, forgetBias);
    }

    /** @return these options with a learned initial state (h0, and c0 for the LSTM) */
    public RecurrentOptions learnedInitialState() {
        return new RecurrentOptions(layers, bidirectional, dropout, true, forgetBias);
    }

    /**
     * Sets the LSTM forget gate's initial bias in every layer and direction: its block of
     * {@code bias_ih} starts at {@code bias} and that of {@code bias_hh} at 0, so the gate starts
     * at sigmoid(bias) (1.0 is the usual choice, as Keras' unit_forget_bias, to let gradients
     * flow through time from the start). Only an LSTM has a forget gate: RNN and GRU layers
     * refuse options that set it.
     *
     * @param bias the initial bias, finite
     * @return these options with that forget-gate bias
     */
    public RecurrentOptions forgetBias(double bias) {
        if (!Double.isFinite(bias)) {
            throw new IllegalArgumentException("RecurrentOptions: forget bias " + bias + " must be finite");
        }
        return new RecurrentOptions(layers, bidirectional, dropout, learnedInitialState, bias);
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

    /** @return the LSTM forget gate's initial bias, or NaN for PyTorch's random initialisation */
    public double forgetBias() {
        return forgetBias;
    }

    /** @return whether {@link #forgetBias(double)} was set */
    public boolean hasForgetBias() {
        return !Double.isNaN(forgetBias);
    }

    /** @return 2 when bidirectional, else 1 */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    @Override
    public String toString() {
        return "layers=" + layers + (bidirectional ? ", bidirectional" : "") + (dropout > 0 ? ", dropout=" + dropout : "")
                + (learnedInitialState ? ", learned initial state" : "")
                + (hasForgetBias() ? ", forget bias=" + forgetBias : "");
    }
}
