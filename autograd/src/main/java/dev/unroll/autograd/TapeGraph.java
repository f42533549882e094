package dev.unroll.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a tape recorded, as a graph that outlives the tape: one node per recorded op (its name as
 * in {@link Tape#summary()}, its output shape, the segment of the {@link Tape#mark(String, int)
 * marks} it was recorded in), one node per leaf it read (each parameter once, however many
 * timesteps use it), and, when the graph was requested before backward, the norm of every node's
 * gradient. {@link #toDot} draws it with Graphviz.
 *
 * <pre>{@code
 * try (Tape tape = Tape.record()) {
 *     tape.requestGraph();                       // keep the gradient norms of backward
 *     tape.backward(model.loss(batch));
 *     Files.writeString(Path.of("unrolled.dot"), tape.graph().toDot(model.namedParameters()));
 * }
 * }</pre>
 *
 * <p>A snapshot: taking it copies the structure (names, shapes, who feeds whom), not the values,
 * so clearing or closing the tape afterwards does not change it.
 */
public final class TapeGraph {

    private final String[] ops;
    private final int[] outputRows;
    private final int[] outputCols;
    private final int[][] inputs;
    private final int[] segments;
    private final String[] segmentLabels;
    private final int[] segmentIndexes;
    private final Tensor[] parameters;
    private final int[] leafRows;
    private final int[] leafCols;
    private final double[] opGradNorms;
    private final double[] leafGradNorms;
    private boolean measured;

    private TapeGraph(String[] ops, int[][] inputs, int[] segments, String[] segmentLabels, int[] segmentIndexes,
            List<Tensor> leaves) {
        this.ops = ops;
        this.inputs = inputs;
        this.segments = segments;
        this.segmentLabels = segmentLabels;
        this.segmentIndexes = segmentIndexes;
        this.parameters = new Tensor[leaves.size()];
        this.leafRows = new int[leaves.size()];
        this.leafCols = new int[leaves.size()];
        for (int k = 0; k < leaves.size(); k++) {
            Tensor leaf = leaves.get(k);
            parameters[k] = leaf.requiresGrad() ? leaf : null;
            leafRows[k] = leaf.rows();
            leafCols[k] = leaf.cols();
        }
        this.outputRows = new int[ops.length];
        this.outputCols = new int[ops.length];
        this.opGradNorms = new double[ops.length];
        this.leafGradNorms = new double[leaves.size()];
    }

    /**
     * Copies the structure of the first {@code size} recorded ops. An input is an op's output
     * (coded as its position) or a leaf (coded as {@code -1 - leafIndex}); leaves are numbered in
     * the order ops first read them, so the same recording gives the same graph.
     */
    static TapeGraph of(String[] ops, Tensor[] outputs, Tensor[][] inputs, int size, int[] markPositions,
            String[] markLabels, int[] markIndexes, int marks) {
        Map<Tensor, Integer> producedAt = new IdentityHashMap<>();
        Map<Tensor, Integer> leafIndex = new IdentityHashMap<>();
        List<Tensor> leaves = new ArrayList<>();
        int[][] refs = new int[size][];
        int[] segments = new int[size];
        int segment = 0;
        for (int i = 0; i < size; i++) {
            while (segment < marks && markPositions[segment] <= i) {
                segment++;
            }
            segments[i] = segment;
            Tensor[] in = inputs[i];
            int n = 0;
            for (Tensor t : in) {
                n += t == null ? 0 : 1;
            }
            refs[i] = new int[n];
            int k = 0;
            for (Tensor t : in) {
                if (t != null) {
                    Integer op = producedAt.get(t);
                    refs[i][k++] = op != null ? op : -1 - leafIndex.computeIfAbsent(t, leaf -> {
                        leaves.add(leaf);
                        return leaves.size() - 1;
                    });
                }
            }
            producedAt.put(outputs[i], i);
        }
        String[] labels = new String[marks + 1];
        int[] indexes = new int[marks + 1];
        labels[0] = "start";
        indexes[0] = -1;
        for (int m = 0; m < marks; m++) {
            labels[m + 1] = markLabels[m];
            indexes[m + 1] = markIndexes[m];
        }
        TapeGraph graph = new TapeGraph(Arrays.copyOf(ops, size), refs, segments, labels, indexes, leaves);
        for (int i = 0; i < size; i++) {
            graph.outputRows[i] = outputs[i].rows();
            graph.outputCols[i] = outputs[i].cols();
            graph.opGradNorms[i] = Double.NaN;
        }
        Arrays.fill(graph.leafGradNorms, Double.NaN);
        return graph;
    }

    /** Backward calls this for the op at {@code position} before it releases the op's output gradient. */
    void measureOp(int position, Tensor output) {
        opGradNorms[position] = output.hasGrad() ? norm(output) : 0.0;
        measured = true;
    }

    /** Backward calls this once at its end: the leaves' gradients are complete then. */
    void measureLeaves() {
        for (int k = 0; k < parameters.length; k++) {
            leafGradNorms[k] = parameters[k] != null && parameters[k].hasGrad() ? norm(parameters[k]) : Double.NaN;
        }
        measured = true;
    }

    private static double norm(Tensor t) {
        double s = 0;
        if (t.isF32()) {
            for (float v : t.gradDataF32()) {
                s += (double) v * v;
            }
        } else {
            for (double v : t.gradData()) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    /** @return the number of recorded ops, one node each */
    public int opCount() {
        return ops.length;
    }

    /** @return the number of distinct leaves the ops read (parameters and inputs), one node each */
    public int leafCount() {
        return parameters.length;
    }

    /** @return whether backward measured the gradient norms (the graph was requested before backward) */
    public boolean hasGradientNorms() {
        return measured;
    }

    /**
     * The graph in Graphviz's DOT language, leaves named by their position ({@code parameter 0}).
     *
     * @return the DOT text; the same recording always gives the same text
     */
    public String toDot() {
        return toDot(Map.of());
    }

    /**
     * The graph in Graphviz's DOT language: one cluster per mark label (e.g. a layer) holding one
     * cluster per mark index (e.g. a timestep), ops named as in {@link Tape#summary()}, each
     * parameter drawn once outside the clusters with an edge into every op that reads it, the
     * shape of the tensor on every edge, and, after a requested backward, each node's gradient
     * norm in its label and as its fill (pale: small), so vanishing gradients show. Render with
     * {@code dot -Tsvg graph.dot -o graph.svg}.
     *
     * @param names a name for each parameter, e.g. a module's {@code namedParameters()}; a leaf
     *     without one is shown as {@code parameter k} (or {@code input k} when it needs no gradient)
     * @return the DOT text; the same recording always gives the same text
     */
    public String toDot(Map<String, ? extends Tensor> names) {
        Map<Tensor, String> byTensor = new IdentityHashMap<>();
        names.forEach((name, tensor) -> byTensor.putIfAbsent(tensor, name));
        return new DotWriter(this, byTensor).write();
    }

    // ------------------------------------------------------------------------------ read by DotWriter

    String op(int i) {
        return ops[i];
    }

    String outputShape(int i) {
        return outputRows[i] + "x" + outputCols[i];
    }

    int[] inputsOf(int i) {
        return inputs[i];
    }

    /** @return the label of the segment the op was recorded in ({@code start} before the first mark) */
    String segmentLabel(int i) {
        return segmentLabels[segments[i]];
    }

    /** @return the index of the op's segment (e.g. its timestep), negative for none */
    int segmentIndex(int i) {
        return segmentIndexes[segments[i]];
    }

    /** @return the leaf when it is a parameter (requires a gradient), else {@code null} (an input) */
    Tensor parameter(int k) {
        return parameters[k];
    }

    String leafShape(int k) {
        return leafRows[k] + "x" + leafCols[k];
    }

    double opGradNorm(int i) {
        return opGradNorms[i];
    }

    double leafGradNorm(int k) {
        return leafGradNorms[k];
    }
}
