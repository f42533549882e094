package dev.unroll.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Same seed, same bits, whatever the JIT does: a short char-lstm training (embedding, LSTM
 * gates, clipping, Adam, validation, checkpoint) run in separate JVMs writes byte-identical
 * checkpoints: one only interpreted ({@code -Xint}); one where C2 compiles Unroll's methods after
 * 100 calls, in the foreground, so the Vector API kernels run compiled for most of the run (with
 * the Vector API's own TANH this run trained other bits than the interpreted one); one with the
 * scalar activation kernels. Once in float64 and once in float32, whose tanh and sigmoid have
 * kernels of their own. The same for word-lm (in float64, its only precision), whose training
 * also draws dropout masks and sums the gradient of a tied table from two uses.
 */
class ReproducibilityTest {

    @TempDir
    Path dir;

    private static final List<String> COMPILED_EARLY = List.of("-XX:-TieredCompilation", "-XX:CompileThreshold=100",
            "-XX:-BackgroundCompilation", "-XX:CompileCommand=quiet", "-XX:CompileCommand=compileonly,dev.unroll.*::*");

    private void writeText() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            text.append("the quick brown fox ").append(i % 7 == 0 ? "jumps over " : "naps beside ").append("the lazy dog.\n");
        }
        Files.writeString(dir.resolve("text.txt"), text);
    }

    private byte[] train(String name, List<String> jvmOptions, String dtype) throws IOException, InterruptedException {
        Path out = dir.resolve(name);
        Path log = dir.resolve(name + ".log");
        int exit = ChildJvm.run(log, jvmOptions, "char-lstm", "--text", dir.resolve("text.txt").toString(),
                "--out", out.toString(), "--quiet", "--seed", "5", "--iterations", "4", "--batch", "2", "--steps", "8",
                "--embedding", "8", "--hidden", "16", "--layers", "1", "--eval-every", "2", "--eval-chunks", "1", "--length", "5", "--prime", "the ",
                "--dtype", dtype);
        assertEquals(0, exit, name + ": " + Files.readString(log, StandardCharsets.UTF_8));
        return Files.readAllBytes(out.resolve("char-lstm.safetensors"));
    }

    private byte[] trainWords(String name, List<String> jvmOptions) throws IOException, InterruptedException {
        Path out = dir.resolve(name);
        Path log = dir.resolve(name + ".log");
        int exit = ChildJvm.run(log, jvmOptions, "word-lm", "--text", dir.resolve("text.txt").toString(),
                "--out", out.toString(), "--quiet", "--seed", "5", "--iterations", "4", "--batch", "2", "--steps", "8",
                "--size", "8", "--layers", "2", "--dropout", "0.3", "--min-count", "1", "--eval-every", "2", "--length", "5",
                "--prime", "the");
        assertEquals(0, exit, name + ": " + Files.readString(log, StandardCharsets.UTF_8));
        return Files.readAllBytes(out.resolve("word-lm.safetensors"));
    }

    @Test
    void interpretedAndCompiledWordLmRunsWriteTheSameCheckpoint() throws Exception {
        writeText();
        byte[] interpreted = trainWords("word-lm-interpreted", List.of("-Xint"));
        assertArrayEquals(interpreted, trainWords("word-lm-compiled", COMPILED_EARLY),
                "word-lm: interpreted and C2-compiled runs trained different bits");
        assertArrayEquals(interpreted, trainWords("word-lm-scalar", List.of("-Dunroll.activations=scalar")),
                "word-lm: the scalar activation kernels trained different bits");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"float64", "float32"})
    void interpretedAndCompiledRunsWriteTheSameCheckpoint(String dtype) throws Exception {
        writeText();
        byte[] interpreted = train("interpreted-" + dtype, List.of("-Xint"), dtype);
        byte[] compiled = train("compiled-" + dtype, COMPILED_EARLY, dtype);
        byte[] scalar = train("scalar-" + dtype, List.of("-Dunroll.activations=scalar"), dtype);
        assertArrayEquals(interpreted, compiled, dtype + ": interpreted and C2-compiled runs trained different bits");
        assertArrayEquals(interpreted, scalar, dtype + ": the scalar activation kernels trained different bits");
    }
}
