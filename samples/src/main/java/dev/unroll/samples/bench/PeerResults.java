package dev.unroll.samples.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A peer's benchmark lines (the JSON lines {@code torch_bench.py} prints), looked up by
 * configuration, precision and (for G) matrix size, so {@code bench --compare} can print each
 * figure beside the peer's. For C1 the peer's fused {@code nn.RNN} variant is the one compared.
 */
final class PeerResults {

    private static final JsonFactory JSON = new JsonFactory();

    private final List<Map<String, Object>> lines;

    private PeerResults(List<Map<String, Object>> lines) {
        this.lines = lines;
    }

    /**
     * Reads a file of JSON lines; lines that are not JSON objects (warnings, blank lines) are skipped.
     *
     * @param file the peer's output
     * @return the results
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no result
     */
    static PeerResults read(Path file) {
        List<Map<String, Object>> lines = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.trim().startsWith("{")) {
                    lines.add(flat(line));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--compare: cannot read " + file + " (" + e.getMessage() + ")");
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("--compare: " + file + " holds no JSON result line; give the output of "
                    + "torch_bench.py (one JSON object a line)");
        }
        return new PeerResults(lines);
    }

    /** The top-level numbers and strings of one JSON object; nested values are skipped. */
    private static Map<String, Object> flat(String line) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        try (JsonParser json = JSON.createParser(line)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return values;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.getCurrentName();
                JsonToken value = json.nextToken();
                if (value.isNumeric()) {
                    values.put(name, json.getDoubleValue());
                } else if (value == JsonToken.VALUE_STRING) {
                    values.put(name, json.getText());
                } else {
                    json.skipChildren();
                }
            }
        }
        return values;
    }

    /**
     * @param config C1, C2, C3 or G
     * @param dtype float64 or float32
     * @param n the matrix size for G, else 0
     * @return the peer's line for it, or {@code null}
     */
    Map<String, Object> find(String config, String dtype, int n) {
        Map<String, Object> found = null;
        for (Map<String, Object> line : lines) {
            boolean same = config.equalsIgnoreCase(String.valueOf(line.get("config")))
                    && dtype.equals(line.get("dtype"))
                    && (n == 0 || line.get("n") instanceof Double d && d.intValue() == n);
            if (same && (found == null || String.valueOf(line.get("variant")).toLowerCase(Locale.ROOT).contains("fused"))) {
                found = line;
            }
        }
        return found;
    }
}
