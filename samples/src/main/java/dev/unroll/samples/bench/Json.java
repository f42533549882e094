package dev.unroll.samples.bench;

import java.util.Map;

/** Writes a flat map of numbers and strings as one line of JSON, for scripts comparing runs. */
final class Json {

    private Json() {
    }

    static String line(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> {
            sb.append(sb.length() == 1 ? "" : ", ").append(quote(k)).append(": ");
            sb.append(v instanceof Number ? v.toString() : quote(String.valueOf(v)));
        });
        return sb.append('}').toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
