package dev.unroll.samples.programs;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.TapeGraph;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.samples.common.OptionChecks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Draws what a tape recorded: a small LSTM language model reads a few characters, backward runs
 * with the graph requested, and the unrolled graph is written as Graphviz DOT (one cluster per
 * layer and timestep, each shared weight once, shapes on the edges, every node's gradient norm as
 * its fill), then rendered to SVG and PNG when Graphviz's {@code dot} is on the PATH.
 */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Write the unrolled graph of a small LSTM language model as Graphviz DOT (and SVG/PNG with dot).")
public final class GraphCommand implements Callable<Integer> {

    private static final String TEXT = "hello, unrolled world";

    @Option(names = "--out", defaultValue = "runs/graph", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--steps", defaultValue = "4", description = "timesteps to unroll, at most 20 (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--layers", defaultValue = "2", description = "stacked LSTM layers (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--hidden", defaultValue = "16", description = "hidden units (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the initial weights (default: ${DEFAULT-VALUE})")
    long seed;

    /** The Graphviz program; a test points it elsewhere. */
    String graphviz = "dot";

    PrintStream printed = System.out;

    @Override
    public Integer call() throws IOException, InterruptedException {
        OptionChecks.positive("--steps", steps);
        OptionChecks.positive("--layers", layers);
        OptionChecks.positive("--hidden", hidden);
        if (steps >= TEXT.length()) {
            throw new IllegalArgumentException("--steps " + steps + " is more than the " + (TEXT.length() - 1)
                    + " next-character predictions of \"" + TEXT + "\"; pass a smaller --steps");
        }
        String vocabulary = TEXT.chars().distinct().sorted()
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        int[][] inputs = new int[steps][1];
        int[][] targets = new int[steps][1];
        for (int t = 0; t < steps; t++) {
            inputs[t][0] = vocabulary.indexOf(TEXT.charAt(t));
            targets[t][0] = vocabulary.indexOf(TEXT.charAt(t + 1));
        }
        LanguageModel model = LanguageModel.lstm(vocabulary.length(), 8, hidden, layers, seed);
        TapeGraph graph;
        try (Tape tape = Tape.record().requestGraph()) {
            tape.backward(model.loss(inputs, targets, null, Reduction.MEAN).loss());
            printed.println("what the tape recorded, \"" + TEXT.substring(0, steps) + "\" -> \""
                    + TEXT.substring(1, steps + 1) + "\":");
            printed.println(tape.summary());
            graph = tape.graph();
        }
        Files.createDirectories(out);
        Path dot = out.resolve("lstm-lm.dot");
        Files.writeString(dot, graph.toDot(model.namedParameters()));
        printed.println("graph: " + dot + " (" + graph.opCount() + " ops, " + graph.leafCount() + " leaves)");
        if (graphvizAvailable()) {
            for (String format : List.of("svg", "png")) {
                Path picture = out.resolve("lstm-lm." + format);
                render(dot, format, picture);
                printed.println("picture: " + picture);
            }
        } else {
            printed.println("Graphviz's '" + graphviz + "' is not on the PATH, so only the .dot file was written; "
                    + "install it (apt install graphviz, or brew install graphviz) and run this again, or render it "
                    + "yourself: dot -Tsvg " + dot + " -o lstm-lm.svg");
        }
        return 0;
    }

    /** @return whether {@code dot -V} runs and succeeds */
    private boolean graphvizAvailable() throws InterruptedException {
        try {
            Process p = new ProcessBuilder(graphviz, "-V").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroy();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void render(Path dot, String format, Path picture) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(graphviz, "-T" + format, dot.toString(), "-o", picture.toString())
                .redirectErrorStream(true).start();
        String messages = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(graphviz + " -T" + format + " failed on " + dot + ": " + messages.strip());
        }
    }
}
