package dev.unroll.samples.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.samples.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The graph sample, run in-process: it writes the unrolled LSTM language model as DOT, with or without Graphviz. */
class GraphCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private int run(GraphCommand command, String... args) {
        command.printed = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return new CommandLine(command).setErr(new PrintWriter(printed, true, StandardCharsets.UTF_8)).execute(args);
    }

    @Test
    void writesTheUnrolledGraphWithoutGraphviz() throws IOException {
        GraphCommand graph = new GraphCommand();
        graph.graphviz = "graphviz-dot-that-is-not-installed";
        assertEquals(0, run(graph, "--out", dir.toString(), "--steps", "3", "--layers", "2"), printed.toString());
        String dot = Files.readString(dir.resolve("lstm-lm.dot"));
        assertTrue(dot.startsWith("digraph tape {"), dot);
        for (int layer = 0; layer < 2; layer++) {
            for (int t = 0; t < 3; t++) {
                assertTrue(dot.contains("label=\"layer " + layer + " step " + t + "\";"), dot);
            }
        }
        assertTrue(dot.contains("label=\"rnn.weight_hh_l1\\n64x16\\n|grad| "), "named, with its gradient norm: " + dot);
        assertTrue(dot.contains("label=\"embedding.weight\\n"), dot);
        assertFalse(Files.exists(dir.resolve("lstm-lm.svg")));
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("apt install graphviz") && output.contains("brew install graphviz"), output);
        assertTrue(output.contains("layer 1 step 2: "), "prints the tape summary: " + output);
    }

    @Test
    void rendersSvgAndPngWithGraphviz() throws IOException {
        // a stand-in for dot: answers -V, and for "-Tfmt in -o out" writes its format and input's first line to out
        Path fake = dir.resolve("fake-dot");
        Files.writeString(fake, "#!/bin/sh\n[ \"$1\" = -V ] && exit 0\n{ echo \"$1\"; head -n 1 \"$2\"; } > \"$4\"\n");
        assertTrue(fake.toFile().setExecutable(true));
        GraphCommand graph = new GraphCommand();
        graph.graphviz = fake.toString();
        Path out = dir.resolve("rendered");
        assertEquals(0, run(graph, "--out", out.toString()), printed.toString(StandardCharsets.UTF_8));
        assertEquals("-Tsvg\ndigraph tape {\n", Files.readString(out.resolve("lstm-lm.svg")));
        assertEquals("-Tpng\ndigraph tape {\n", Files.readString(out.resolve("lstm-lm.png")));
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("picture: " + out.resolve("lstm-lm.png")), output);
        assertFalse(output.contains("install"), output);
    }

    @Test
    void sameSeedSameText() throws IOException {
        Path other = dir.resolve("again");
        GraphCommand first = new GraphCommand();
        first.graphviz = "graphviz-dot-that-is-not-installed";
        GraphCommand second = new GraphCommand();
        second.graphviz = first.graphviz;
        assertEquals(0, run(first, "--out", dir.toString()));
        assertEquals(0, run(second, "--out", other.toString()));
        assertEquals(Files.readString(dir.resolve("lstm-lm.dot")), Files.readString(other.resolve("lstm-lm.dot")));
    }

    @Test
    void theReadmeExcerptIsWhatTheDefaultRunWrites() throws IOException {
        GraphCommand graph = new GraphCommand();
        graph.graphviz = "graphviz-dot-that-is-not-installed";
        assertEquals(0, run(graph, "--out", dir.toString()));
        String dot = Files.readString(dir.resolve("lstm-lm.dot"));
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```\n", readme.indexOf("An excerpt of the file")) + 4;
        String excerpt = readme.substring(start, readme.indexOf("```", start));
        assertTrue(excerpt.lines().count() > 10, excerpt);
        for (String line : excerpt.lines().toList()) {
            assertTrue(line.isBlank() || line.strip().equals("...") || dot.contains(line + "\n"),
                    "README.md's DOT excerpt shows a line the graph sample does not write: " + line + "\n" + dot);
        }
    }

    @Test
    void isACommandOfTheProgramAndRefusesTooManySteps() {
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setErr(new PrintWriter(err, true))
                .execute("graph", "--steps", "99", "--out", dir.toString());
        assertEquals(1, exit);
        assertTrue(err.toString().contains("--steps 99 is more than"), err.toString());
    }
}
