package dev.unroll.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import org.junit.jupiter.api.Test;

/**
 * Replays the README's JShell session through {@link JShell}, after the imports of
 * {@code jshell/startup.jsh}, and fails when a snippet is rejected or throws, or, where the README
 * shows output as {@code //} lines under a snippet, when the snippet shows anything else: the
 * README cannot drift from the API.
 */
class ReadmeJShellSessionTest {

    private static final Path ROOT = Path.of("..");
    private static final String BEGIN = "<!-- jshell-session: replayed by ReadmeJShellSessionTest -->";

    @Test
    void theReadmeSessionRunsAndShowsWhatTheReadmeSays() throws IOException {
        List<Step> steps = Step.parse(sessionLines());
        assertFalse(steps.isEmpty(), "the README's JShell session is empty");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        // a separate execution JVM, as the jshell tool uses: the local engine may run each snippet on
        // another thread, which would lose the thread's open tape between snippets
        try (JShell shell = JShell.builder().remoteVMOptions("--add-modules=jdk.incubator.vector")
                .out(new PrintStream(printed, true, StandardCharsets.UTF_8)).build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                shell.addToClasspath(entry);
            }
            for (String line : Files.readAllLines(ROOT.resolve("jshell/startup.jsh"))) {
                if (line.startsWith("import ")) {
                    run(shell, line, printed);
                }
            }
            for (Step step : steps) {
                String shown = run(shell, step.code(), printed);
                if (!step.expected().isEmpty()) {
                    assertEquals(String.join("\n", step.expected()), shown,
                            "the README shows other output for the JShell snippet: " + step.code());
                }
            }
        }
    }

    /**
     * Evaluates one snippet and returns what it printed plus its value, as {@code name ==> value}
     * for a variable and {@code ==> value} for an expression (JShell's {@code $n} left out).
     */
    private static String run(JShell shell, String code, ByteArrayOutputStream printed) {
        printed.reset();
        List<String> shown = new ArrayList<>();
        for (SnippetEvent event : shell.eval(code)) {
            if (event.exception() != null) {
                fail("the README's JShell snippet threw " + event.exception() + ": " + code);
            }
            if (event.status() == Snippet.Status.REJECTED) {
                fail("JShell rejected the README's snippet " + code + ": "
                        + shell.diagnostics(event.snippet()).map(d -> d.getMessage(null)).toList());
            }
            if (event.causeSnippet() == null && event.value() != null && !event.value().isEmpty()) {
                boolean named = event.snippet() instanceof VarSnippet
                        && event.snippet().subKind() != Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
                shown.add((named ? ((VarSnippet) event.snippet()).name() + " " : "") + "==> " + event.value());
            }
        }
        List<String> lines = new ArrayList<>(printed.toString(StandardCharsets.UTF_8).lines().toList());
        for (String value : shown) {
            lines.addAll(value.lines().toList());
        }
        return String.join("\n", lines);
    }

    private static List<String> sessionLines() throws IOException {
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
        int marker = readme.indexOf(BEGIN);
        if (marker < 0) {
            fail("README.md has no line " + BEGIN + " before its JShell session");
        }
        int open = marker + 1;
        int close = readme.subList(open + 1, readme.size()).indexOf("```") + open + 1;
        return readme.subList(open + 1, close);
    }

    /**
     * One snippet of the session (possibly several lines) and the output shown under it: the
     * {@code //} lines right below a snippet; {@code //} lines after a blank line are prose.
     */
    private record Step(String code, List<String> expected) {

        static List<Step> parse(List<String> lines) {
            SourceCodeAnalysis analysis;
            List<Step> steps = new ArrayList<>();
            try (JShell parser = JShell.builder().executionEngine("local").build()) {
                analysis = parser.sourceCodeAnalysis();
                StringBuilder code = new StringBuilder();
                boolean prose = true;
                for (String line : lines) {
                    if (code.length() == 0 && line.isBlank()) {
                        prose = true;
                        continue;
                    }
                    if (code.length() == 0 && line.startsWith("//")) {
                        if (!prose) {
                            steps.get(steps.size() - 1).expected().add(line.substring(Math.min(3, line.length())));
                        }
                        continue;
                    }
                    prose = false;
                    code.append(code.length() == 0 ? "" : "\n").append(line);
                    SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code.toString());
                    if (info.completeness().isComplete()) {
                        steps.add(new Step(info.source(), new ArrayList<>()));
                        code.setLength(0);
                    }
                }
                if (code.length() > 0) {
                    fail("the README's JShell session ends in an incomplete snippet: " + code);
                }
            }
            return steps;
        }
    }
}
