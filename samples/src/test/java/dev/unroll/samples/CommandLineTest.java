package dev.unroll.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.checkpoint.SafeTensors;
import dev.unroll.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program as a user runs it: bad options are refused before the first iteration with the
 * message alone (the stack trace behind {@code --verbose}) and a non-zero exit, nothing saved is
 * replaced unless asked, and a resumed run continues in its own directory.
 */
class CommandLineTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream stdout;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Path text;

    @BeforeEach
    void smallText() throws IOException {
        text = Files.writeString(dir.resolve("text.txt"), "to be or not to be, that is the question.\n".repeat(40));
    }

    /** Runs the program; returns its exit code. */
    private int run(String... args) {
        err.reset();
        out.reset();
        stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return Main.commandLine().setErr(new PrintWriter(err, true, StandardCharsets.UTF_8)).execute(args);
        } finally {
            System.setOut(stdout);
        }
    }

    private String error() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** char-lstm at a tiny size on the small text; {@code more} holds option-value pairs that replace the defaults, or flags. */
    private String[] charLstm(Path outDir, String... more) {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--text", text.toString(), "--out", outDir.toString(),
                "--hidden", "8", "--embedding", "4", "--layers", "1", "--batch", "2", "--steps", "8", "--eval-chunks", "1",
                "--length", "5", "--prime", "to "));
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < more.length; i++) {
            if (i + 1 < more.length && !more[i + 1].startsWith("--")) {
                options.put(more[i], more[++i]);
            } else {
                flags.add(more[i]);
            }
        }
        List<String> args = new ArrayList<>(List.of("char-lstm", "--quiet"));
        options.forEach((k, v) -> args.addAll(List.of(k, v)));
        args.addAll(flags);
        return args.toArray(String[]::new);
    }

    private void assertRefused(String expected, String... args) {
        assertEquals(1, run(args), error());
        assertTrue(error().startsWith("error: " + expected), error());
        assertFalse(error().contains("\tat "), "no stack trace without --verbose: " + error());
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("after "), "nothing should have trained");
    }

    @Test
    void badOptionsAreRefusedBeforeTheFirstIterationWithTheMessageOnly() throws IOException {
        Path runDir = dir.resolve("run");
        assertRefused("--iterations 0 must be at least 1", charLstm(runDir, "--iterations", "0"));
        assertRefused("--iterations -1 must be at least 1", "hello", "--quiet", "--out", runDir.toString(),
                "--iterations", "-1");
        assertRefused("--steps 0 must be at least 1", charLstm(runDir, "--steps", "0"));
        assertRefused("--steps 0 must be at least 1", "min-char-rnn", "--quiet", "--out", runDir.toString(),
                "--text", text.toString(), "--steps", "0");
        assertRefused("--length -1 must be 0 or more", charLstm(runDir, "--length", "-1"));
        assertRefused("--temperature 0.0 must be a number above 0", charLstm(runDir, "--temperature", "0"));
        assertRefused("character 'Z' is not in the vocabulary", charLstm(runDir, "--prime", "Zed"));
        Path file = Files.writeString(dir.resolve("a-file"), "");
        assertRefused("--out " + file + " is a file, not a directory", charLstm(file, "--iterations", "2"));
        assertFalse(Files.exists(runDir.resolve("char-lstm.safetensors")), "nothing was saved");

        assertEquals(1, run("hello", "--quiet", "--out", runDir.toString(), "--iterations", "0", "--verbose"));
        assertTrue(error().contains("\tat dev.unroll.samples"), "--verbose prints the trace: " + error());
    }

    @Test
    void aTrainedCheckpointIsReplacedOnlyWhenAsked() throws IOException {
        Path runDir = dir.resolve("run");
        assertEquals(0, run(charLstm(runDir, "--iterations", "3")), error());
        Path checkpoint = runDir.resolve("char-lstm.safetensors");
        byte[] trained = Files.readAllBytes(checkpoint);
        assertRefused(checkpoint + " already holds a checkpoint, which this run would replace; continue it with "
                + "--resume " + runDir + ", write elsewhere with --out, or replace it with --overwrite",
                charLstm(runDir, "--iterations", "1"));
        assertEquals(Arrays.toString(trained), Arrays.toString(Files.readAllBytes(checkpoint)));
        assertEquals(0, run(charLstm(runDir, "--iterations", "1", "--overwrite")), error());
        assertEquals("1", Checkpoint.metadata(checkpoint).get(Trainer.ITERATION));
    }

    @Test
    void aResumedRunContinuesInTheDirectoryItResumedFrom() throws IOException {
        Path first = dir.resolve("first");
        assertEquals(0, run("hello", "--quiet", "--out", first.toString(), "--iterations", "5"), error());
        assertEquals(0, run("hello", "--quiet", "--resume", first.toString(), "--iterations", "8"), error());
        assertEquals("8", Checkpoint.metadata(first.resolve("hello.safetensors")).get(Trainer.ITERATION));
        assertEquals(0, run("hello", "--quiet", "--resume", first.resolve("hello.safetensors").toString(),
                "--iterations", "9"), error());
        assertEquals("9", Checkpoint.metadata(first.resolve("hello.safetensors")).get(Trainer.ITERATION));
    }

    @Test
    void corruptMetadataOrLossCurvesOfAResumedRunAreRefusedNamingTheValue() throws IOException {
        Path runDir = dir.resolve("run");
        assertEquals(0, run("hello", "--quiet", "--out", runDir.toString(), "--iterations", "2"), error());
        Path checkpoint = runDir.resolve("hello.safetensors");
        Files.writeString(runDir.resolve("hello-loss.csv"), "series,iteration,value\ntrain,0,0.5\ntrain,one,0.4\n");
        assertRefused(runDir.resolve("hello-loss.csv") + ", line 3: 'train,one,0.4' is not a series,iteration,value row",
                "hello", "--quiet", "--resume", runDir.toString(), "--iterations", "3");
        Files.delete(runDir.resolve("hello-loss.csv"));
        SafeTensors.Contents contents = SafeTensors.read(checkpoint);
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        metadata.put(Trainer.ITERATION, "two");
        SafeTensors.write(checkpoint, contents.tensors(), metadata);
        assertRefused("--resume " + checkpoint + ": its metadata 'iteration' is 'two', not an iteration count",
                "hello", "--quiet", "--resume", runDir.toString(), "--iterations", "3");
    }

    @Test
    void eachValidationLossIsPrintedAsItIsMeasured() {
        assertEquals(0, run(charLstm(dir.resolve("run"), "--iterations", "4", "--eval-every", "2")), error());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("iteration 2: validation loss ") && printed.contains("iteration 4: validation loss "),
                printed);
        assertTrue(printed.indexOf("iteration 2: validation") < printed.indexOf("after 4 iterations"), printed);
    }
}
