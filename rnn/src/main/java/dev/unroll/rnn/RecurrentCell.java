package dev.unroll.rnn;

import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.DType;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One timestep of a recurrent network, (input, previous state) -&gt; next state, and the contract
 * every layer and model of this library takes a cell by. A cell provides:
 * <ul>
 * <li>its parameters, any number and any shapes, registered the ordinary {@link Module} way in
 * its constructor ({@link #registerParameter}, or submodules with {@link #registerModule});</li>
 * <li>its state's parts, given to the constructor: one hidden state h, or several named parts
 * (h and c, or more); the first is the output, the rest is carried;</li>
 * <li>{@link #stepProjected}, the step from one timestep's input and the previous state, built
 * from ops recorded on the tape, so unrolling it over T steps and calling backward is
 * backpropagation through time;</li>
 * <li>optionally, {@link #projectInput}: the part of the step that reads only the input (x W^T +
 * b), which a layer then computes for all timesteps in one large product and hands to
 * {@link #stepProjected} one timestep at a time. Without it the step receives the input itself.</li>
 * </ul>
 * {@link #step}, the zero state, the state checks and the parameter names a layer registers
 * ({@link #flatParameters()}) come with it. Given a factory of cells ({@link CellFactory}), a
 * {@code RecurrentLayer} adds stacking, both directions, per-sequence lengths, learned initial
 * states, dropout, one-step stepping for sampling, and registers every parameter of every cell,
 * so the optimizer updates it, {@code zeroGrad()} zeroes it and a checkpoint saves it.
 */
public abstract class RecurrentCell extends Module {

    private final int inputSize;
    private final List<StatePart> parts;
    private final List<String> names;

    /**
     * A cell whose state is one hidden part, {@code h}.
     *
     * @param inputSize input features per step
     * @param hiddenSize the width of h, the cell's output
     */
    protected RecurrentCell(int inputSize, int hiddenSize) {
        this(inputSize, List.of(new StatePart("h", hiddenSize)));
    }

    /**
     * A cell whose state has the given parts; the first is the output.
     *
     * @param inputSize input features per step
     * @param parts the state's parts, at least one, each name once
     */
    protected RecurrentCell(int inputSize, List<StatePart> parts) {
        if (inputSize <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input size " + inputSize + " must be positive");
        }
        List<String> partNames = new ArrayList<>();
        for (StatePart part : parts) {
            if (partNames.contains(part.name())) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": state part " + part.name()
                        + " is declared twice; give every part its own name");
            }
            partNames.add(part.name());
        }
        if (partNames.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": a state needs at least one part");
        }
        this.inputSize = inputSize;
        this.parts = List.copyOf(parts);
        this.names = List.copyOf(partNames);
    }

    /** @return the number of input features per step */
    public final int inputSize() {
        return inputSize;
    }

    /** @return the width of the output, the state's first part */
    public final int outputSize() {
        return parts.get(0).width();
    }

    /** @return the state's parts, in order; the first is the output */
    public final List<StatePart> stateParts() {
        return parts;
    }

    /** @return the state's part names, in order, as {@link State#of(List, List)} takes them */
    public final List<String> stateNames() {
        return names;
    }

    /**
     * Advances one step: {@code stepProjected(projectInput(input), state)}, after checking that
     * the state has this cell's parts for the input's batch.
     *
     * @param input batch x inputSize
     * @param state the previous state, with the parts of {@link #stateParts()}
     * @return the next state, with the same parts
     * @throws IllegalArgumentException naming both when the state does not fit (see {@link #fits})
     */
    public final State step(Tensor input, State state) {
        checkState(state, input.rows());
        return stepProjected(projectInput(input), state);
    }

    /**
     * The part of a step that reads only the input, for many timesteps at once (rows are
     * independent): a cell overrides it to take its input products out of the recurrence, and a
     * layer then projects the inputs of all timesteps with one product. By default it returns
     * the inputs as they are.
     *
     * @param inputs rows x inputSize, e.g. (T*batch) x inputSize
     * @return the projection, one row per input row
     */
    public Tensor projectInput(Tensor inputs) {
        return inputs;
    }

    /**
     * {@link #projectInput} of one-hot rows, given as their indices: a cell whose projection is
     * an affine map overrides it to gather columns instead of multiplying.
     *
     * @param tokens one index in [0, inputSize) per row
     * @return the projection of the one-hot rows
     */
    public Tensor projectOneHot(int[] tokens) {
        return projectInput(ShapeOps.oneHot(tokens, inputSize));
    }

    /**
     * {@link #projectInput} of embedded tokens, the rows {@code table[tokens[i]]}: by default it
     * looks them up (one gather for all rows) and projects them; a cell whose projection is an
     * affine map overrides it to project the table instead when that is the smaller product.
     *
     * @param table the embedding table, vocabulary x inputSize
     * @param tokens one row index of the table per row, each in [0, vocabulary)
     * @return the projection of the looked-up rows
     */
    public Tensor projectEmbedded(Tensor table, int[] tokens) {
        return projectInput(ShapeOps.gatherRows(table, tokens));
    }

    /**
     * The step from this timestep's input, as {@link #projectInput} gave it (the input itself
     * unless the cell overrides projectInput), and the previous state. {@link #step} and a layer
     * check the state before they call it, and a layer checks the state it returns.
     *
     * @param projected this timestep's rows of {@link #projectInput}, batch x its width
     * @param state the previous state, with the parts of {@link #stateParts()}
     * @return the next state, with the same parts
     */
    public abstract State stepProjected(Tensor projected, State state);

    /**
     * The all-zero state, PyTorch's default initial state, in the precision of the cell's
     * parameters.
     *
     * @param batch the batch size
     * @return zeros for every part
     */
    public State zeroState(int batch) {
        DType dtype = dtype();
        List<Tensor> zeros = new ArrayList<>(parts.size());
        for (StatePart part : parts) {
            zeros.add(Tensor.zeros(dtype, batch, part.width()));
        }
        return State.of(names, zeros);
    }

    /**
     * @param state a state
     * @param batch the batch size it must have
     * @return whether it has exactly this cell's parts, in order, each batch x its width
     */
    public final boolean fits(State state, int batch) {
        if (state == null || state.size() != parts.size()) {
            return false;
        }
        for (int i = 0; i < parts.size(); i++) {
            Tensor part = state.part(i);
            StatePart expected = parts.get(i);
            if (!expected.name().equals(state.names().get(i)) || part.rows() != batch || part.cols() != expected.width()) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param batch a batch size
     * @return the parts a state of that batch needs, e.g. {@code [h 2x3, c 2x3]}
     */
    public final String describeState(int batch) {
        List<String> described = new ArrayList<>(parts.size());
        for (StatePart part : parts) {
            described.add(part.name() + " " + batch + "x" + part.width());
        }
        return described.toString();
    }

    /** Refuses a state that does not fit this cell (see {@link #fits}), naming both. */
    private void checkState(State state, int batch) {
        if (!fits(state, batch)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the state " + state + " does not fit; a "
                    + "batch of " + batch + " needs " + describeState(batch) + "; start from zeroState(" + batch + ")");
        }
    }

    /**
     * Every parameter of this cell and its submodules under a name without dots (a submodule's
     * path joined by underscores: {@code ln_ih.weight} becomes {@code ln_ih_weight}), in
     * registration order: the names a layer registers, with its suffixes, as its own.
     *
     * @return an ordered map from name to parameter
     */
    public final Map<String, Parameter> flatParameters() {
        Map<String, Parameter> flat = new LinkedHashMap<>();
        namedParameters().forEach((path, p) -> flat.put(path.replace('.', '_'), p));
        return flat;
    }

    @Override
    protected String describeSelf() {
        StringBuilder sb = new StringBuilder("(").append(inputSize).append(" ->");
        for (StatePart part : parts) {
            sb.append(part == parts.get(0) ? " " : ", ").append(part.name()).append(' ').append(part.width());
        }
        return sb.append(')').toString();
    }
}
