package dev.unroll.nn.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of
 * JSON header mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin,
 * end]}} (offsets relative to the end of the header) plus an optional {@code "__metadata__"}
 * map of strings, then the raw little-endian data. Unroll writes F64 and reads F64 and F32.
 *
 * <p>Reading validates everything and refuses, naming the tensor, a truncated file, a header
 * that is not JSON or whose offsets leave the file, overlap or leave gaps, and an unknown dtype.
 * Writing is atomic (temporary file, then rename).
 */
public final class SafeTensors {

    /** The header key of the string-to-string metadata map. */
    public static final String METADATA_KEY = "__metadata__";

    private SafeTensors() {
    }

    /**
     * The content of a safetensors file.
     *
     * @param tensors the tensors by name, in header order
     * @param metadata the {@code __metadata__} map (empty if absent)
     */
    public record Contents(Map<String, StoredTensor> tensors, Map<String, String> metadata) {
    }

    /**
     * Writes tensors as F64, atomically: a crash leaves either the previous file or the new one.
     *
     * @param file the target file
     * @param tensors the tensors by name, in the order to store them
     * @param metadata strings stored under {@code __metadata__}
     * @throws IOException if the file cannot be written (the previous content is then kept)
     */
    public static void write(Path file, Map<String, StoredTensor> tensors, Map<String, String> metadata)
            throws IOException {
        AtomicFile.write(file, out -> writeTo(out, tensors, metadata));
    }

    static void writeTo(OutputStream out, Map<String, StoredTensor> tensors, Map<String, String> metadata)
            throws IOException {
        StringBuilder header = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            header.append(Json.quote(METADATA_KEY)).append(":{");
            int k = 0;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                header.append(k++ == 0 ? "" : ",").append(Json.quote(e.getKey())).append(':')
                        .append(Json.quote(e.getValue()));
            }
            header.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, StoredTensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("SafeTensors: '" + METADATA_KEY + "' is reserved for metadata");
            }
            StoredTensor t = e.getValue();
            long end = offset + 8L * t.values().length;
            header.append(header.length() == 1 ? "" : ",").append(Json.quote(e.getKey()))
                    .append(":{\"dtype\":\"F64\",\"shape\":[");
            for (int d = 0; d < t.shape().length; d++) {
                header.append(d == 0 ? "" : ",").append(t.shape()[d]);
            }
            header.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        header.append('}');
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.write(length.array());
        out.write(json);
        out.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
        ByteBuffer chunk = ByteBuffer.allocate(8 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (StoredTensor t : tensors.values()) {
            for (double v : t.values()) {
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                chunk.putDouble(v);
            }
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    /**
     * Reads and validates a whole file.
     *
     * @param file the file
     * @return its tensors (converted to doubles) and metadata
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not valid safetensors, naming the problem
     */
    public static Contents read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    static Contents parse(byte[] bytes, String source) {
        if (bytes.length < 8) {
            throw invalid(source, "truncated: " + bytes.length + " bytes, fewer than the 8-byte header length");
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > bytes.length - 8) {
            throw invalid(source, "truncated or corrupt: the header length is " + headerLength + " bytes but "
                    + (bytes.length - 8) + " bytes follow");
        }
        String json = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        Object root;
        try {
            root = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw invalid(source, e.getMessage());
        }
        if (!(root instanceof Map<?, ?> header)) {
            throw invalid(source, "the header is not a JSON object");
        }
        int dataStart = 8 + (int) headerLength;
        long dataLength = bytes.length - (long) dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Slot> slots = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                readMetadata(source, e.getValue(), metadata);
            } else {
                slots.add(slot(source, name, e.getValue(), dataLength));
            }
        }
        checkContiguous(source, slots, dataLength);
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        for (Slot s : slots) {
            tensors.put(s.name, new StoredTensor(s.shape, s.decode(bytes, dataStart)));
        }
        return new Contents(tensors, metadata);
    }

    private static void readMetadata(String source, Object value, Map<String, String> metadata) {
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid(source, "__metadata__ is not an object of strings");
        }
        for (Map.Entry<?, ?> m : map.entrySet()) {
            if (!(m.getValue() instanceof String s)) {
                throw invalid(source, "__metadata__ entry '" + m.getKey() + "' is not a string");
            }
            metadata.put((String) m.getKey(), s);
        }
    }

    /** Where one tensor's bytes are and how to decode them. */
    private record Slot(String name, String dtype, long[] shape, long begin, long end) {

        double[] decode(byte[] bytes, int dataStart) {
            int count = (int) ((end - begin) / (dtype.equals("F64") ? 8 : 4));
            ByteBuffer in = ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) (end - begin))
                    .order(ByteOrder.LITTLE_ENDIAN);
            double[] values = new double[count];
            for (int i = 0; i < count; i++) {
                values[i] = dtype.equals("F64") ? in.getDouble() : in.getFloat();
            }
            return values;
        }
    }

    private static Slot slot(String source, String name, Object value, long dataLength) {
        if (!(value instanceof Map<?, ?> info)) {
            throw invalid(source, "tensor '" + name + "': its header entry is not an object");
        }
        if (!(info.get("dtype") instanceof String dtype)) {
            throw invalid(source, "tensor '" + name + "': missing dtype");
        }
        if (!dtype.equals("F64") && !dtype.equals("F32")) {
            throw invalid(source, "tensor '" + name + "': unknown dtype '" + dtype
                    + "'; Unroll reads F64 and F32 (convert the tensor before saving)");
        }
        long[] shape = longs(source, name, "shape", info.get("shape"), -1);
        long[] offsets = longs(source, name, "data_offsets", info.get("data_offsets"), 2);
        long count = 1;
        for (long d : shape) {
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw invalid(source, "tensor '" + name + "': bad dimension " + d);
            }
            count *= d;
        }
        long width = dtype.equals("F64") ? 8 : 4;
        if (offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength) {
            throw invalid(source, "tensor '" + name + "': data_offsets [" + offsets[0] + ", " + offsets[1]
                    + "] point outside the " + dataLength + " data bytes (is the file truncated?)");
        }
        if (offsets[1] - offsets[0] != count * width) {
            throw invalid(source, "tensor '" + name + "': shape needs " + count * width + " bytes of " + dtype
                    + " but data_offsets span " + (offsets[1] - offsets[0]));
        }
        return new Slot(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] longs(String source, String name, String field, Object value, int length) {
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
            throw invalid(source, "tensor '" + name + "': " + field + " is not "
                    + (length >= 0 ? "a list of " + length + " integers" : "a list of integers"));
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l)) {
                throw invalid(source, "tensor '" + name + "': " + field + " holds a non-integer");
            }
            out[i] = l;
        }
        return out;
    }

    private static void checkContiguous(String source, List<Slot> slots, long dataLength) {
        List<Slot> sorted = new ArrayList<>(slots);
        sorted.sort(Comparator.comparingLong(Slot::begin).thenComparingLong(Slot::end));
        long expected = 0;
        for (Slot s : sorted) {
            if (s.begin != expected) {
                throw invalid(source, "tensor '" + s.name + "': data starts at byte " + s.begin + " but the previous "
                        + "tensor ends at " + expected + " (tensors overlap or leave a gap)");
            }
            expected = s.end;
        }
        if (expected != dataLength) {
            throw invalid(source, "the tensors cover " + expected + " data bytes but the file has " + dataLength
                    + " (trailing bytes or truncation)");
        }
    }

    private static IllegalArgumentException invalid(String source, String problem) {
        return new IllegalArgumentException("not a valid safetensors file (" + source + "): " + problem);
    }
}
