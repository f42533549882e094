package dev.unroll.autograd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link TapeGraph} in Graphviz's DOT language. Clusters: one per mark label, holding
 * one per mark index (a layer holding its timesteps), in order of first appearance; leaves sit
 * outside every cluster, so a parameter shared by all timesteps is one node with an edge into
 * each. Every id is quoted and every number is printed with {@link Locale#ROOT}: the same graph
 * gives the same text.
 */
final class DotWriter {

    private final TapeGraph graph;
    private final Map<Tensor, String> names;
    private final StringBuilder out = new StringBuilder();
    private double logMin = Double.POSITIVE_INFINITY;
    private double logMax = Double.NEGATIVE_INFINITY;

    DotWriter(TapeGraph graph, Map<Tensor, String> names) {
        this.graph = graph;
        this.names = names;
    }

    String write() {
        if (graph.hasGradientNorms()) {
            scaleNorms();
        }
        out.append("digraph tape {\n");
        out.append("  rankdir=TB;\n");
        out.append("  node [fontname=\"Helvetica\", fontsize=10, style=filled, fillcolor=\"white\"];\n");
        out.append("  edge [fontname=\"Helvetica\", fontsize=8];\n");
        if (graph.hasGradientNorms()) {
            out.append("  label=\"").append(legend()).append("\";\n  labelloc=t;\n");
        }
        for (int k = 0; k < graph.leafCount(); k++) {
            writeLeaf(k);
        }
        writeClusters();
        for (int i = 0; i < graph.opCount(); i++) {
            for (int ref : graph.inputsOf(i)) {
                String shape = ref >= 0 ? graph.outputShape(ref) : graph.leafShape(-1 - ref);
                out.append("  ").append(id(ref)).append(" -> ").append(opId(i))
                        .append(" [label=\"").append(shape).append("\"];\n");
            }
        }
        return out.append("}\n").toString();
    }

    /** The range of the logarithms of the positive gradient norms, which the fill colours span. */
    private void scaleNorms() {
        for (int i = 0; i < graph.opCount(); i++) {
            widen(graph.opGradNorm(i));
        }
        for (int k = 0; k < graph.leafCount(); k++) {
            widen(graph.leafGradNorm(k));
        }
    }

    private void widen(double norm) {
        if (norm > 0 && Double.isFinite(norm)) {
            logMin = Math.min(logMin, Math.log10(norm));
            logMax = Math.max(logMax, Math.log10(norm));
        }
    }

    private String legend() {
        String range = logMin <= logMax
                ? String.format(Locale.ROOT, " (log scale, %.2e to %.2e)", Math.pow(10, logMin), Math.pow(10, logMax))
                : " (all zero)";
        return "fill: norm of dLoss/d(node), pale = small" + range;
    }

    private void writeLeaf(int k) {
        Tensor parameter = graph.parameter(k);
        String name = parameter == null ? "input " + k : names.getOrDefault(parameter, "parameter " + k);
        out.append("  ").append(id(-1 - k)).append(" [shape=box, label=\"").append(escape(name)).append("\\n")
                .append(graph.leafShape(k)).append(normLabel(graph.leafGradNorm(k))).append('"');
        if (parameter == null) {
            out.append(", fillcolor=\"grey92\", fontcolor=\"grey30\"");
        } else {
            out.append(fill(graph.leafGradNorm(k)));
        }
        out.append("];\n");
    }

    /** Groups the ops by mark label, then by mark index, and writes one nested cluster per group. */
    private void writeClusters() {
        Map<String, Map<Integer, List<Integer>>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < graph.opCount(); i++) {
            byLabel.computeIfAbsent(graph.segmentLabel(i), l -> new LinkedHashMap<>())
                    .computeIfAbsent(graph.segmentIndex(i), x -> new ArrayList<>()).add(i);
        }
        int outer = 0;
        for (Map.Entry<String, Map<Integer, List<Integer>>> label : byLabel.entrySet()) {
            String cluster = "cluster_" + outer++;
            out.append("  subgraph \"").append(cluster).append("\" {\n");
            out.append("    label=\"").append(escape(label.getKey())).append(indexRange(label.getValue())).append("\";\n");
            int inner = 0;
            for (Map.Entry<Integer, List<Integer>> index : label.getValue().entrySet()) {
                String indent = "    ";
                if (index.getKey() >= 0) {
                    out.append("    subgraph \"").append(cluster).append('_').append(inner++).append("\" {\n");
                    out.append("      label=\"").append(escape(label.getKey())).append(' ').append(index.getKey())
                            .append("\";\n");
                    indent = "      ";
                }
                for (int i : index.getValue()) {
                    writeOp(indent, i);
                }
                if (index.getKey() >= 0) {
                    out.append("    }\n");
                }
            }
            out.append("  }\n");
        }
    }

    /** @return e.g. {@code " 0-2"} for a label marked with indexes 0, 1 and 2; empty without indexes */
    private static String indexRange(Map<Integer, List<Integer>> byIndex) {
        int min = Integer.MAX_VALUE;
        int max = -1;
        for (int index : byIndex.keySet()) {
            if (index >= 0) {
                min = Math.min(min, index);
                max = Math.max(max, index);
            }
        }
        return max < 0 ? "" : min == max ? " " + min : " " + min + "-" + max;
    }

    private void writeOp(String indent, int i) {
        out.append(indent).append(opId(i)).append(" [label=\"").append(escape(graph.op(i)))
                .append(normLabel(graph.opGradNorm(i))).append('"').append(fill(graph.opGradNorm(i))).append("];\n");
    }

    private static String normLabel(double norm) {
        return Double.isNaN(norm) ? "" : String.format(Locale.ROOT, "\\n|grad| %.2e", norm);
    }

    /** A fill from white (the smallest norm, or none) to saturated red (the largest), on a log scale. */
    private String fill(double norm) {
        if (Double.isNaN(norm) || !(norm > 0) || logMin > logMax) {
            return "";
        }
        double t = logMax > logMin ? (Math.log10(norm) - logMin) / (logMax - logMin) : 1.0;
        return String.format(Locale.ROOT, ", fillcolor=\"0.000 %.3f 1.000\"", 0.05 + 0.75 * t);
    }

    private static String opId(int i) {
        return "\"op" + i + "\"";
    }

    /** @return the quoted id of an input reference: an op's position, or {@code -1 - leafIndex} */
    private static String id(int ref) {
        return ref >= 0 ? opId(ref) : "\"leaf" + (-1 - ref) + "\"";
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
