package dev.unroll.rnn.layer;

import dev.unroll.autograd.ElementwiseOps;
import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import dev.unroll.rnn.SequenceOutput;
import dev.unroll.rnn.State;
import dev.unroll.rnn.cell.GatedCell;
import dev.unroll.rnn.cell.LstmCell;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * A recurrent layer over whole sequences, as PyTorch's {@code nn.RNN}, {@code nn.LSTM} and
 * {@code nn.GRU}: stacked, optionally bidirectional, with dropout between layers, a zero,
 * caller-supplied or learned initial state, and per-sequence lengths.
 *
 * <p>Parameters carry PyTorch's names ({@code weight_ih_l0}, {@code weight_hh_l0},
 * {@code bias_ih_l0}, {@code bias_hh_l0}, with {@code _reverse} for the backward direction), so a
 * PyTorch state_dict loads into it. A learned initial state adds {@code h0_l0} (and
 * {@code c0_l0} for the LSTM), 1 x H each, broadcast over the batch. For an LSTM,
 * {@link RecurrentOptions#forgetBias(double)} sets the forget gate's initial bias in every layer
 * and direction.
 *
 * <p>Each layer projects the inputs of all timesteps with one large product before the
 * recurrence; only the hidden-to-hidden product runs step by step. With lengths, a sequence's
 * padded steps leave its state unchanged and output zeros, and the reverse direction reads each
 * sequence backwards from its own last step, as PyTorch's packed sequences do.
 */
public abstract class RecurrentLayer extends Module {

    /** Builds the cell of one layer and direction. */
    @FunctionalInterface
    protected interface CellFactory {
        /**
         * @param inputSize the input features of this layer
         * @param hiddenSize the hidden units
         * @param rng the initialisation generator
         * @return a new cell
         */
        GatedCell create(int inputSize, int hiddenSize, RandomGenerator rng);
    }

    private final int inputSize;
    private final int hiddenSize;
    private final RecurrentOptions options;
    private final List<GatedCell> cells = new ArrayList<>();
    private final List<Parameter> initialH = new ArrayList<>();
    private final List<Parameter> initialC = new ArrayList<>();
    private final boolean cellState;
    private final RandomGenerator dropoutRng;

    /**
     * @param inputSize input features per step
     * @param hiddenSize hidden units per layer and direction
     * @param options layers, directions, dropout, learned initial state
     * @param rng the generator for initialisation, then for dropout masks
     * @param factory builds each layer's cell
     */
    protected RecurrentLayer(int inputSize, int hiddenSize, RecurrentOptions options, RandomGenerator rng,
            CellFactory factory) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.options = options;
        int dirs = options.directions();
        for (int l = 0; l < options.layers(); l++) {
            for (int d = 0; d < dirs; d++) {
                GatedCell cell = factory.create(l == 0 ? inputSize : hiddenSize * dirs, hiddenSize, rng);
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                registerParameter("weight_ih" + suffix, cell.weightIh());
                registerParameter("weight_hh" + suffix, cell.weightHh());
                registerParameter("bias_ih" + suffix, cell.biasIh());
                registerParameter("bias_hh" + suffix, cell.biasHh());
                cells.add(cell);
            }
        }
        this.cellState = cells.get(0).zeroState(1).c() != null;
        if (options.hasForgetBias() && !(cells.get(0) instanceof LstmCell)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": only an LSTM has a forget gate, but the "
                    + "options set forgetBias(" + options.forgetBias() + "); leave it unset for " + getClass().getSimpleName());
        }
        if (options.hasLearnedInitialState()) {
            for (int l = 0; l < options.layers(); l++) {
                for (int d = 0; d < dirs; d++) {
                    String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                    initialH.add(registerParameter("h0" + suffix, Parameter.zeros(1, hiddenSize)));
                    if (cellState) {
                        initialC.add(registerParameter("c0" + suffix, Parameter.zeros(1, hiddenSize)));
                    }
                }
            }
        }
        this.dropoutRng = rng;
    }

    /**
     * Runs the layer over a sequence from its default initial state (zeros, or the learned one).
     *
     * @param inputs one batch x inputSize tensor per timestep
     * @return outputs at every step and final states
     */
    public SequenceOutput forward(List<Tensor> inputs) {
        return forward(inputs, null, null);
    }

    /**
     * Runs the layer over a sequence.
     *
     * @param inputs one batch x inputSize tensor per timestep
     * @param initial the initial state of every layer and direction (ordered as
     *     {@link SequenceOutput#finalStates()}), or {@code null} for the default
     * @param lengths each sequence's length in [1, T], or {@code null} when all are T
     * @return outputs at every step and final states
     */
    public SequenceOutput forward(List<Tensor> inputs, List<State> initial, int[] lengths) {
        return forward(inputs, initial, lengths, null);
    }

    /**
     * Runs the layer with a constant added to the first layer's gate pre-activations at every
     * step: how a decoder is conditioned on a vector v at each step (pass v W^T, batch x
     * gates*H), as in h_t = tanh(W_xh x_t + W_hh h_{t-1} + W_vh v).
     *
     * @param inputs one batch x inputSize tensor per timestep
     * @param initial initial states, or {@code null} for the default
     * @param lengths each sequence's length, or {@code null} when all are T
     * @param stepBias batch x gates*H added at every step of the first layer (forward
     *     direction only), or {@code null}
     * @return outputs at every step and final states
     */
    public SequenceOutput forward(List<Tensor> inputs, List<State> initial, int[] lengths, Tensor stepBias) {
        int batch = checkInputs(inputs);
        checkStepBias(stepBias, batch);
        Tensor stacked = inputs.size() == 1 ? inputs.get(0) : ShapeOps.concatRows(inputs);
        return run(inputs.size(), batch, d -> {
            Tensor projection = cells.get(d).projectInput(stacked);
            return stepBias == null || d == 1 ? projection : projection.add(tiled(stepBias, inputs.size()));
        }, initial, lengths);
    }

    private static Tensor tiled(Tensor rows, int times) {
        if (times == 1) {
            return rows;
        }
        List<Tensor> copies = new ArrayList<>(times);
        for (int t = 0; t < times; t++) {
            copies.add(rows);
        }
        return ShapeOps.concatRows(copies);
    }

    private void checkStepBias(Tensor stepBias, int batch) {
        int width = cells.get(0).weightIh().rows();
        if (stepBias != null && (stepBias.rows() != batch || stepBias.cols() != width)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": step bias " + stepBias.shape()
                    + " does not fit; it must be " + batch + "x" + width + " (batch x gates*hidden)");
        }
    }

    /**
     * Runs the layer over one-hot encoded tokens without building the one-hot inputs: the first
     * layer's input projection gathers columns of {@code weight_ih_l0} (the inputSize is the
     * vocabulary size). Same result as {@link #forward(List, List, int[])} over one-hot rows.
     *
     * @param tokens tokens[t][b], the token of sequence b at step t, in [0, inputSize)
     * @param initial initial states, or {@code null} for the default
     * @param lengths each sequence's length, or {@code null} when all are T
     * @return outputs at every step and final states
     */
    public SequenceOutput forwardOneHot(int[][] tokens, List<State> initial, int[] lengths) {
        if (tokens.length == 0 || tokens[0].length == 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no tokens; pass tokens[step][sequence]");
        }
        int batch = tokens[0].length;
        int[] flat = new int[tokens.length * batch];
        for (int t = 0; t < tokens.length; t++) {
            if (tokens[t].length != batch) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": step " + t + " has " + tokens[t].length
                        + " tokens but step 0 has " + batch + "; every step needs one token per sequence");
            }
            System.arraycopy(tokens[t], 0, flat, t * batch, batch);
        }
        return run(tokens.length, batch, d -> MatrixOps.linearOfOneHot(flat, cells.get(d).weightIh(),
                cells.get(d).biasIh()), initial, lengths);
    }

    /**
     * Advances a unidirectional layer by one timestep (for sampling and decoding), through
     * every stacked layer, with dropout between layers in training mode.
     *
     * @param input batch x inputSize
     * @param state the state of every layer, as returned by the previous step or {@link #initialState}
     * @return the new state of every layer; the top layer's h is the output
     */
    public List<State> step(Tensor input, List<State> state) {
        return step(input, state, null);
    }

    /**
     * Like {@link #step(Tensor, List)} with a constant added to the first layer's gate
     * pre-activations (see {@link #forward(List, List, int[], Tensor)}).
     *
     * @param input batch x inputSize
     * @param state the state of every layer
     * @param stepBias batch x gates*H, or {@code null}
     * @return the new state of every layer
     */
    public List<State> step(Tensor input, List<State> state, Tensor stepBias) {
        if (options.isBidirectional()) {
            throw new IllegalStateException(getClass().getSimpleName() + ": a bidirectional layer cannot be stepped one "
                    + "timestep at a time (its reverse direction needs the whole sequence); use forward");
        }
        checkInitial(state, input.rows());
        checkStepBias(stepBias, input.rows());
        List<State> next = new ArrayList<>(state.size());
        Tensor x = input;
        for (int l = 0; l < options.layers(); l++) {
            GatedCell cell = cells.get(l);
            Tensor projection = cell.projectInput(x);
            State s = cell.stepProjected(l == 0 && stepBias != null ? projection.add(stepBias) : projection, state.get(l));
            next.add(s);
            x = l < options.layers() - 1 && options.dropout() > 0 && isTraining()
                    ? ElementwiseOps.dropout(s.h(), options.dropout(), dropoutRng) : s.h();
        }
        return next;
    }

    /** The first layer's input projection for one direction, computed for all timesteps at once. */
    @FunctionalInterface
    private interface FirstProjection {
        Tensor of(int direction);
    }

    private SequenceOutput run(int steps, int batch, FirstProjection firstProjection, List<State> initial,
            int[] lengths) {
        int[] lens = effectiveLengths(lengths, batch, steps);
        List<State> starts = initial == null ? initialState(batch) : checkInitial(initial, batch);
        int dirs = options.directions();
        List<Tensor> layerInput = null;
        List<State> finals = new ArrayList<>();
        for (int l = 0; l < options.layers(); l++) {
            Tensor stacked = l == 0 ? null : steps == 1 ? layerInput.get(0) : ShapeOps.concatRows(layerInput);
            List<List<Tensor>> perDirection = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                GatedCell cell = cells.get(l * dirs + d);
                Tensor projection = l == 0 ? firstProjection.of(d) : cell.projectInput(stacked);
                Direction direction = new Direction(cell, projection, batch, steps, lens, d == 1);
                perDirection.add(direction.outputs(starts.get(l * dirs + d), l));
                finals.add(direction.finalState);
            }
            List<Tensor> out = new ArrayList<>(steps);
            for (int t = 0; t < steps; t++) {
                Tensor o = dirs == 1 ? perDirection.get(0).get(t)
                        : ShapeOps.concatCols(List.of(perDirection.get(0).get(t), perDirection.get(1).get(t)));
                if (l < options.layers() - 1 && options.dropout() > 0 && isTraining()) {
                    o = ElementwiseOps.dropout(o, options.dropout(), dropoutRng);
                }
                out.add(o);
            }
            layerInput = out;
        }
        return new SequenceOutput(layerInput, finals, dirs);
    }

    /** One direction of one layer run over the sequence. */
    private static final class Direction {
        private final GatedCell cell;
        private final Tensor projection;
        private final int batch;
        private final int steps;
        private final int[] lengths;
        private final boolean reverse;
        private State finalState;

        Direction(GatedCell cell, Tensor projection, int batch, int steps, int[] lengths, boolean reverse) {
            this.cell = cell;
            this.projection = projection;
            this.batch = batch;
            this.steps = steps;
            this.lengths = lengths;
            this.reverse = reverse;
        }

        /** Runs the recurrence and returns the output for each position t (not step order). */
        List<Tensor> outputs(State start, int layer) {
            State state = start;
            List<Tensor> hidden = new ArrayList<>(steps);
            String label = Tape.isRecording() ? "layer " + layer + (reverse ? " reverse" : "") + " step" : null;
            for (int s = 0; s < steps; s++) {
                if (label != null) {
                    Tape.mark(label, s);
                }
                State next = cell.stepProjected(projectionAt(s), state);
                boolean[] active = activeRows(s);
                state = active == null ? next : new State(ShapeOps.selectRows(active, next.h(), state.h()),
                        next.c() == null ? null : ShapeOps.selectRows(active, next.c(), state.c()));
                hidden.add(state.h());
            }
            finalState = state;
            return positionOutputs(hidden);
        }

        /** The input projection read at step s: position s forward, or backwards within each length. */
        private Tensor projectionAt(int s) {
            if (steps == 1) {
                return projection;
            }
            if (!reverse || lengths == null) {
                int t = reverse ? steps - 1 - s : s;
                return projection.sliceRows(t * batch, (t + 1) * batch);
            }
            int[] rows = new int[batch];
            for (int b = 0; b < batch; b++) {
                rows[b] = Math.max(lengths[b] - 1 - s, 0) * batch + b;
            }
            return ShapeOps.gatherRows(projection, rows);
        }

        /** Which rows are still within their sequence at step s, or null when all are. */
        private boolean[] activeRows(int s) {
            if (lengths == null) {
                return null;
            }
            boolean[] active = new boolean[batch];
            boolean all = true;
            for (int b = 0; b < batch; b++) {
                active[b] = s < lengths[b];
                all &= active[b];
            }
            return all ? null : active;
        }

        private List<Tensor> positionOutputs(List<Tensor> hidden) {
            List<Tensor> out = new ArrayList<>(steps);
            if (lengths == null) {
                for (int t = 0; t < steps; t++) {
                    out.add(hidden.get(reverse ? steps - 1 - t : t));
                }
                return out;
            }
            Tensor all = reverse && steps > 1 ? ShapeOps.concatRows(hidden) : null;
            for (int t = 0; t < steps; t++) {
                Tensor h;
                if (all == null) {
                    h = hidden.get(t);
                } else {
                    int[] rows = new int[batch];
                    for (int b = 0; b < batch; b++) {
                        rows[b] = Math.max(lengths[b] - 1 - t, 0) * batch + b;
                    }
                    h = ShapeOps.gatherRows(all, rows);
                }
                out.add(maskPadding(h, t));
            }
            return out;
        }

        private Tensor maskPadding(Tensor h, int t) {
            double[] keep = new double[batch];
            boolean all = true;
            for (int b = 0; b < batch; b++) {
                keep[b] = t < lengths[b] ? 1.0 : 0.0;
                all &= keep[b] == 1.0;
            }
            return all ? h : ElementwiseOps.maskMul(h, new Tensor(new DMatrixRMaj(batch, 1, true, keep)));
        }
    }

    private int checkInputs(List<Tensor> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": empty sequence; pass one tensor per timestep");
        }
        int batch = inputs.get(0).rows();
        for (int t = 0; t < inputs.size(); t++) {
            Tensor x = inputs.get(t);
            if (x.rows() != batch || x.cols() != inputSize) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": input at step " + t + " is " + x.shape()
                        + " but the layer expects " + batch + "x" + inputSize + " (batch x input size) at every step");
            }
        }
        return batch;
    }

    private static int[] effectiveLengths(int[] lengths, int batch, int steps) {
        if (lengths == null) {
            return null;
        }
        if (lengths.length != batch) {
            throw new IllegalArgumentException("lengths: " + lengths.length + " lengths for a batch of " + batch
                    + "; give one length per sequence");
        }
        boolean full = true;
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 1 || lengths[b] > steps) {
                throw new IllegalArgumentException("lengths: sequence " + b + " has length " + lengths[b]
                        + " outside [1, " + steps + "]");
            }
            full &= lengths[b] == steps;
        }
        return full ? null : lengths.clone();
    }

    /** Checks a given state; {@link #step} calls it at every timestep, so messages are built only to throw. */
    private List<State> checkInitial(List<State> initial, int batch) {
        String name = getClass().getSimpleName();
        if (initial == null) {
            throw new IllegalArgumentException(name + ": no state given" + stateFix(batch));
        }
        int expected = options.layers() * options.directions();
        if (initial.size() != expected) {
            throw new IllegalArgumentException(name + ": " + initial.size()
                    + " initial states given but the layer has " + expected
                    + " (layers x directions, ordered layer 0 forward, layer 0 reverse, ...)");
        }
        for (int i = 0; i < expected; i++) {
            State s = initial.get(i);
            if (s == null || s.h() == null) {
                throw new IllegalArgumentException(name + ": initial state " + i + (s == null ? " is null" : " has no h")
                        + stateFix(batch));
            }
            if (s.h().rows() != batch || s.h().cols() != hiddenSize || (cellState && s.c() == null)
                    || (s.c() != null && !s.c().sameShape(s.h()))) {
                throw new IllegalArgumentException(name + ": initial state " + i + " has h " + s.h().shape()
                        + (s.c() == null ? (cellState ? " and no cell state" : "") : " and c " + s.c().shape())
                        + "; each needs " + batch + "x" + hiddenSize + (cellState ? " for both h and c" : ""));
            }
        }
        return initial;
    }

    private String stateFix(int batch) {
        return "; pass layer.initialState(" + batch + "), or one State per layer and direction with "
                + batch + "x" + hiddenSize + " h" + (cellState ? " and c" : "");
    }

    /**
     * The default initial state for a batch: the learned h0 (and c0) broadcast over the batch,
     * or zeros.
     *
     * @param batch the batch size
     * @return one state per layer and direction
     */
    public List<State> initialState(int batch) {
        List<State> states = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            if (initialH.isEmpty()) {
                states.add(cells.get(i).zeroState(batch));
            } else {
                Tensor zeros = Tensor.zeros(initialH.get(i).dtype(), batch, hiddenSize);
                Tensor h = zeros.add(initialH.get(i));
                Tensor c = cellState ? zeros.add(initialC.get(i)) : null;
                states.add(new State(h, c));
            }
        }
        return states;
    }

    /** @return the input features per step */
    public int inputSize() {
        return inputSize;
    }

    /** @return the hidden units per layer and direction */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** @return the output features per step: hidden size times directions */
    public int outputSize() {
        return hiddenSize * options.directions();
    }

    /** @return the layer's structure */
    public RecurrentOptions options() {
        return options;
    }

    /**
     * The cell of one layer and direction, sharing the layer's parameters: for stepping the
     * layer one timestep at a time (sampling, decoding).
     *
     * @param layer the layer index
     * @param reverse whether the backward direction
     * @return the cell
     */
    public GatedCell cell(int layer, boolean reverse) {
        if (layer < 0 || layer >= options.layers() || (reverse && !options.isBidirectional())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no cell for layer " + layer
                    + (reverse ? " reverse" : "") + " in " + options);
        }
        return cells.get(layer * options.directions() + (reverse ? 1 : 0));
    }

    @Override
    protected String describeSelf() {
        return "(" + inputSize + " -> " + hiddenSize + ", " + options + ")";
    }
}
