package dev.unroll.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The bench command's machine-readable output, at a tiny budget (no timing is asserted). */
class BenchCommandTest {

    @Test
    void benchPrintsOneJsonLinePerConfiguration() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchCommand bench = new BenchCommand();
        bench.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(bench).execute("--config", "C1", "--json", "--seconds", "0.5", "--min-iters", "3");
        assertEquals(0, exit);
        String json = printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).findFirst()
                .orElse("");
        assertTrue(json.matches(".*\"config\": *\"C1\".*"), "config missing from " + json);
        for (String field : new String[] {"median_ms", "min_ms", "max_ms", "tokens_per_s", "alloc_mb_per_iter"}) {
            assertTrue(json.matches(".*\"" + field + "\": *[0-9.]+.*"), field + " missing from " + json);
        }
    }

    @Test
    void theMguConfigurationTimesTheGruFirstAndGivesTheRatio() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchCommand bench = new BenchCommand();
        bench.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(bench).execute("--config", "MGU", "--json", "--seconds", "0.1", "--min-iters", "2");
        assertEquals(0, exit);
        assertEquals(2, bench.results.size());
        assertEquals("GRU", bench.results.get(0).get("cell"));
        assertEquals("MGU", bench.results.get(1).get("cell"));
        double ratio = ((Number) bench.results.get(1).get("median_ms")).doubleValue()
                / ((Number) bench.results.get(0).get("median_ms")).doubleValue();
        assertEquals(ratio, ((Number) bench.results.get(1).get("vs_gru")).doubleValue(), 1e-3);
    }
}
