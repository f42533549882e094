package dev.unroll.autograd;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

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
 * <p>An op records itself with one call, {@link #record(String, Tensor, Tensor, Backward)} (or
 * its two-, three- and many-input forms): it returns the output, having appended a node when a
 * tape is open and an input needs a gradient. Storage (recycled values, saved activations,
 * gradients) belongs to the tape's {@link Storage}; the tape only records and replays.
 *
 * <p>One backward per recording: afterwards {@link #clear()} the tape and record the next
 * iteration on it, or close it. Clearing recycles the storage of the recorded values for the
 * next iteration (reading one afterwards throws; {@link Tensor#detach()} what you carry over);
 * closing keeps them readable. {@link #recordChecked()} opens a tape that also verifies every
 * recorded op's output (and every gradient in backward) is finite. A tape belongs to the thread
 * that opened it; tapes opened while another is open nest, innermost first. While a tape has
 * recorded an op over a parameter, a tape on another thread may not (it throws, naming the fix):
 * their backward passes would add into the parameter's one gradient at once. A leaf's values must
 * not change between the ops that use it and the backward pass (backward reads them again), so
 * update parameters after backward, before the next recording, as optimizers do.
 *
 * <p>{@link #summary()} prints what was recorded, per {@link #mark(String, int) mark} (a recurrent
 * layer marks each timestep); {@link #graph()} gives the same recording as a {@link TapeGraph} to
 * draw with Graphviz, with every node's gradient norm when {@link #requestGraph()} came before
 * backward.
 */
public final class Tape implements AutoCloseable {

    private static final ThreadLocal<Tape> ACTIVE = new ThreadLocal<>();
    private static final int INITIAL_CAPACITY = 64;
    private static final AtomicLong EPOCHS = new AtomicLong();

    private final Tape enclosing;
    private final boolean checkFinite;
    private final Thread thread = Thread.currentThread();
    private final Storage storage = Storage.open();
    private final WeightGradientsF64 weights64 = new WeightGradientsF64();
    private final WeightGradientsF32 weights32 = new WeightGradientsF32();
    private Tensor[] claimed = new Tensor[INITIAL_CAPACITY];
    private int claimedCount;
    private String[] ops = new String[INITIAL_CAPACITY];
    private Tensor[] outputs = new Tensor[INITIAL_CAPACITY];
    private Tensor[][] inputs = new Tensor[INITIAL_CAPACITY][];
    private Backward[] steps = new Backward[INITIAL_CAPACITY];
    private int size;
    private int[] markPositions = new int[INITIAL_CAPACITY];
    private String[] markLabels = new String[INITIAL_CAPACITY];
    private int[] markIndexes = new int[INITIAL_CAPACITY];
    private int marks;
    private int generation;
    private long epoch = EPOCHS.incrementAndGet();
    private boolean backwardDone;
    private boolean closed;
    private boolean graphRequested;
    private TapeGraph measuredGraph;

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
     * Records a one-input op: when a tape is open on this thread and {@code a} needs a gradient,
     * appends the op's node; otherwise only returns the output. This is the one call an op author
     * makes after computing the output.
     *
     * <pre>{@code
     * Tensor out = Tensor.empty(DType.F64, x.rows(), x.cols());
     * ... out = f(x) ...
     * return Tape.record("square", out, x, () -> { ... x.gradData()[i] += out.gradData()[i] * 2 * x.data()[i] ... });
     * }</pre>
     *
     * @param op the op's name, shown in errors and {@link #summary()}
     * @param out the op's output; when recorded it becomes a tensor that requires a gradient
     * @param a the input
     * @param backward adds dLoss/da into {@code a}'s gradient when {@code a} requires one
     * @return {@code out}
     */
    public static Tensor record(String op, Tensor out, Tensor a, Backward backward) {
        Tape tape = ACTIVE.get();
        if (tape == null || !a.requiresGrad()) {
            return out;
        }
        tape.append(op, out, new Tensor[] {a}, backward);
        return out;
    }

    /**
     * Records a two-input op; see {@link #record(String, Tensor, Tensor, Backward)}.
     *
     * @param op the op's name
     * @param out the op's output
     * @param a the first input
     * @param b the second input, may be {@code null} (an absent bias)
     * @param backward adds into the gradient of each input that requires one
     * @return {@code out}
     */
    public static Tensor record(String op, Tensor out, Tensor a, Tensor b, Backward backward) {
        Tape tape = ACTIVE.get();
        if (tape == null || !(a.requiresGrad() || b != null && b.requiresGrad())) {
            return out;
        }
        tape.append(op, out, b == null ? new Tensor[] {a} : new Tensor[] {a, b}, backward);
        return out;
    }

    /**
     * Records a three-input op; see {@link #record(String, Tensor, Tensor, Backward)}.
     *
     * @param op the op's name
     * @param out the op's output
     * @param a the first input
     * @param b the second input, may be {@code null}
     * @param c the third input, may be {@code null} (an absent bias)
     * @param backward adds into the gradient of each input that requires one
     * @return {@code out}
     */
    public static Tensor record(String op, Tensor out, Tensor a, Tensor b, Tensor c, Backward backward) {
        Tape tape = ACTIVE.get();
        if (tape == null || !(a.requiresGrad() || b != null && b.requiresGrad() || c != null && c.requiresGrad())) {
            return out;
        }
        tape.append(op, out, new Tensor[] {a, b, c}, backward);
        return out;
    }

    /**
     * Records an op over any number of inputs; see {@link #record(String, Tensor, Tensor, Backward)}.
     *
     * @param op the op's name
     * @param out the op's output
     * @param inputs the inputs ({@code null} entries are ignored); copied, so later changes to
     *     the list do not redirect gradients
     * @param backward adds into the gradient of each input that requires one
     * @return {@code out}
     */
    public static Tensor record(String op, Tensor out, List<? extends Tensor> inputs, Backward backward) {
        Tape tape = ACTIVE.get();
        if (tape == null) {
            return out;
        }
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = inputs.get(i);
            if (t != null && t.requiresGrad()) {
                tape.append(op, out, inputs.toArray(new Tensor[0]), backward);
                return out;
            }
        }
        return out;
    }

    private void checkUsableInput(String op, Tensor t) {
        Tape producer = t.producer();
        if (producer != null && (producer != this || t.recordedGeneration() != generation)) {
            throw new IllegalStateException(op + ": a " + t.shape() + " input was produced by an op recorded "
                    + (producer == this ? "before this tape was cleared" : "on another tape")
                    + ", so its history is gone; call detach() on it to carry its value forward "
                    + "(as truncated BPTT does with the hidden state)");
        }
    }

    private void append(String op, Tensor output, Tensor[] opInputs, Backward backward) {
        if (closed) {
            throw new IllegalStateException(op + ": the tape is closed; open a new one with Tape.record()");
        }
        if (backwardDone) {
            throw new IllegalStateException(op + ": backward already ran over this tape; call tape.clear() "
                    + "before recording the next iteration");
        }
        for (Tensor in : opInputs) {
            if (in != null && in.requiresGrad()) {
                checkUsableInput(op, in);
                if (in.isLeaf()) {
                    claim(in);
                }
            }
        }
        if (checkFinite) {
            requireFinite(output, op, size, "output");
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

    private void claim(Tensor leaf) {
        if (!leaf.claimFor(this)) {
            return;
        }
        if (claimedCount == claimed.length) {
            claimed = Arrays.copyOf(claimed, 2 * claimedCount);
        }
        claimed[claimedCount++] = leaf;
    }

    private void releaseClaims() {
        for (int i = 0; i < claimedCount; i++) {
            claimed[i].releaseClaim(this);
            claimed[i] = null;
        }
        claimedCount = 0;
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
     * {@link #summary()} groups the ops by label and {@link #graph()} draws each label as a
     * cluster. Does nothing when no tape is open.
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
     * without building a string per step. {@link #graph()} draws one cluster per label holding one
     * per index (a layer holding its timesteps).
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
        backward(loss, Tensor.scalar(1.0).to(loss.dtype()));
    }

    /**
     * Backpropagates from any output with an explicit seed dLoss/dOutput: the vector-Jacobian
     * product with {@code seedGradient}.
     *
     * @param output a tensor computed on this tape
     * @param seedGradient the gradient to start from, same shape and precision as {@code output}
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
        if (!output.sameShape(seedGradient) || output.dtype() != seedGradient.dtype()) {
            throw new IllegalArgumentException("backward: seed gradient " + seedGradient.dtype() + " " + seedGradient.shape()
                    + " does not match output " + output.dtype() + " " + output.shape()
                    + "; pass a seed of the output's shape and precision");
        }
        if (!output.requiresGrad()) {
            throw new IllegalStateException("backward: the output depends on no tensor that requires a "
                    + "gradient; mark parameters with requiresGrad(true) and compute the output inside this tape");
        }
        checkUsableInput("backward", output);
        measuredGraph = graphRequested ? snapshot() : null;
        backwardDone = true;
        weights64.open(!checkFinite);
        weights32.open(!checkFinite);
        boolean finished = false;
        try {
            if (output.isF32()) {
                float[] g = output.gradDataF32();
                float[] seed = seedGradient.dataF32();
                for (int i = 0; i < g.length; i++) {
                    g[i] += seed[i];
                }
            } else {
                double[] g = output.gradData();
                double[] seed = seedGradient.data();
                for (int i = 0; i < g.length; i++) {
                    g[i] += seed[i];
                }
            }
            for (int i = size - 1; i >= 0; i--) {
                replayStep(i);
            }
            weights64.finish();
            weights32.finish();
            if (measuredGraph != null) {
                measuredGraph.measureLeaves();
            }
            finished = true;
        } finally {
            if (!finished) {
                weights64.discard();
                weights32.discard();
            }
        }
    }

    private void replayStep(int i) {
        Tensor out = outputs[i];
        if (measuredGraph != null) {
            measuredGraph.measureOp(i, out);
        }
        if (out.hasGrad()) {
            steps[i].apply();
            if (checkFinite) {
                for (Tensor in : inputs[i]) {
                    if (in != null && in.hasGrad()) {
                        requireFinite(in.grad(), ops[i], i, "gradient of an input in backward");
                    }
                }
            }
            if (!out.keepsGrad()) {
                out.releaseGrad();
            }
        }
        inputs[i] = null;
        steps[i] = null;
    }

    private static void requireFinite(Tensor t, String op, int position, String what) {
        int cols = t.cols();
        if (t.isF32()) {
            float[] d = t.dataF32();
            for (int k = 0; k < d.length; k++) {
                if (!Float.isFinite(d[k])) {
                    throw new NonFiniteException(op, position, what, k / cols, k % cols, d[k]);
                }
            }
        } else {
            double[] d = t.data();
            for (int k = 0; k < d.length; k++) {
                if (!Double.isFinite(d[k])) {
                    throw new NonFiniteException(op, position, what, k / cols, k % cols, d[k]);
                }
            }
        }
    }

    /** @return the gatherer of this pass's float64 weight gradients (see {@link WeightGradientsF64}) */
    WeightGradientsF64 weightGradientsF64() {
        return weights64;
    }

    /** @return the gatherer of this pass's float32 weight gradients */
    WeightGradientsF32 weightGradientsF32() {
        return weights32;
    }

    /**
     * @return a number unique to this tape's current generation (no two generations of any tapes
     *     share one): during it, the leaves it records keep their values, so product kernels may
     *     copy them once ({@code ProductsF64.multConstant})
     */
    long epoch() {
        return epoch;
    }

    /** @return the storage of this tape's values, saved activations and gradients */
    Storage storage() {
        return storage;
    }

    /** @return the thread that opened this tape */
    Thread thread() {
        return thread;
    }

    /** @return whether the tape is still open */
    boolean isLive() {
        return !closed;
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
        storage.recycle(outputs, size, generation);
        forget();
    }

    /** Drops every recorded op, keeping the values readable (close) or after recycling them (clear). */
    private void forget() {
        Arrays.fill(outputs, 0, size, null);
        Arrays.fill(inputs, 0, size, null);
        Arrays.fill(steps, 0, size, null);
        Arrays.fill(ops, 0, size, null);
        size = 0;
        Arrays.fill(markLabels, 0, marks, null);
        marks = 0;
        releaseClaims();
        graphRequested = false;
        measuredGraph = null;
        generation++;
        epoch = EPOCHS.incrementAndGet();
        backwardDone = false;
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
        storage.close();
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

    // ------------------------------------------------------------------------------ pictures

    /**
     * Asks the next backward to keep what a picture of this recording needs: a snapshot of the
     * graph and the norm of every node's gradient, read back with {@link #graph()}. Without it a
     * recording keeps nothing beyond what backward itself needs (the marks keep their label and
     * number, never a string per op). Applies to the current recording; {@link #clear()} ends it.
     *
     * @return this tape
     */
    public Tape requestGraph() {
        if (backwardDone) {
            throw new IllegalStateException("requestGraph: backward already ran over this recording, so its graph is "
                    + "gone; call requestGraph() before backward (or tape.clear() and record again)");
        }
        graphRequested = true;
        return this;
    }

    /**
     * The recorded ops as a graph, for {@link TapeGraph#toDot} (Graphviz). Before backward: the
     * structure recorded so far, without gradient norms. After backward: the graph backward
     * measured, gradient norms included, which needs {@link #requestGraph()} before backward.
     *
     * @return a snapshot that later recording, clearing or closing does not change
     */
    public TapeGraph graph() {
        if (closed) {
            throw new IllegalStateException("graph: the tape is closed; call tape.graph() inside the "
                    + "try (Tape tape = Tape.record()) { ... } block, and keep the TapeGraph it returns");
        }
        if (!backwardDone) {
            return snapshot();
        }
        if (measuredGraph == null) {
            throw new IllegalStateException("graph: backward already ran and released this recording's graph; call "
                    + "tape.requestGraph() before backward to keep it with every node's gradient norm");
        }
        return measuredGraph;
    }

    /** @return whether this recording's backward keeps a graph (see {@link #requestGraph()}) */
    boolean keepsGraph() {
        return graphRequested || measuredGraph != null;
    }

    private TapeGraph snapshot() {
        return TapeGraph.of(ops, outputs, inputs, size, markPositions, markLabels, markIndexes, marks);
    }

    @Override
    public String toString() {
        return summary();
    }
}
