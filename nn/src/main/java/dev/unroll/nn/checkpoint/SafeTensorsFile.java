package dev.unroll.nn.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open safetensors file whose header has been read and validated (within
 * {@value SafeTensors#MAX_HEADER_BYTES} bytes and {@value SafeTensors#MAX_ENTRIES} entries, before
 * any tensor is touched); its tensors are then read on demand, any range of elements into any
 * array, through a small buffer. So a reader needs no memory for the file beyond the header, and
 * files over 2 GiB read as well as small ones.
 */
public final class SafeTensorsFile implements AutoCloseable {

    private static final int CHUNK_BYTES = 1 << 16;

    private final FileChannel channel;
    private final String source;
    private final Header header;
    private final long dataStart;
    private final ByteBuffer chunk;

    /**
     * A validated header.
     *
     * @param tensors the tensors in header order
     * @param metadata the {@code __metadata__} strings (empty if absent)
     */
    public record Header(List<TensorEntry> tensors, Map<String, String> metadata) {

        /** @return the tensors by name, in header order */
        public Map<String, TensorEntry> byName() {
            Map<String, TensorEntry> out = new LinkedHashMap<>();
            tensors.forEach(t -> out.put(t.name(), t));
            return out;
        }
    }

    private SafeTensorsFile(FileChannel channel, String source, Header header, long dataStart) {
        this.channel = channel;
        this.source = source;
        this.header = header;
        this.dataStart = dataStart;
        long largest = header.tensors().stream().mapToLong(t -> t.end() - t.begin()).max().orElse(0);
        this.chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, largest)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Opens a file and validates its header.
     *
     * @param file the file
     * @return the open file; close it
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the problem, if the header is not valid safetensors
     */
    public static SafeTensorsFile open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            String source = Printable.of(file.toString());
            long size = channel.size();
            if (size < 8) {
                throw SafeTensors.invalid(source, "truncated: " + size + " bytes, fewer than the 8-byte header length");
            }
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, length, 0);
            long headerLength = length.flip().getLong();
            if (headerLength < 2 || headerLength > size - 8) {
                throw SafeTensors.invalid(source, "truncated or corrupt: the header length is " + headerLength
                        + " bytes but " + (size - 8) + " bytes follow");
            }
            if (headerLength > SafeTensors.MAX_HEADER_BYTES) {
                throw SafeTensors.invalid(source, "the header length is " + headerLength + " bytes, more than the "
                        + SafeTensors.MAX_HEADER_BYTES + " Unroll reads");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, bytes, 8);
            Header header = HeaderParser.parse(bytes.array(), source, size - 8 - headerLength);
            return new SafeTensorsFile(channel, source, header, 8 + headerLength);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** @return the validated header */
    public Header header() {
        return header;
    }

    /**
     * Reads elements of a tensor, converted to double.
     *
     * @param tensor one of this file's tensors
     * @param first the index of the first element to read
     * @param dst where to put them
     * @param dstFrom the index in {@code dst} of the first one
     * @param count how many to read
     * @throws IOException if the file cannot be read, or has shrunk since it was opened
     */
    public void read(TensorEntry tensor, long first, double[] dst, int dstFrom, int count) throws IOException {
        if (first < 0 || count < 0 || first + count > tensor.count() || dstFrom < 0 || dstFrom + count > dst.length) {
            throw new IndexOutOfBoundsException("SafeTensorsFile.read: elements [" + first + ", " + (first + count)
                    + ") of a tensor of " + tensor.count() + " into [" + dstFrom + ", " + (dstFrom + count)
                    + ") of an array of " + dst.length);
        }
        int width = tensor.width();
        long position = dataStart + tensor.begin() + first * width;
        int done = 0;
        while (done < count) {
            int n = Math.min(count - done, chunk.capacity() / width);
            chunk.clear().limit(n * width);
            readFully(channel, chunk, position);
            chunk.flip();
            if (width == 8) {
                chunk.asDoubleBuffer().get(dst, dstFrom + done, n);
            } else {
                for (int i = 0; i < n; i++) {
                    dst[dstFrom + done + i] = chunk.getFloat(4 * i);
                }
            }
            position += (long) n * width;
            done += n;
        }
    }

    /**
     * Reads elements of a tensor, converted to float (an F64 tensor is rounded to nearest).
     *
     * @param tensor one of this file's tensors
     * @param first the index of the first element to read
     * @param dst where to put them
     * @param dstFrom the index in {@code dst} of the first one
     * @param count how many to read
     * @throws IOException if the file cannot be read, or has shrunk since it was opened
     */
    public void read(TensorEntry tensor, long first, float[] dst, int dstFrom, int count) throws IOException {
        double[] wide = new double[Math.min(count, 4096)];
        for (int done = 0; done < count; done += wide.length) {
            int n = Math.min(wide.length, count - done);
            read(tensor, first + done, wide, 0, n);
            for (int i = 0; i < n; i++) {
                dst[dstFrom + done + i] = (float) wide[i];
            }
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException("the file ended at byte " + at + " while reading; was it changed while open?");
            }
            at += n;
        }
    }

    /** @return the file's name as messages show it */
    public String source() {
        return source;
    }

    /** Closes the file. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
