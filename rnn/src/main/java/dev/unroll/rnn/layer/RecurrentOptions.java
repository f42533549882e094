package dev.unroll.rnn.layer;

import java.util.List;

/**
 * The structure of a recurrent layer, as the arguments of PyTorch's {@code nn.LSTM}: number of
 * stacked layers (layer l reads layer l-1's output at the same step), bidirectional, dropout
 * between layers (in training), variational dropout, which parts of the initial state are
 * learned, and the settings of the built-in cells: biases (RNN, LSTM, GRU), the forget gate's
 * initial bias and a projection (LSTM). Immutable; start from {@link #defaults()} and change what
 * you need, e.g. {@code RecurrentOptions.defaults().layers(2).dropout(0.2).forgetBias(1.0)}.
 */
public final class RecurrentOptions {

    private final int layers;
    private final boolean bidirectional;
    private final double dropout;
    private final double inputDropout;
    private final double hiddenDropout;
    private final boolean learnAllParts;
    private final List<String> learnedParts;
    private final boolean bias;
    private final double forgetBias;
    private final int projection;

    private RecurrentOptions(int layers, boolean bidirectional, double dropout, double inputDropout, double hiddenDropout,
            boolean learnAllParts, List<String> learnedParts, boolean bias, double forgetBias, int projection) {
        if (layers < 1) {
            throw new IllegalArgumentException("RecurrentOptions: layers " + layers + " must be at least 1");
        }
        checkProbability("dropout", dropout);
        checkProbability("variational input dropout", inputDropout);
        checkProbability("variational hidden dropout", hiddenDropout);
        this.layers = layers;
        this.bidirectional = bidirectional;
        this.dropout = dropout;
        this.inputDropout = inputDropout;
        this.hiddenDropout = hiddenDropout;
        this.learnAllParts = learnAllParts;
        this.learnedParts = learnedParts;
        this.bias = bias;
        this.forgetBias = forgetBias;
        this.projection = projection;
    }

