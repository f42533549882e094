package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The DOT export of a tiny hand-written RNN unrolled over three steps (per step {@code linear},
 * {@code addLinear}, {@code tanh}; then {@code sum}), marked per step as the recurrent layers do.
 */
class TapeGraphTest {

    private static final int STEPS = 3;
    private static final int BATCH = 2;
    private static final int HIDDEN = 4;

    private final Tensor weightIh = Tensor.uniform(HIDDEN, 3, -0.5, 0.5, 1).requiresGrad(true);
    private final Tensor weightHh = Tensor.uniform(HIDDEN, HIDDEN, -0.5, 0.5, 2).requiresGrad(true);
    private final Tensor bias = Tensor.uniform(1, HIDDEN, -0.5, 0.5, 3).requiresGrad(true);
    private final List<Tensor> inputs = new ArrayList<>();
    private final Map<String, Tensor> names = new LinkedHashMap<>();

    TapeGraphTest() {
        for (int t = 0; t < STEPS; t++) {
            inputs.add(Tensor.uniform(BATCH, 3, -1, 1, 10 + t));
        }
        names.put("rnn.weight_ih", weightIh);
        names.put("rnn.weight_hh", weightHh);
        names.put("rnn.bias", bias);
    }

    /** Records the unrolled RNN and its loss on {@code tape}; returns the loss. */
    private Tensor unroll() {
        Tensor h = Tensor.zeros(BATCH, HIDDEN);
        for (int t = 0; t < STEPS; t++) {
            Tape.mark("step", t);
            Tensor projected = MatrixOps.linear(inputs.get(t), weightIh, bias);
            h = MatrixOps.addLinear(projected, h, weightHh, null).tanh();
        }
        Tape.mark("loss");
        return h.sum();
    }

