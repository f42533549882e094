package dev.unroll.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The bench command's machine-readable output, at a tiny budget (no timing is asserted). */
class BenchCommandTest {

    @Test
    void benchPrintsOneJsonLinePerConfiguration() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchCommand bench = new BenchCommand();
        bench.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(bench).execute("--config", "C1", "--json", "--seconds", "0.5", "--warmup-seconds", "0", "--min-iters", "3");
        assertEquals(0, exit);
        String json = printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).findFirst()
                .orElse("");
        assertTrue(json.matches(".*\"config\": *\"C1\".*"), "config missing from " + json);
        for (String field : new String[] {"median_ms", "min_ms", "max_ms", "tokens_per_s", "alloc_mb_per_iter"}) {
            assertTrue(json.matches(".*\"" + field + "\": *[0-9.]+.*"), field + " missing from " + json);
        }
    }

    @Test
    void theActivationsConfigurationReportsNanosecondsPerElementForTanhAndSigmoid() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchCommand bench = new BenchCommand();
        bench.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        assertEquals(0, new CommandLine(bench).execute("--config", "activations", "--json", "--seconds", "0.2", "--warmup-seconds", "0"));
        String[] lines = printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{"))
                .toArray(String[]::new);
        assertEquals(2, lines.length, String.join("\n", lines));
        assertTrue(lines[0].matches(".*\"function\":\"tanh\".*\"ns_per_element\":[0-9.]+.*"), lines[0]);
        assertTrue(lines[1].matches(".*\"function\":\"sigmoid\".*\"ns_per_element\":[0-9.]+.*"), lines[1]);
    }

    @Test
    void theStepsConfigurationTimesEachShapeBackToBackAndBetweenGateWork() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchCommand bench = new BenchCommand();
        bench.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        assertEquals(0, new CommandLine(bench).execute("--config", "steps", "--dtype", "float32", "--json", "--seconds", "0.2",
                "--warmup-seconds", "0"));
        String[] lines = printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{"))
                .toArray(String[]::new);
        assertEquals(4, lines.length, String.join("\n", lines));
        String[] expected = {"C2 32x256x1024\",\"gap_us\":0,", "C2 32x256x1024\",\"gap_us\":500,",
            "C3 64x1024x4096\",\"gap_us\":0,", "C3 64x1024x4096\",\"gap_us\":500,"};
        for (int i = 0; i < lines.length; i++) {
            assertTrue(lines[i].contains("\"dtype\":\"float32\"") && lines[i].contains(expected[i]), lines[i]);
            assertTrue(lines[i].matches(".*\"median_ms\":[0-9.]+,.*\"gflops\":[0-9.]+,.*"), lines[i]);
        }
    }

    @Test
    void compareAddsThePeersFigureAndTheRatioForTheSameConfigurationAndPrecision(@TempDir Path dir) throws Exception {
        Path peer = dir.resolve("peer.json");
        Files.writeString(peer, String.join("\n",
                "a warning line that is not JSON",
                "{\"config\": \"C1\", \"variant\": \"nn.RNNCell python loop\", \"dtype\": \"float64\", \"median_ms\": 9.0}",
                "{\"config\": \"C1\", \"variant\": \"nn.RNN (fused)\", \"dtype\": \"float64\", \"median_ms\": 1.5, "
                        + "\"blas\": [\"x\"], \"smooth_loss_at\": {\"1000\": 90}}",
                "{\"config\": \"C1\", \"variant\": \"nn.RNN (fused)\", \"dtype\": \"float32\", \"median_ms\": 7.0}"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchCommand bench = new BenchCommand();
        bench.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        assertEquals(0, new CommandLine(bench).execute("--config", "C1", "--json", "--seconds", "0.3", "--warmup-seconds", "0", "--compare",
                peer.toString()));
        String json = printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).findFirst()
                .orElse("");
        assertTrue(json.contains("\"peer_median_ms\":1.5"), "the fused float64 line is the one compared: " + json);
        double ours = Double.parseDouble(json.replaceAll(".*\"median_ms\":([0-9.]+).*", "$1"));
        double ratio = Double.parseDouble(json.replaceAll(".*\"vs_peer\":([0-9.]+).*", "$1"));
        assertEquals(1.5 / ours, ratio, 1e-3 * ratio);
    }

    @Test
    void theFlopCountsOfC2AndC3AreTheIssuesTenPointSevenAndFiftyEightGflop() {
        assertEquals(10.67e9, BenchCommand.lstmFlops(32, 64, 256, 64, 2, 65), 0.01e9);
        assertEquals(58.8e9, BenchCommand.lstmFlops(64, 32, 1024, 128, 1, 65), 0.1e9);
    }

    @Test
    void theMguConfigurationTimesTheGruFirstAndGivesTheRatio() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchCommand bench = new BenchCommand();
        bench.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(bench).execute("--config", "MGU", "--json", "--seconds", "0.1", "--warmup-seconds", "0", "--min-iters", "2");
        assertEquals(0, exit);
        assertEquals(2, bench.results.size());
        assertEquals("GRU", bench.results.get(0).get("cell"));
        assertEquals("MGU", bench.results.get(1).get("cell"));
        double ratio = ((Number) bench.results.get(1).get("median_ms")).doubleValue()
                / ((Number) bench.results.get(0).get("median_ms")).doubleValue();
        assertEquals(ratio, ((Number) bench.results.get(1).get("vs_gru")).doubleValue(), 1e-3);
    }
}