    private static void checkProbability(String what, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("RecurrentOptions: " + what + " " + p + " is outside [0, 1)");
        }
    }

    /** @return one unidirectional layer, no dropout, zero initial state, biases, PyTorch's initial biases */
    public static RecurrentOptions defaults() {
        return new RecurrentOptions(1, false, 0.0, 0.0, 0.0, false, List.of(), true, Double.NaN, 0);
    }

    /**
     * @param n stacked layers, at least 1
     * @return these options with n layers
     */
    public RecurrentOptions layers(int n) {
        return new RecurrentOptions(n, bidirectional, dropout, inputDropout, hiddenDropout, learnAllParts, learnedParts,
                bias, forgetBias, projection);
    }

    /** @return these options, bidirectional */
    public RecurrentOptions bidirectional() {
        return new RecurrentOptions(layers, true, dropout, inputDropout, hiddenDropout, learnAllParts, learnedParts,
                bias, forgetBias, projection);
    }

    /**
     * @param p drop probability applied to each layer's output except the last, in [0, 1)
     * @return these options with that dropout
     */
    public RecurrentOptions dropout(double p) {
        return new RecurrentOptions(layers, bidirectional, p, inputDropout, hiddenDropout, learnAllParts, learnedParts,
                bias, forgetBias, projection);
    }

    /**
     * Variational (recurrent) dropout, Gal and Ghahramani (2016): in training, every layer draws
     * one dropout mask per sequence for its input and one per direction for its hidden state h,
     * and uses the same masks at every step of the sequence (survivors scaled by 1 / (1 - p)).
     * The hidden mask applies to the h a cell reads at each step, not to the layer's output;
     * for a cell that reads h only in its products (the LSTM) this is exactly the paper's, for a
     * GRU it also masks the h of its update (1 - z) * n + z * h. Any cell takes it. It needs
     * the whole sequence: a layer stepped one timestep at a time in training refuses it.
     *
     * @param input the drop probability of every layer's input, in [0, 1)
     * @param hidden the drop probability of the hidden state, in [0, 1)
     * @return these options with variational dropout
     */
    public RecurrentOptions variationalDropout(double input, double hidden) {
        return new RecurrentOptions(layers, bidirectional, dropout, input, hidden, learnAllParts, learnedParts, bias,
                forgetBias, projection);
    }

    /** @return these options with every part of the initial state learned (h0, and c0 for the LSTM, ...) */
    public RecurrentOptions learnedInitialState() {
        return new RecurrentOptions(layers, bidirectional, dropout, inputDropout, hiddenDropout, true, List.of(), bias,
                forgetBias, projection);
    }

    /**
     * Learns the initial value of the named state parts only (e.g. {@code "h"} of an LSTM, whose
     * c then starts at zero); the layer refuses a name its cells' state does not have.
     *
     * @param parts state part names, at least one
     * @return these options with those parts learned
     */
    public RecurrentOptions learnedInitialState(String... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("RecurrentOptions: learnedInitialState() without names learns every part; "
                    + "name at least one part here");
        }
        return new RecurrentOptions(layers, bidirectional, dropout, inputDropout, hiddenDropout, false, List.of(parts),
                bias, forgetBias, projection);
    }

    /**
     * Whether the built-in RNN, LSTM and GRU cells have bias_ih and bias_hh (PyTorch's
     * {@code bias}); layers of other cells refuse {@code bias(false)}.
     *
     * @param on false for cells without biases
     * @return these options with that setting
     */
    public RecurrentOptions bias(boolean on) {
        return new RecurrentOptions(layers, bidirectional, dropout, inputDropout, hiddenDropout, learnAllParts,
                learnedParts, on, forgetBias, projection);
    }

    /**
     * Sets the LSTM forget gate's initial bias in every layer and direction: its block of
     * {@code bias_ih} starts at {@code bias} and that of {@code bias_hh} at 0, so the gate starts
     * at sigmoid(bias) (1.0 is the usual choice, as Keras' unit_forget_bias, to let gradients
     * flow through time from the start). Only an LSTM has a forget gate: layers of other cells
     * refuse options that set it.
     *
     * @param bias the initial bias, finite
     * @return these options with that forget-gate bias
     */
    public RecurrentOptions forgetBias(double bias) {
        if (!Double.isFinite(bias)) {
            throw new IllegalArgumentException("RecurrentOptions: forget bias " + bias + " must be finite");
        }
        return new RecurrentOptions(layers, bidirectional, dropout, inputDropout, hiddenDropout, learnAllParts,
                learnedParts, this.bias, bias, projection);
    }

    /**
     * An LSTM with projection (PyTorch's {@code proj_size}): h = (sigmoid(o) * tanh(c)) W_hr^T
     * has {@code size} columns, c keeps the hidden size; layers of other cells refuse it, and the
     * LSTM refuses a size not smaller than its hidden size.
     *
     * @param size the projection size, positive
     * @return these options with that projection
     */
    public RecurrentOptions projection(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("RecurrentOptions: projection size " + size + " must be positive "
                    + "(leave it unset for no projection)");
        }
        return new RecurrentOptions(layers, bidirectional, dropout, inputDropout, hiddenDropout, learnAllParts,
                learnedParts, bias, forgetBias, size);
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

    /** @return the variational dropout probability of every layer's input */
    public double inputDropout() {
        return inputDropout;
    }

    /** @return the variational dropout probability of the hidden state */
    public double hiddenDropout() {
        return hiddenDropout;
    }

    /** @return whether variational dropout is set on the input or the hidden state */
    public boolean hasVariationalDropout() {
        return inputDropout > 0 || hiddenDropout > 0;
    }

    /** @return whether some part of the initial state is learned */
    public boolean hasLearnedInitialState() {
        return learnAllParts || !learnedParts.isEmpty();
    }

    /**
     * @param part a state part's name
     * @return whether its initial value is learned
     */
    public boolean learnsInitial(String part) {
        return learnAllParts || learnedParts.contains(part);
    }

    /** @return the parts named by {@link #learnedInitialState(String...)} (empty when all or none are learned) */
    public List<String> learnedParts() {
        return learnedParts;
    }

    /** @return whether the built-in cells have biases */
    public boolean hasBias() {
        return bias;
    }

    /** @return the LSTM forget gate's initial bias, or NaN for PyTorch's random initialisation */
    public double forgetBias() {
        return forgetBias;
    }

    /** @return whether {@link #forgetBias(double)} was set */
    public boolean hasForgetBias() {
        return !Double.isNaN(forgetBias);
    }

    /** @return the LSTM's projection size, or 0 for none */
    public int projection() {
        return projection;
    }

    /** @return 2 when bidirectional, else 1 */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    @Override
    public String toString() {
        return "layers=" + layers + (bidirectional ? ", bidirectional" : "") + (dropout > 0 ? ", dropout=" + dropout : "")
                + (hasVariationalDropout() ? ", variational dropout=" + inputDropout + "/" + hiddenDropout : "")
                + (learnAllParts ? ", learned initial state" : "")
                + (learnedParts.isEmpty() ? "" : ", learned initial " + String.join(", ", learnedParts))
                + (bias ? "" : ", no bias")
                + (hasForgetBias() ? ", forget bias=" + forgetBias : "")
                + (projection > 0 ? ", projection=" + projection : "");
    }
}