    private String dotAfterBackward() {
        for (Tensor parameter : names.values()) {
            parameter.zeroGrad();
        }
        try (Tape tape = Tape.record()) {
            tape.requestGraph();
            tape.backward(unroll());
            return tape.graph().toDot(names);
        }
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    @Test
    void oneClusterPerStepInsideOneForTheLabelAndOneNodePerParameter() {
        String dot;
        TapeGraph graph;
        try (Tape tape = Tape.record()) {
            unroll();
            graph = tape.graph();
            dot = graph.toDot(names);
        }
        assertEquals(3 * STEPS + 1, graph.opCount());
        assertEquals(3 + STEPS + 1, graph.leafCount(), "three parameters, three inputs x_t, the zero h_0");
        assertTrue(dot.contains("subgraph \"cluster_0\" {\n    label=\"step 0-2\";"), dot);
        for (int t = 0; t < STEPS; t++) {
            assertTrue(dot.contains("subgraph \"cluster_0_" + t + "\" {\n      label=\"step " + t + "\";"), dot);
        }
        assertTrue(dot.contains("subgraph \"cluster_1\" {\n    label=\"loss\";"), dot);
        assertEquals(STEPS + 2, count(dot, "subgraph "), "step clusters, their parent, the loss: " + dot);
        assertEquals(STEPS, count(dot, "label=\"linear\""));
        assertEquals(STEPS, count(dot, "label=\"addLinear\""));
        assertEquals(STEPS, count(dot, "label=\"tanh\""));
        assertEquals(1, count(dot, "label=\"sum\""));
        for (String name : names.keySet()) {
            assertEquals(1, count(dot, "label=\"" + name + "\\n"), name + " drawn once: " + dot);
        }
        // linear reads x_t, weight_ih, bias; addLinear the projection, h, weight_hh; tanh one; sum one
        assertEquals(7 * STEPS + 1, count(dot, " -> "), dot);
        assertEquals(STEPS, count(dot, "\"leaf1\" -> "), "weight_ih (leaf 1) feeds every step: " + dot);
        assertTrue(dot.contains("\"leaf1\" -> \"op0\" [label=\"4x3\"];"), dot);
        assertTrue(dot.contains("\"op2\" -> \"op4\" [label=\"2x4\"];"), "h_0 feeds step 1's addLinear: " + dot);
        assertFalse(dot.contains("|grad|"), "no gradient norms before backward");
    }

    @Test
    void gradientNormsAfterARequestedBackward() {
        String dot;
        try (Tape tape = Tape.record()) {
            tape.requestGraph();
            Tensor loss = unroll();
            tape.backward(loss);
            assertTrue(tape.graph().hasGradientNorms());
            dot = tape.graph().toDot(names);
        }
        assertEquals(3 * STEPS + 1 + 3, count(dot, "|grad| "), "every op and parameter: " + dot);
        // the loss is the sum of h_3, so dLoss/dh_3 is all ones: norm sqrt(2 * 4)
        assertTrue(dot.contains("\"op8\" [label=\"tanh\\n|grad| 2.83e+00\""), dot);
        assertTrue(dot.contains("\"op9\" [label=\"sum\\n|grad| 1.00e+00\""), dot);
        double whh = 0;
        for (double g : weightHh.gradData()) {
            whh += g * g;
        }
        assertTrue(dot.contains(String.format(java.util.Locale.ROOT, "label=\"rnn.weight_hh\\n4x4\\n|grad| %.2e\"",
                Math.sqrt(whh))), dot);
        assertTrue(dot.contains("fill: norm of dLoss/d(node)"), dot);
        assertTrue(dot.contains("fillcolor=\"0.000 "), "coloured by gradient norm: " + dot);
    }

    @Test
    void float32GradientNormsAgreeWithFloat64() {
        String f64 = dotAfterBackward();
        Tensor[] f32 = {weightIh.to(DType.F32).requiresGrad(true), weightHh.to(DType.F32).requiresGrad(true),
            bias.to(DType.F32).requiresGrad(true)};
        String dot;
        try (Tape tape = Tape.record().requestGraph()) {
            Tensor h = Tensor.zeros(DType.F32, BATCH, HIDDEN);
            for (int t = 0; t < STEPS; t++) {
                Tape.mark("step", t);
                Tensor projected = MatrixOps.linear(inputs.get(t).to(DType.F32), f32[0], f32[2]);
                h = MatrixOps.addLinear(projected, h, f32[1], null).tanh();
            }
            Tape.mark("loss");
            tape.backward(h.sum());
            dot = tape.graph().toDot(Map.of("rnn.weight_ih", f32[0], "rnn.weight_hh", f32[1], "rnn.bias", f32[2]));
        }
        assertEquals(norms(f64), norms(dot));
    }

    private static List<String> norms(String dot) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\|grad\\| ([0-9.e+-]+)").matcher(dot);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void dotSyntaxIsValidAndTheTextDeterministic() {
        String dot = dotAfterBackward();
        assertEquals(dot, dotAfterBackward(), "same graph, same text");
        assertTrue(dot.startsWith("digraph tape {\n") && dot.endsWith("}\n"), dot);
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < dot.length(); i++) {
            char c = dot.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '{') {
                depth++;
            } else if (!quoted && c == '}') {
                depth--;
                assertTrue(depth >= 0, "a brace closes nothing at " + i);
            }
        }
        assertEquals(0, depth, "balanced braces");
        assertFalse(quoted, "balanced quotes");
        Pattern quotedId = Pattern.compile("\"[a-z_0-9]+\"");
        Pattern statement = Pattern.compile(" *(\"[^\"]+\" \\[.*\\];|\"[^\"]+\" -> \"[^\"]+\" \\[label=\"\\d+x\\d+\"\\];"
                + "|subgraph \"cluster_[0-9_]+\" \\{|\\}|[a-z]+=.*;|(node|edge) \\[.*\\];|digraph tape \\{)");
        for (String line : dot.split("\n")) {
            assertTrue(statement.matcher(line).matches(), "not a DOT statement of the expected form: " + line);
            if (line.contains(" -> ")) {
                String[] ends = line.trim().split(" -> | \\[")[0].split(" ");
                assertTrue(quotedId.matcher(line.trim().split(" ")[0]).matches(), line);
                assertTrue(ends.length == 1, line);
            }
        }
    }

    @Test
    void namesAreEscaped() {
        String dot;
        try (Tape tape = Tape.record()) {
            unroll();
            dot = tape.graph().toDot(Map.of("a \"quoted\" \\ name", weightIh));
        }
        assertTrue(dot.contains("label=\"a \\\"quoted\\\" \\\\ name\\n4x3\""), dot);
    }

    @Test
    void recordingWithoutARequestKeepsNoGraph() {
        try (Tape tape = Tape.record()) {
            tape.backward(unroll());
            assertFalse(tape.keepsGraph(), "backward kept a graph nobody asked for");
            IllegalStateException e = assertThrows(IllegalStateException.class, tape::graph);
            assertTrue(e.getMessage().contains("requestGraph() before backward"), e.getMessage());
            assertThrows(IllegalStateException.class, tape::requestGraph);
            tape.clear();
            tape.requestGraph();
            assertTrue(tape.keepsGraph());
            tape.clear();
            assertFalse(tape.keepsGraph(), "a request lasts one recording");
        }
    }

    @Test
    void theGraphOutlivesItsTape() {
        TapeGraph graph;
        try (Tape tape = Tape.record().requestGraph()) {
            tape.backward(unroll());
            graph = tape.graph();
            String before = graph.toDot(names);
            tape.clear();
            assertEquals(before, graph.toDot(names));
            assertEquals(0, tape.graph().opCount(), "the cleared tape starts an empty graph");
        }
        assertNotEquals("", graph.toDot());
        assertTrue(graph.toDot().contains("label=\"parameter 1\\n4x3"), "unnamed leaves by position");
        Tape closed = Tape.record();
        closed.close();
        assertThrows(IllegalStateException.class, closed::graph);
    }
}
