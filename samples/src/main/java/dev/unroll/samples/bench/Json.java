package dev.unroll.samples.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes a flat map of numbers and strings as one line of JSON, for scripts comparing runs, with
 * Jackson (the codec of the checkpoints' headers), so every string is escaped as JSON requires.
 */
final class Json {

    private static final JsonFactory JSON = new JsonFactory();

    private Json() {
    }

    static String line(Map<String, Object> values) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (Map.Entry<String, Object> e : values.entrySet()) {
                json.writeFieldName(e.getKey());
                if (e.getValue() instanceof Integer || e.getValue() instanceof Long) {
                    json.writeNumber(((Number) e.getValue()).longValue());
                } else if (e.getValue() instanceof Number n) {
                    json.writeNumber(n.doubleValue());
                } else {
                    json.writeString(String.valueOf(e.getValue()));
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
