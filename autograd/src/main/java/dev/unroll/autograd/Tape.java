package dev.unroll.autograd;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Records differentiable ops so that {@link #backward(Tensor)} can replay them in reverse.
 *
 * <pre>{@code
 * try (Tape tape = Tape.record()) {
 *     Tensor loss = x.matmulTransB(w).tanh().sum();
 *     tape.backward(loss);          // w.grad() now holds dLoss/dw
 * }
 * }</pre>
 *
 * <p>While a tape is open on a thread, every op whose inputs need a gradient appends one node
 * (its name, output, inputs and backward step). Nodes are appended in execution order, so the
 * tape is already topologically sorted and backward is one reverse walk, without recursion. Each
 * backward step adds into its inputs' gradients, so a weight used at T timesteps receives the sum
 * of T contributions: backpropagation through time needs no code of its own. Outside any tape ops
 * only compute values.
 *
 * <p>One backward per recording: afterwards {@link #clear()} the tape and record the next
 * iteration on it, or close it. Clearing recycles the storage of the recorded values for the
 * next iteration (reading one afterwards throws; {@link Tensor#detach()} what you carry over);
 * closing keeps them readable. {@link #recordChecked()} opens a tape that also verifies every
 * recorded op's output (and every gradient in backward) is finite. A tape belongs to the thread
 * that opened it; tapes opened while another is open nest, innermost first.
 */
public final class Tape implements AutoCloseable {

    private static final ThreadLocal<Tape> ACTIVE = new ThreadLocal<>();
    private static final int INITIAL_CAPACITY = 64;

    private final Tape enclosing;
    private final boolean checkFinite;
    private String[] ops = new String[INITIAL_CAPACITY];
    private Tensor[] outputs = new Tensor[INITIAL_CAPACITY];
    private Tensor[][] inputs = new Tensor[INITIAL_CAPACITY][];
    private Backward[] steps = new Backward[INITIAL_CAPACITY];
    private int size;
    private int[] markPositions = new int[INITIAL_CAPACITY];
    private String[] markLabels = new String[INITIAL_CAPACITY];
    private int[] markIndexes = new int[INITIAL_CAPACITY];
    private int marks;
    private final ArrayPool recycledValues = new ArrayPool();
    private double[][] scratch = new double[INITIAL_CAPACITY][];
    private int scratchCount;
    private int generation;
    private boolean backwardDone;
    private boolean closed;

    private Tape(Tape enclosing, boolean checkFinite) {
        this.enclosing = enclosing;
        this.checkFinite = checkFinite;
    }

    /**
     * Opens a tape on the current thread; use it with try-with-resources.
     *
     * @return the new, active tape
     */
    public static Tape record() {
        return open(false);
    }

    /**
     * Opens a tape in checking mode: every recorded op's output, and every gradient backward
     * computes, is verified to be finite, and the first NaN or infinity throws a
     * {@link NonFiniteException} naming the op and its position on the tape. Slower; for hunting
     * the source of a NaN loss.
     *
     * @return the new, active tape
     */
    public static Tape recordChecked() {
        return open(true);
    }

    private static Tape open(boolean checkFinite) {
        Tape tape = new Tape(ACTIVE.get(), checkFinite);
        ACTIVE.set(tape);
        return tape;
    }

    /**
     * Suspends recording on this thread until the returned scope closes, like PyTorch's
     * {@code torch.no_grad()}: evaluation and sampling inside a training loop then build no graph.
     *
     * <pre>{@code
     * try (Tape.Paused paused = Tape.pause()) {
     *     validationLoss = model.loss(batch).item();
     * }
     * }</pre>
     *
     * @return the scope; closing it makes the previously open tape (if any) active again
     */
    public static Paused pause() {
        Tape previous = ACTIVE.get();
        ACTIVE.remove();
        return new Paused(previous);
    }

    /** A scope in which no tape records; see {@link #pause()}. */
    public static final class Paused implements AutoCloseable {

        private final Tape previous;
        private boolean closed;

        private Paused(Tape previous) {
            this.previous = previous;
        }

        /** Makes the tape that was active before {@link #pause()} active again. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (ACTIVE.get() != null) {
                    throw new IllegalStateException("Tape.pause: a tape opened inside the paused scope is still open; "
                            + "close it before the scope ends");
                }
                if (previous != null) {
                    ACTIVE.set(previous);
                }
            }
        }
    }

    /** @return the innermost open tape of this thread, or {@code null} when none is open */
    public static Tape active() {
        return ACTIVE.get();
    }

    /** @return whether a tape is open on this thread */
    public static boolean isRecording() {
        return ACTIVE.get() != null;
    }

    // ------------------------------------------------------------------------------ recording (for op authors)

    /**
     * The tape an op over {@code a} must record on, or {@code null} when nothing needs recording
     * (no tape is open, or {@code a} needs no gradient). Op authors call this, then
     * {@link #add(String, Tensor, Tensor, Backward)} when it is not null.
     *
     * @param a the op's input
     * @return the active tape, or {@code null}
     */
    public static Tape recording(Tensor a) {
        Tape tape = ACTIVE.get();
        if (tape == null || !a.requiresGrad()) {
            return null;
        }
        tape.checkUsableInput(a);
        return tape;
    }

    /**
     * Like {@link #recording(Tensor)} for a two-input op: the tape when either input needs a gradient.
     *
     * @param a the first input
     * @param b the second input
     * @return the active tape, or {@code null}
     */
    public static Tape recording(Tensor a, Tensor b) {
        Tape tape = ACTIVE.get();
        if (tape == null || !(a.requiresGrad() || b.requiresGrad())) {
            return null;
        }
        tape.checkUsableInput(a);
        tape.checkUsableInput(b);
        return tape;
    }

    /**
     * Like {@link #recording(Tensor)} for a three-input op.
     *
     * @param a the first input
     * @param b the second input
     * @param c the third input, may be {@code null} (an absent bias)
     * @return the active tape, or {@code null}
     */
    public static Tape recording(Tensor a, Tensor b, Tensor c) {
        if (c == null) {
            return recording(a, b);
        }
        Tape tape = ACTIVE.get();
        if (tape == null || !(a.requiresGrad() || b.requiresGrad() || c.requiresGrad())) {
            return null;
        }
        tape.checkUsableInput(a);
        tape.checkUsableInput(b);
        tape.checkUsableInput(c);
        return tape;
    }

    /**
     * Like {@link #recording(Tensor)} for an op over any number of inputs.
     *
     * @param inputs the op's inputs
     * @return the active tape, or {@code null}
     */
    public static Tape recording(List<? extends Tensor> inputs) {
        Tape tape = ACTIVE.get();
        if (tape == null) {
            return null;
        }
        boolean any = false;
        for (Tensor t : inputs) {
            if (t.requiresGrad()) {
                tape.checkUsableInput(t);
                any = true;
            }
        }
        return any ? tape : null;
    }

    private void checkUsableInput(Tensor t) {
        Tape producer = t.producer();
        if (producer != null && (producer != this || t.producerGeneration() != generation)) {
            throw new IllegalStateException("a " + t.shape() + " input was produced by an op recorded "
                    + (producer == this ? "before this tape was cleared" : "on another tape")
                    + ", so its history is gone; call detach() on it to carry its value forward "
                    + "(as truncated BPTT does with the hidden state)");
        }
    }

    /**
     * Appends a one-input op.
     *
     * @param op the op's name, shown in errors and {@link #summary()}
     * @param output the op's output; it becomes a recorded tensor that requires a gradient
     * @param a the input
     * @param backward adds dLoss/da into {@code a.gradBuffer()} when {@code a} requires a gradient
     */
    public void add(String op, Tensor output, Tensor a, Backward backward) {
        append(op, output, new Tensor[] {a}, backward);
    }

    /**
     * Appends a two-input op.
     *
     * @param op the op's name
     * @param output the op's output
     * @param a the first input
     * @param b the second input
     * @param backward adds into the gradient buffer of each input that requires a gradient
     */
    public void add(String op, Tensor output, Tensor a, Tensor b, Backward backward) {
        append(op, output, new Tensor[] {a, b}, backward);
    }

    /**
     * Appends an op over any number of inputs.
     *
     * @param op the op's name
     * @param output the op's output
     * @param opInputs the inputs ({@code null} entries are ignored)
     * @param backward adds into the gradient buffer of each input that requires a gradient
     */
    public void add(String op, Tensor output, List<? extends Tensor> opInputs, Backward backward) {
        append(op, output, opInputs.toArray(new Tensor[0]), backward);
    }

    private void append(String op, Tensor output, Tensor[] opInputs, Backward backward) {
        if (closed) {
            throw new IllegalStateException(op + ": the tape is closed; open a new one with Tape.record()");
        }
        if (backwardDone) {
            throw new IllegalStateException(op + ": backward already ran over this tape; call tape.clear() "
                    + "before recording the next iteration");
        }
        if (checkFinite) {
            requireFinite(output.value(), op, size, "output");
        }
        if (size == ops.length) {
            grow();
        }
        ops[size] = op;
        outputs[size] = output;
        inputs[size] = opInputs;
        steps[size] = backward;
        output.recordedBy(this, generation);
        size++;
    }

    private void grow() {
        int capacity = ops.length * 2;
        ops = Arrays.copyOf(ops, capacity);
        outputs = Arrays.copyOf(outputs, capacity);
        inputs = Arrays.copyOf(inputs, capacity);
        steps = Arrays.copyOf(steps, capacity);
    }

    /**
     * Labels the position the next op will take, e.g. the start of a phase, so that
     * {@link #summary()} groups the ops by label. Does nothing when no tape is open.
     *
     * @param label a short label such as {@code "loss"}
     */
    public static void mark(String label) {
        mark(label, -1);
    }

    /**
     * Labels the position the next op will take with a label and a number, shown as
     * {@code "label index"} (e.g. {@code mark("step", 3)} shows {@code step 3}). The label is
     * formatted only when the summary is printed, so a recurrent layer can mark every timestep
     * without building a string per step.
     *
     * @param label a short label such as {@code "layer 0 step"}
     * @param index the number shown after it, e.g. the timestep; negative for none
     */
    public static void mark(String label, int index) {
        Tape tape = ACTIVE.get();
        if (tape != null) {
            tape.addMark(label, index);
        }
    }

    private void addMark(String label, int index) {
        if (marks == markPositions.length) {
            markPositions = Arrays.copyOf(markPositions, marks * 2);
            markLabels = Arrays.copyOf(markLabels, marks * 2);
            markIndexes = Arrays.copyOf(markIndexes, marks * 2);
        }
        markPositions[marks] = size;
        markLabels[marks] = label;
        markIndexes[marks] = index;
        marks++;
    }

    // ------------------------------------------------------------------------------ backward

    /**
     * Backpropagates from a 1x1 loss: seeds dLoss/dLoss = 1 and replays the tape in reverse,
     * adding into the gradient of every tensor that requires one.
     *
     * @param loss a 1x1 tensor computed on this tape
     */
    public void backward(Tensor loss) {
        if (loss.size() != 1) {
            throw new IllegalStateException("backward(loss) needs a 1x1 loss but got " + loss.shape()
                    + "; reduce it with sum() or mean(), or call backward(output, seedGradient)");
        }
        backward(loss, Tensor.scalar(1.0));
    }

    /**
     * Backpropagates from any output with an explicit seed dLoss/dOutput: the vector-Jacobian
     * product with {@code seedGradient}.
     *
     * @param output a tensor computed on this tape
     * @param seedGradient the gradient to start from, same shape as {@code output}
     */
    public void backward(Tensor output, Tensor seedGradient) {
        if (closed) {
            throw new IllegalStateException("backward: the tape is closed; call backward inside the "
                    + "try (Tape tape = Tape.record()) { ... } block that recorded the loss");
        }
        if (backwardDone) {
            throw new IllegalStateException("backward already ran over this tape; call tape.clear() and "
                    + "record the next iteration before calling backward again");
        }
        if (!output.sameShape(seedGradient)) {
            throw new IllegalArgumentException("backward: seed gradient " + seedGradient.shape()
                    + " does not match output " + output.shape() + "; pass a seed of the output's shape");
        }
        if (!output.requiresGrad()) {
            throw new IllegalStateException("backward: the output depends on no tensor that requires a "
                    + "gradient; mark parameters with requiresGrad(true) and compute the output inside this tape");
        }
        checkUsableInput(output);
        backwardDone = true;
        GradientPool pool = GradientPool.open();
        WeightGradients weights = checkFinite ? null : WeightGradients.open();
        try {
            CommonOps_DDRM.addEquals(output.gradBuffer(), seedGradient.value());
            for (int i = size - 1; i >= 0; i--) {
                replayStep(i, pool);
            }
            if (weights != null) {
                weights.finish();
                weights = null;
            }
        } finally {
            pool.close();
            if (weights != null) {
                weights.discard();
            }
        }
    }

    private void replayStep(int i, GradientPool pool) {
        Tensor out = outputs[i];
        DMatrixRMaj g = out.gradMatrix();
        if (g != null) {
            steps[i].apply(g);
            if (checkFinite) {
                for (Tensor in : inputs[i]) {
                    if (in != null && in.gradMatrix() != null) {
                        requireFinite(in.gradMatrix(), ops[i], i, "gradient of an input in backward");
                    }
                }
            }
            if (!out.keepsGrad()) {
                out.clearGrad();
                pool.release(g);
            }
        }
        inputs[i] = null;
        steps[i] = null;
    }

    private static void requireFinite(DMatrixRMaj m, String op, int position, String what) {
        double[] d = m.data;
        for (int k = 0; k < d.length; k++) {
            if (!Double.isFinite(d[k])) {
                throw new NonFiniteException(op, position, what, k / m.numCols, k % m.numCols, d[k]);
            }
        }
    }

    // ------------------------------------------------------------------------------ lifecycle

    /**
     * Forgets every recorded op so the tape can record the next iteration, and recycles the
     * storage of the values it recorded: the next iteration's ops take their outputs from it, so
     * a training loop that records the same graph on one tape allocates (almost) nothing after its
     * first iteration. Reading a value recorded before the clear then throws; keep one with
     * {@link Tensor#detach()} (whose storage is never recycled) or {@link Tensor#copy()}. Gradients
     * of leaves are kept (zero them with the module or tensor). Tensors recorded before the clear
     * can no longer be used as inputs of recorded ops; {@link Tensor#detach()} them first.
     */
    public void clear() {
        if (closed) {
            throw new IllegalStateException("clear: the tape is closed; open a new one with Tape.record()");
        }
        // An array must reach the pool once: two outputs of a hand-written op may share storage.
        Set<double[]> given = Collections.newSetFromMap(new IdentityHashMap<>(2 * (size + scratchCount)));
        for (int i = 0; i < size; i++) {
            double[] storage = outputs[i].recycle();
            if (storage != null && given.add(storage)) {
                recycledValues.give(storage);
            }
        }
        for (int i = 0; i < scratchCount; i++) {
            if (given.add(scratch[i])) {
                recycledValues.give(scratch[i]);
            }
        }
        forget();
    }

    /** Drops every recorded op, keeping the values readable (close) or after recycling them (clear). */
    private void forget() {
        Arrays.fill(outputs, 0, size, null);
        Arrays.fill(inputs, 0, size, null);
        Arrays.fill(steps, 0, size, null);
        Arrays.fill(ops, 0, size, null);
        size = 0;
        Arrays.fill(scratch, 0, scratchCount, null);
        scratchCount = 0;
        Arrays.fill(markLabels, 0, marks, null);
        marks = 0;
        generation++;
        backwardDone = false;
    }

    /**
     * Storage for a new value: recycled from the active tape's last {@link #clear()} when one is
     * open, else new. Zeroed either way.
     */
    static double[] valueArray(int length) {
        Tape tape = ACTIVE.get();
        return tape == null ? new double[length] : tape.recycledValues.take(length);
    }

    /**
     * A zeroed array for values an op keeps for its backward step (saved activations), for
     * authors of ops outside this package. While a tape is open it is recycled at the tape's next
     * {@link #clear()}, so only the op's forward and its backward step may use it; with no tape
     * open it is a plain new array.
     *
     * @param length the number of values
     * @return a zeroed array of that length
     */
    public static double[] scratch(int length) {
        Tape tape = ACTIVE.get();
        if (tape == null) {
            return new double[length];
        }
        double[] array = tape.recycledValues.take(length);
        if (tape.scratchCount == tape.scratch.length) {
            tape.scratch = Arrays.copyOf(tape.scratch, tape.scratchCount * 2);
        }
        tape.scratch[tape.scratchCount++] = array;
        return array;
    }

    /** @return the number of ops recorded since the tape was opened or last cleared */
    public int size() {
        return size;
    }

    /** @return whether backward has run since the tape was opened or last cleared */
    public boolean backwardDone() {
        return backwardDone;
    }

    /**
     * Closes the tape: ops on this thread stop being recorded here, and the enclosing tape (if
     * any) becomes active again. Closing twice is harmless.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (ACTIVE.get() != this) {
            throw new IllegalStateException("close: this tape is not the innermost open tape of this thread; "
                    + "close nested tapes first, on the thread that opened them");
        }
        forget();
        closed = true;
        ACTIVE.set(enclosing);
    }

    /**
     * A readable account of what was recorded: the number of ops and, per label set with
     * {@link #mark(String)} (e.g. per timestep), how many of each op.
     *
     * @return one line per segment, e.g. {@code t=3: 1 linear, 1 tanh}
     */
    public String summary() {
        StringBuilder sb = new StringBuilder("Tape: ").append(size).append(size == 1 ? " op" : " ops")
                .append(backwardDone ? ", backward done" : "").append(closed ? ", closed" : "");
        int start = 0;
        String label = "start";
        for (int m = 0; m <= marks; m++) {
            int end = m < marks ? markPositions[m] : size;
            if (end > start) {
                sb.append('\n').append("  ").append(label).append(": ").append(counts(start, end));
            }
            if (m < marks) {
                start = end;
                label = markIndexes[m] < 0 ? markLabels[m] : markLabels[m] + " " + markIndexes[m];
            }
        }
        return sb.toString();
    }

    private String counts(int from, int to) {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            count.merge(ops[i], 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        count.forEach((op, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(op));
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
