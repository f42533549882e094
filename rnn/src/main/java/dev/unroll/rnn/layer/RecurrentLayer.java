package dev.unroll.rnn.layer;

import dev.unroll.autograd.ElementwiseOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import dev.unroll.rnn.CellFactory;
import dev.unroll.rnn.RecurrentCell;
import dev.unroll.rnn.SequenceOutput;
import dev.unroll.rnn.State;
import dev.unroll.rnn.StatePart;
import dev.unroll.rnn.cell.GatedCell;
import dev.unroll.rnn.cell.LstmCell;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * A recurrent layer over whole sequences of any {@link RecurrentCell}, as PyTorch's
 * {@code nn.RNN}, {@code nn.LSTM} and {@code nn.GRU} are of theirs: stacked, optionally
 * bidirectional, with dropout between layers, variational dropout, a zero, caller-supplied or
 * learned initial state, and per-sequence lengths. A {@link CellFactory} builds the cell of every
 * layer and direction, e.g. {@code new RecurrentLayer(64, (in, rng) -> new MguCell(in, 128, rng),
 * RecurrentOptions.defaults().layers(2), seed)}; {@link Lstm}, {@link Gru} and {@link Rnn} are
 * this layer with the built-in cells.
 *
 * <p>Every parameter of every cell is the layer's, under the cell's own name (see
 * {@link RecurrentCell#flatParameters()}) with PyTorch's suffixes: {@code _l0}, {@code _l1}, ...
 * for the layer and {@code _reverse} for the backward direction ({@code weight_ih_l0},
 * {@code weight_hh_l1_reverse}), so the optimizer, {@code zeroGrad()} and checkpoints reach them
 * all, and a PyTorch state_dict loads into the built-in cells. A learned initial state adds
 * {@code <part>0} with the same suffixes for each learned part ({@code h0_l0}, {@code c0_l0}),
 * 1 x width each, broadcast over the batch. {@link #train(boolean)} reaches the cells too.
 *
 * <p>Each layer asks its cells to project the inputs of all timesteps at once
 * ({@link RecurrentCell#projectInput}: one large product for the built-in cells); only the
 * recurrent rest runs step by step. With lengths, a sequence's padded steps leave every part of
 * its state unchanged and output zeros, and the reverse direction reads each sequence backwards
 * from its own last step, as PyTorch's packed sequences do.
 */
public class RecurrentLayer extends Module {

    private final int inputSize;
    private final RecurrentOptions options;
    private final List<RecurrentCell> cells = new ArrayList<>();
    private final List<Parameter[]> learnedInitial = new ArrayList<>();
    private final RandomGenerator rng;

    /**
     * A layer of the factory's cells, initialised and drawing its dropout masks from {@code seed}.
     *
     * @param inputSize input features per step
     * @param cells builds the cell of each layer and direction
     * @param options layers, directions, dropout, learned initial state
     * @param seed the seed of the cells' initialisation, then of dropout masks
     */
    public RecurrentLayer(int inputSize, CellFactory cells, RecurrentOptions options, long seed) {
        this(inputSize, cells, options, Randomness.seeded(seed));
    }

    /**
     * A layer of the factory's cells. The options' settings of the built-in cells (bias,
     * forget bias, projection) must be what the factory built: a layer of other cells refuses them.
     *
     * @param inputSize input features per step
     * @param factory builds the cell of each layer and direction, given its input width and {@code rng}
     * @param options layers, directions, dropout, learned initial state
     * @param rng the generator for the cells' initialisation, then for dropout masks
     */
    public RecurrentLayer(int inputSize, CellFactory factory, RecurrentOptions options, RandomGenerator rng) {
        if (inputSize <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input size " + inputSize + " must be positive");
        }
        this.inputSize = inputSize;
        this.options = options;
        this.rng = rng;
        int width = inputSize;
        for (int l = 0; l < options.layers(); l++) {
            int next = 0;
            for (int d = 0; d < options.directions(); d++) {
                RecurrentCell cell = factory.create(width, rng);
                if (cell == null || cell.inputSize() != width) {
                    throw new IllegalArgumentException(getClass().getSimpleName() + ": the cell factory built "
                            + (cell == null ? "null" : cell.getClass().getSimpleName() + " reading " + cell.inputSize()
                            + " features") + " for layer " + l + (d == 1 ? " reverse" : "") + ", which reads " + width
                            + "; build every cell with the input size the factory is given");
                }
                String suffix = suffix(l, d == 1);
                cell.flatParameters().forEach((name, p) -> registerParameter(name + suffix, p));
                cells.add(cell);
                next += cell.outputSize();
            }
            width = next;
        }
        checkCellOptions();
        if (options.hasLearnedInitialState()) {
            registerLearnedInitialState();
        }
    }

    private static String suffix(int layer, boolean reverse) {
        return "_l" + layer + (reverse ? "_reverse" : "");
    }

    private String suffix(int cell) {
        return suffix(cell / options.directions(), cell % options.directions() == 1);
    }

    /** Refuses settings of the built-in cells that the factory's cells were not built with. */
    private void checkCellOptions() {
        for (RecurrentCell cell : cells) {
            LstmCell lstm = cell instanceof LstmCell l ? l : null;
            if (options.hasForgetBias() && (lstm == null || Double.compare(lstm.forgetBias(), options.forgetBias()) != 0)) {
                refuse("forgetBias(" + options.forgetBias() + ")", cell, "only the LSTM has a forget gate: use Lstm");
            }
            if (options.projection() > 0 && (lstm == null || lstm.projectionSize() != options.projection())) {
                refuse("projection(" + options.projection() + ")", cell, "only the LSTM has a projection: use Lstm");
            }
            if (!options.hasBias() && !(cell instanceof GatedCell gated && !gated.hasBias())) {
                refuse("bias(false)", cell, "it is a setting of the built-in RNN, LSTM and GRU: use Rnn, Lstm or Gru, "
                        + "or build your cells without biases");
            }
        }
    }

    private void refuse(String option, RecurrentCell cell, String fix) {
        throw new IllegalArgumentException(getClass().getSimpleName() + ": the options set " + option + " but the layer's "
                + "cells (" + cell.getClass().getSimpleName() + ") were not built with it; " + fix + ", or leave it unset");
    }

    private void registerLearnedInitialState() {
        for (String part : options.learnedParts()) {
            for (RecurrentCell cell : cells) {
                if (!cell.stateNames().contains(part)) {
                    throw new IllegalArgumentException(getClass().getSimpleName() + ": learnedInitialState(\"" + part
                            + "\") names a state part " + cell.getClass().getSimpleName() + " does not have; its parts are "
                            + cell.stateNames());
                }
            }
        }
        for (int i = 0; i < cells.size(); i++) {
            List<StatePart> parts = cells.get(i).stateParts();
            Parameter[] learned = new Parameter[parts.size()];
            for (int j = 0; j < parts.size(); j++) {
                StatePart part = parts.get(j);
                if (options.learnsInitial(part.name())) {
                    learned[j] = registerParameter(part.name() + "0" + suffix(i), Parameter.zeros(1, part.width()));
                }
            }
            learnedInitial.add(learned);
        }
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
        int batch = checkInputs(inputs);
        Tensor stacked = inputs.size() == 1 ? inputs.get(0) : ShapeOps.concatRows(inputs);
        return run(inputs.size(), batch, stacked, null, null, initial, lengths);
    }

    /**
     * Runs the layer over one-hot encoded tokens without building the one-hot inputs: the first
     * layer's cells project them with {@link RecurrentCell#projectOneHot} (the built-in cells
     * gather columns of {@code weight_ih_l0}; the inputSize is the vocabulary size). Same result
     * as {@link #forward(List, List, int[])} over one-hot rows.
     *
     * @param tokens tokens[t][b], the token of sequence b at step t, in [0, inputSize)
     * @param initial initial states, or {@code null} for the default
     * @param lengths each sequence's length, or {@code null} when all are T
     * @return outputs at every step and final states
     */
    public SequenceOutput forwardOneHot(int[][] tokens, List<State> initial, int[] lengths) {
        int[] flat = flatten(tokens);
        return run(tokens.length, tokens[0].length, null, flat, null, initial, lengths);
    }

    /**
     * Runs the layer over embedded tokens, {@code table[tokens[t][b]]} being the input of sequence
     * b at step t, without looking them up first: the first layer's cells project them with
     * {@link RecurrentCell#projectEmbedded} (the built-in cells multiply the table once and gather
     * rows of the product when the sequence has more tokens than the table has rows, a product of
     * vocabulary rows instead of steps x batch rows, forward and backward). The same result, up to
     * rounding, as {@link #forward(List, List, int[])} over the looked-up rows.
     *
     * @param table the embedding table, vocabulary x inputSize (an {@code Embedding}'s weight)
     * @param tokens tokens[t][b], a row of the table, in [0, vocabulary)
     * @param initial initial states, or {@code null} for the default
     * @param lengths each sequence's length, or {@code null} when all are T
     * @return outputs at every step and final states
     * @throws IllegalArgumentException if the table's width is not the layer's input size or a
     *     token is outside the table
     */
    public SequenceOutput forwardEmbedded(Tensor table, int[][] tokens, List<State> initial, int[] lengths) {
        if (table.cols() != inputSize) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the embedding table " + table.shape()
                    + " has " + table.cols() + " columns but the layer reads " + inputSize
                    + " input features; build the embedding with " + inputSize + " columns");
        }
        int[] flat = flatten(tokens);
        for (int i = 0; i < flat.length; i++) {
            if (flat[i] < 0 || flat[i] >= table.rows()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": token " + flat[i] + " at step "
                        + i / tokens[0].length + ", sequence " + i % tokens[0].length + " is outside the table's "
                        + table.rows() + " rows (0 to " + (table.rows() - 1) + "); check how the tokens were made");
            }
        }
        return run(tokens.length, tokens[0].length, null, flat, table, initial, lengths);
    }

    /** tokens[t][b] as one array, row t * batch + b, after checking every step has one per sequence. */
    private int[] flatten(int[][] tokens) {
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
        return flat;
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
        String name = getClass().getSimpleName();
        if (options.isBidirectional()) {
            throw new IllegalStateException(name + ": a bidirectional layer cannot be stepped one timestep at a time "
                    + "(its reverse direction needs the whole sequence); use forward");
        }
        if (options.hasVariationalDropout() && isTraining()) {
            throw new IllegalStateException(name + ": variational dropout draws one mask per sequence, so in training "
                    + "the layer needs the whole sequence; use forward, or call eval() before stepping");
        }
        if (input.cols() != inputSize) {
            throw new IllegalArgumentException(name + ": input " + input.shape() + " has " + input.cols()
                    + " features but the layer expects " + inputSize);
        }
        checkInitial(state, input.rows());
        List<State> next = new ArrayList<>(state.size());
        Tensor x = input;
        for (int l = 0; l < options.layers(); l++) {
            RecurrentCell cell = cells.get(l);
            State s = checkStep(cell, cell.step(x, state.get(l)), input.rows());
            next.add(s);
            x = l < options.layers() - 1 && options.dropout() > 0 && isTraining()
                    ? ElementwiseOps.dropout(s.h(), options.dropout(), rng) : s.h();
        }
        return next;
    }

    private static State checkStep(RecurrentCell cell, State next, int batch) {
        if (!cell.fits(next, batch)) {
            throw new IllegalStateException(cell.getClass().getSimpleName() + ": a step returned the state " + next
                    + " but the cell declares " + cell.describeState(batch) + "; return one batch x width tensor per "
                    + "declared part, in order (State.of(cell.stateNames(), parts))");
        }
        return next;
    }

    /** Runs every layer; the first reads {@code stacked}, or the tokens, one-hot (no table) or rows of the table. */
    private SequenceOutput run(int steps, int batch, Tensor stacked, int[] tokens, Tensor table, List<State> initial,
            int[] lengths) {
        int[] lens = effectiveLengths(lengths, batch, steps);
        List<State> starts = initial == null ? initialState(batch) : checkInitial(initial, batch);
        boolean variational = options.hasVariationalDropout() && isTraining();
        int dirs = options.directions();
        Tensor layerInput = stacked;
        int[] ids = tokens;
        List<Tensor> outputs = null;
        List<State> finals = new ArrayList<>();
        for (int l = 0; l < options.layers(); l++) {
            if (l > 0) {
                layerInput = steps == 1 ? outputs.get(0) : ShapeOps.concatRows(outputs);
            }
            if (variational && options.inputDropout() > 0) {
                if (ids != null) {
                    layerInput = table == null ? ShapeOps.oneHot(ids, inputSize) : ShapeOps.gatherRows(table, ids);
                    ids = null;
                }
                layerInput = ElementwiseOps.maskMul(layerInput, sequenceMask(batch, layerInput.cols(), steps,
                        options.inputDropout()));
            }
            List<List<Tensor>> perDirection = new ArrayList<>(dirs);
            for (int d = 0; d < dirs; d++) {
                RecurrentCell cell = cells.get(l * dirs + d);
                Tensor projection = ids == null ? cell.projectInput(layerInput)
                        : table == null ? cell.projectOneHot(ids) : cell.projectEmbedded(table, ids);
                Tensor hiddenMask = variational && options.hiddenDropout() > 0
                        ? sequenceMask(batch, cell.outputSize(), 1, options.hiddenDropout()) : null;
                Direction direction = new Direction(cell, projection, hiddenMask, batch, steps, lens, d == 1);
                perDirection.add(direction.outputs(starts.get(l * dirs + d), l));
                finals.add(direction.finalState);
            }
            if (Tape.isRecording()) {
                Tape.mark("after layer " + l);
            }
            ids = null;
            List<Tensor> out = new ArrayList<>(steps);
            for (int t = 0; t < steps; t++) {
                Tensor o = dirs == 1 ? perDirection.get(0).get(t)
                        : ShapeOps.concatCols(List.of(perDirection.get(0).get(t), perDirection.get(1).get(t)));
                if (l < options.layers() - 1 && options.dropout() > 0 && isTraining()) {
                    o = ElementwiseOps.dropout(o, options.dropout(), rng);
                }
                out.add(o);
            }
            outputs = out;
        }
        return new SequenceOutput(outputs, finals, dirs);
    }

    /**
     * One inverted-dropout mask per sequence (0, or 1 / (1 - p) for the kept units), batch x
     * width, repeated for {@code steps} steps: (steps * batch) x width, row t * batch + b.
     */
    private Tensor sequenceMask(int batch, int width, int steps, double p) {
        double[] mask = new double[steps * batch * width];
        double keep = 1.0 / (1.0 - p);
        for (int k = 0; k < batch * width; k++) {
            mask[k] = rng.nextDouble() < p ? 0.0 : keep;
        }
        for (int t = 1; t < steps; t++) {
            System.arraycopy(mask, 0, mask, t * batch * width, batch * width);
        }
        return new Tensor(DMatrixRMaj.wrap(steps * batch, width, mask));
    }

    /** One direction of one layer run over the sequence. */
    private static final class Direction {
        private final RecurrentCell cell;
        private final Tensor projection;
        private final Tensor hiddenMask;
        private final int batch;
        private final int steps;
        private final int[] lengths;
        private final boolean reverse;
        private State finalState;

        Direction(RecurrentCell cell, Tensor projection, Tensor hiddenMask, int batch, int steps, int[] lengths,
                boolean reverse) {
            this.cell = cell;
            this.projection = projection;
            this.hiddenMask = hiddenMask;
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
                State read = hiddenMask == null ? state : state.withH(ElementwiseOps.maskMul(state.h(), hiddenMask));
                State next = checkStep(cell, cell.stepProjected(projectionAt(s), read), batch);
                boolean[] active = activeRows(s);
                State previous = state;
                state = active == null ? next : next.map((i, part) -> ShapeOps.selectRows(active, part, previous.part(i)));
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
        if (initial.size() != cells.size()) {
            throw new IllegalArgumentException(name + ": " + initial.size()
                    + " initial states given but the layer has " + cells.size()
                    + " (layers x directions, ordered layer 0 forward, layer 0 reverse, ...)");
        }
        for (int i = 0; i < cells.size(); i++) {
            State s = initial.get(i);
            if (s == null) {
                throw new IllegalArgumentException(name + ": initial state " + i + " is null" + stateFix(batch));
            }
            if (!cells.get(i).fits(s, batch)) {
                throw new IllegalArgumentException(name + ": initial state " + i + " " + s + " does not fit its cell, "
                        + "which needs " + cells.get(i).describeState(batch) + stateFix(batch));
            }
        }
        return initial;
    }

    private String stateFix(int batch) {
        return "; pass layer.initialState(" + batch + "), or one State per layer and direction with the parts of its "
                + "cell (layer 0: " + cells.get(0).describeState(batch) + ")";
    }

    /**
     * The default initial state for a batch: the learned parts broadcast over the batch, the
     * others zeros.
     *
     * @param batch the batch size
     * @return one state per layer and direction
     */
    public List<State> initialState(int batch) {
        List<State> states = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            State zeros = cells.get(i).zeroState(batch);
            if (learnedInitial.isEmpty()) {
                states.add(zeros);
            } else {
                Parameter[] learned = learnedInitial.get(i);
                states.add(zeros.map((j, part) -> learned[j] == null ? part : part.add(learned[j])));
            }
        }
        return states;
    }

    /** Sets the mode of every cell too (zoneout and other cells that act differently in training). */
    @Override
    public Module train(boolean on) {
        super.train(on);
        for (RecurrentCell cell : cells) {
            cell.train(on);
        }
        return this;
    }

    /** @return the input features per step */
    public int inputSize() {
        return inputSize;
    }

    /** @return the output features per step: the top layer's cells' outputs, both directions together */
    public int outputSize() {
        int width = 0;
        for (int d = 0; d < options.directions(); d++) {
            width += cells.get(cells.size() - options.directions() + d).outputSize();
        }
        return width;
    }

    /** @return the layer's structure */
    public RecurrentOptions options() {
        return options;
    }

    /**
     * The cell of one layer and direction, sharing the layer's parameters: for stepping the
     * layer one timestep at a time (sampling, decoding) or reading its parameters.
     *
     * @param layer the layer index
     * @param reverse whether the backward direction
     * @return the cell
     */
    public RecurrentCell cell(int layer, boolean reverse) {
        if (layer < 0 || layer >= options.layers() || (reverse && !options.isBidirectional())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no cell for layer " + layer
                    + (reverse ? " reverse" : "") + " in " + options);
        }
        return cells.get(layer * options.directions() + (reverse ? 1 : 0));
    }

    @Override
    protected String describeSelf() {
        RecurrentCell top = cells.get(cells.size() - options.directions());
        return "(" + inputSize + " -> " + top.outputSize() + ", " + options
                + (getClass() == RecurrentLayer.class ? ", cell=" + top.getClass().getSimpleName() : "") + ")";
    }
}
