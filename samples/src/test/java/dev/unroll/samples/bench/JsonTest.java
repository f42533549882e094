package dev.unroll.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench's JSON lines escape what JSON requires and keep numbers as numbers. */
class JsonTest {

    @Test
    void stringsAreEscapedAndNumbersWrittenAsNumbers() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("kernels", "vector\u0001 \"x\"\n\\");
        values.put("iters", 12);
        values.put("median_ms", 0.25);
        values.put("loss", Double.NaN);
        assertEquals("{\"kernels\":\"vector\\u0001 \\\"x\\\"\\n\\\\\",\"iters\":12,\"median_ms\":0.25,\"loss\":\"NaN\"}",
                Json.line(values));
    }
}
