package dev.unroll.nn.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of
 * JSON header mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin,
 * end]}} (offsets relative to the end of the header) plus an optional {@code "__metadata__"}
 * map of strings, then the raw little-endian data. Unroll writes F64 for a float64 model and F32
 * for a float32 one, and reads either into either (F64 into a float32 parameter is rounded).
 *
 * <p>Reading validates the header before touching any tensor, within a bound: at most
 * {@value #MAX_HEADER_BYTES} bytes of header and {@value #MAX_ENTRIES} entries (tensors plus
 * metadata). It refuses, naming the tensor, a truncated file, a header that is not strict JSON in
 * valid UTF-8 (leading zeros, duplicate keys, trailing text), integers beyond a long, a shape whose
 * size overflows, offsets that leave the file, overlap or leave gaps, and an unknown dtype; text
 * from the file appears in messages with its control characters escaped. {@link #open} then reads
 * tensors one at a time, so files of any size load; {@link #read} reads them all into memory.
 * Writing is atomic (temporary file, then rename).
 */
public final class SafeTensors {

    /** The header key of the string-to-string metadata map. */
    public static final String METADATA_KEY = "__metadata__";
    /** The largest header read, in bytes (16 MiB: about 100,000 tensors with long names). */
    public static final int MAX_HEADER_BYTES = 16 << 20;
    /** The most header entries read: tensors plus metadata strings. */
    public static final int MAX_ENTRIES = 100_000;

    private static final JsonFactory JSON = new JsonFactory();

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
     * Writes tensors as F64 (or F32, for tensors of floats), atomically: a crash leaves either the
     * previous file or the new one.
     * The tensors' arrays are read while writing, not copied.
     *
     * @param file the target file
     * @param tensors the tensors by name, in the order to store them
     * @param metadata strings stored under {@code __metadata__}
     * @throws IOException if the file cannot be written (the previous content is then kept)
     * @throws IllegalArgumentException if the header would exceed what {@link #open} reads
     */
    public static void write(Path file, Map<String, StoredTensor> tensors, Map<String, String> metadata)
            throws IOException {
        if (tensors.size() + metadata.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("SafeTensors.write: " + tensors.size() + " tensors and " + metadata.size()
                    + " metadata entries are more than the " + MAX_ENTRIES + " a reader accepts");
        }
        byte[] header = header(tensors, metadata);
        if (header.length > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("SafeTensors.write: the header would take " + header.length
                    + " bytes, more than the " + MAX_HEADER_BYTES + " a reader accepts; store less metadata");
        }
        AtomicFile.write(file, out -> writeTo(out, header, tensors));
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes as the format recommends. */
    private static byte[] header(Map<String, StoredTensor> tensors, Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            if (!metadata.isEmpty()) {
                json.writeObjectFieldStart(METADATA_KEY);
                // in key order: the same metadata gives the same bytes whatever map the caller built
                // (Map.of iterates in an order that changes from JVM to JVM)
                for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
                    json.writeStringField(e.getKey(), e.getValue());
                }
                json.writeEndObject();
            }
            long offset = 0;
            for (Map.Entry<String, StoredTensor> e : tensors.entrySet()) {
                if (e.getKey().equals(METADATA_KEY)) {
                    throw new IllegalArgumentException("SafeTensors: '" + METADATA_KEY + "' is reserved for metadata");
                }
                long[] shape = e.getValue().shape();
                StoredTensor t = e.getValue();
                long end = offset + (t.isFloat32() ? 4L : 8L) * t.count();
                json.writeObjectFieldStart(e.getKey());
                json.writeStringField("dtype", t.isFloat32() ? "F32" : "F64");
                json.writeFieldName("shape");
                json.writeArray(shape, 0, shape.length);
                json.writeFieldName("data_offsets");
                json.writeArray(new long[] {offset, end}, 0, 2);
                json.writeEndObject();
                offset = end;
            }
            json.writeEndObject();
        }
        int padding = (8 - bytes.size() % 8) % 8;
        bytes.write(" ".repeat(padding).getBytes(StandardCharsets.US_ASCII));
        return bytes.toByteArray();
    }

    private static void writeTo(OutputStream out, byte[] header, Map<String, StoredTensor> tensors) throws IOException {
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        ByteBuffer chunk = ByteBuffer.allocate(8 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (StoredTensor t : tensors.values()) {
            for (int i = 0; i < t.count(); i += 4096) {
                int n = Math.min(4096, t.count() - i);
                chunk.clear();
                if (t.isFloat32()) {
                    chunk.asFloatBuffer().put(t.floats(), i, n);
                    out.write(chunk.array(), 0, 4 * n);
                } else {
                    chunk.asDoubleBuffer().put(t.values(), i, n);
                    out.write(chunk.array(), 0, 8 * n);
                }
            }
        }
    }

    /**
     * Opens a file for reading tensors one at a time, after validating its header.
     *
     * @param file the file
     * @return the open file; close it
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the header is not valid safetensors, naming the problem
     */
    public static SafeTensorsFile open(Path file) throws IOException {
        return SafeTensorsFile.open(file);
    }

    /**
     * Reads and validates a whole file into memory.
     *
     * @param file the file
     * @return its tensors (converted to doubles) and metadata
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not valid safetensors, naming the problem, or
     *     holds a tensor too large for one Java array
     */
    public static Contents read(Path file) throws IOException {
        try (SafeTensorsFile in = open(file)) {
            Map<String, StoredTensor> tensors = new LinkedHashMap<>();
            for (TensorEntry t : in.header().tensors()) {
                if (t.count() > Integer.MAX_VALUE - 8) {
                    throw invalid(in.source(), "tensor '" + Printable.of(t.name()) + "' holds " + t.count()
                            + " elements, more than one array can; read it in parts with SafeTensors.open");
                }
                double[] values = new double[(int) t.count()];
                in.read(t, 0, values, 0, values.length);
                tensors.put(t.name(), new StoredTensor(t.shape(), values));
            }
            return new Contents(tensors, in.header().metadata());
        }
    }

    static IllegalArgumentException invalid(String source, String problem) {
        return new IllegalArgumentException("not a valid safetensors file (" + source + "): " + problem);
    }
}
