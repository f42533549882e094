package dev.unroll.nn.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates a safetensors header, strictly: UTF-8 without a malformed byte, JSON
 * without leading zeros, duplicate keys or trailing text (Jackson's streaming parser), at most
 * {@value SafeTensors#MAX_ENTRIES} entries, integers that fit in a long, shapes whose element and
 * byte counts do not overflow, and tensors that tile the data exactly.
 */
final class HeaderParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).maxNumberLength(40).build())
            .build();
    private static final int MAX_RANK = 64;

    private final String source;
    private final long dataLength;
    private int entries;

    private HeaderParser(String source, long dataLength) {
        this.source = source;
        this.dataLength = dataLength;
    }

    /**
     * @param header the header's bytes
     * @param source the file, for messages
     * @param dataLength how many data bytes follow the header
     * @return the tensors in header order, and the metadata
     * @throws IllegalArgumentException naming the first problem
     */
    static SafeTensorsFile.Header parse(byte[] header, String source, long dataLength) {
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw SafeTensors.invalid(source, "the header is not valid UTF-8 (" + e.getMessage() + ")");
        }
        HeaderParser parser = new HeaderParser(source, dataLength);
        try (JsonParser p = JSON.createParser(json)) {
            return parser.root(p);
        } catch (JsonProcessingException e) {
            throw SafeTensors.invalid(source, "the header is not valid JSON: " + Printable.of(e.getOriginalMessage())
                    + " at character " + e.getLocation().getCharOffset());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SafeTensorsFile.Header root(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw SafeTensors.invalid(source, "the header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorEntry> tensors = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            count();
            p.nextToken();
            if (name.equals(SafeTensors.METADATA_KEY)) {
                metadata(p, metadata);
            } else {
                tensors.add(tensor(p, name));
            }
        }
        if (p.nextToken() != null) {
            throw SafeTensors.invalid(source, "the header has text after its JSON object");
        }
        checkContiguous(tensors);
        return new SafeTensorsFile.Header(List.copyOf(tensors), metadata);
    }

    private void count() {
        if (++entries > SafeTensors.MAX_ENTRIES) {
            throw SafeTensors.invalid(source, "the header has more than " + SafeTensors.MAX_ENTRIES
                    + " entries, the most Unroll reads");
        }
    }

    private void metadata(JsonParser p, Map<String, String> metadata) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw SafeTensors.invalid(source, SafeTensors.METADATA_KEY + " is not an object of strings");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            count();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw SafeTensors.invalid(source, SafeTensors.METADATA_KEY + " entry '" + Printable.of(key)
                        + "' is not a string");
            }
            metadata.put(key, p.getText());
        }
    }

    private TensorEntry tensor(JsonParser p, String name) throws IOException {
        String shown = "tensor '" + Printable.of(name) + "': ";
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw SafeTensors.invalid(source, shown + "its header entry is not an object");
        }
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (p.currentToken() != JsonToken.VALUE_STRING) {
                        throw SafeTensors.invalid(source, shown + "dtype is not a string");
                    }
                    dtype = p.getText();
                }
                case "shape" -> shape = integers(p, shown + "shape", MAX_RANK);
                case "data_offsets" -> offsets = integers(p, shown + "data_offsets", 2);
                default -> throw SafeTensors.invalid(source, shown + "unknown field '" + Printable.of(field)
                        + "' (a tensor has dtype, shape and data_offsets)");
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw SafeTensors.invalid(source, shown + "missing " + (dtype == null ? "dtype" : shape == null ? "shape"
                    : "data_offsets"));
        }
        if (!dtype.equals("F64") && !dtype.equals("F32")) {
            throw SafeTensors.invalid(source, shown + "unknown dtype '" + Printable.of(dtype)
                    + "'; Unroll reads F64 and F32 (convert the tensor before saving)");
        }
        if (offsets.length != 2) {
            throw SafeTensors.invalid(source, shown + "data_offsets is not a list of 2 integers");
        }
        long bytes = bytes(shown, shape, dtype.equals("F64") ? 8 : 4);
        if (offsets[1] < offsets[0] || offsets[1] > dataLength) {
            throw SafeTensors.invalid(source, shown + "data_offsets [" + offsets[0] + ", " + offsets[1]
                    + "] point outside the " + dataLength + " data bytes (is the file truncated?)");
        }
        if (offsets[1] - offsets[0] != bytes) {
            throw SafeTensors.invalid(source, shown + "shape " + Arrays.toString(shape) + " needs " + bytes
                    + " bytes of " + dtype + " but data_offsets span " + (offsets[1] - offsets[0]));
        }
        return new TensorEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    /** The byte count of a shape, refusing one whose element or byte count exceeds a long. */
    private long bytes(String shown, long[] shape, int width) {
        try {
            long count = 1;
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            return Math.multiplyExact(count, (long) width);
        } catch (ArithmeticException e) {
            throw SafeTensors.invalid(source, shown + "shape " + Arrays.toString(shape)
                    + " holds more bytes than a file can (the product of its dimensions overflows)");
        }
    }

    /** A JSON list of at most {@code most} non-negative integers, each within a long. */
    private long[] integers(JsonParser p, String what, int most) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw SafeTensors.invalid(source, what + " is not a list of integers");
        }
        List<Long> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw SafeTensors.invalid(source, what + " holds a non-integer");
            }
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw SafeTensors.invalid(source, what + " holds " + p.getText() + ", beyond 2^63");
            }
            long v = p.getLongValue();
            if (v < 0) {
                throw SafeTensors.invalid(source, what + " holds the negative " + v);
            }
            if (values.size() == most) {
                throw SafeTensors.invalid(source, what + " has more than " + most + " entries");
            }
            values.add(v);
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private void checkContiguous(List<TensorEntry> tensors) {
        List<TensorEntry> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long expected = 0;
        for (TensorEntry t : sorted) {
            if (t.begin() != expected) {
                throw SafeTensors.invalid(source, "tensor '" + Printable.of(t.name()) + "': data starts at byte "
                        + t.begin() + " but the previous tensor ends at " + expected
                        + " (tensors overlap or leave a gap)");
            }
            expected = t.end();
        }
        if (expected != dataLength) {
            throw SafeTensors.invalid(source, "the tensors cover " + expected + " data bytes but the file has "
                    + dataLength + " (trailing bytes or truncation)");
        }
    }
}
