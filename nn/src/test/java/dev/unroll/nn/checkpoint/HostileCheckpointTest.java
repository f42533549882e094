package dev.unroll.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.layers.Linear;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files made to hurt: the header is bounded and strictly parsed, nothing from the file reaches a
 * message unescaped, shapes cannot overflow, non-finite values are refused unless asked for,
 * files over 2 GiB load through a small buffer, and a load reports what it skipped.
 */
class HostileCheckpointTest {

    @TempDir
    Path dir;

    private static final String WEIGHT = "\"weight\":{\"dtype\":\"F64\",\"shape\":[3,2],\"data_offsets\":[0,48]}";
    private static final String BIAS = "\"bias\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[48,72]}";

    private static byte[] file(byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }

    private static byte[] file(String header, int doubles) {
        return file(header.getBytes(StandardCharsets.UTF_8), new byte[8 * doubles]);
    }

    private String refused(byte[] bytes) throws IOException {
        Path path = dir.resolve("hostile.safetensors");
        Files.write(path, bytes);
        Linear layer = new Linear(2, 3, 7);
        double[] weight = layer.weight().data().clone();
        double[] bias = layer.bias().data().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(path, layer));
        assertArrayEquals(weight, layer.weight().data());
        assertArrayEquals(bias, layer.bias().data());
        for (char c : e.getMessage().toCharArray()) {
            assertFalse(Character.isISOControl(c), "a raw control character in: " + e.getMessage());
        }
        return e.getMessage();
    }

    @Test
    void invalidUtf8IsRefusedNotReplaced() throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(("{" + WEIGHT + ",\"bi").getBytes(StandardCharsets.UTF_8));
        header.write(0xff);
        header.writeBytes(("s\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[48,72]}}").getBytes(StandardCharsets.UTF_8));
        assertTrue(refused(file(header.toByteArray(), new byte[72])).contains("the header is not valid UTF-8"));
    }

    @Test
    void numbersWithLeadingZerosOrBeyondALongAreRefused() throws IOException {
        String leading = refused(file("{" + WEIGHT + ",\"bias\":{\"dtype\":\"F64\",\"shape\":[03],\"data_offsets\":[48,72]}}", 9));
        assertTrue(leading.contains("not valid JSON") && leading.contains("Leading zeroes"), leading);
        String huge = refused(file("{" + WEIGHT + ",\"bias\":{\"dtype\":\"F64\",\"shape\":[99999999999999999999],"
                + "\"data_offsets\":[48,72]}}", 9));
        assertTrue(huge.contains("shape holds 99999999999999999999, beyond 2^63"), huge);
        String negative = refused(file("{" + WEIGHT + ",\"bias\":{\"dtype\":\"F64\",\"shape\":[-3],"
                + "\"data_offsets\":[48,72]}}", 9));
        assertTrue(negative.contains("shape holds the negative -3"), negative);
    }

    @Test
    void aShapeWhoseSizeOverflowsIsRefusedInsteadOfWrappingAround() throws IOException {
        String message = refused(file("{" + WEIGHT + ",\"bias\":{\"dtype\":\"F64\",\"shape\":[320,107367629,536903681],"
                + "\"data_offsets\":[48,72]}}", 9));
        assertTrue(message.contains("tensor 'bias': shape [320, 107367629, 536903681] holds more bytes than a file can"),
                message);
    }

    @Test
    void controlCharactersFromTheFileAreEscapedInMessages() throws IOException {
        String message = refused(file("{\"we\\u001b[2Jight\\n\":{\"dtype\":\"F\\u0007X\",\"shape\":[3,2],"
                + "\"data_offsets\":[0,48]}}", 6));
        assertTrue(message.contains("tensor 'we\\u001b[2Jight\\u000a': unknown dtype 'F\\u0007X'"), message);
        String json = refused(file("{\"weight\u0001\":{}}", 0));
        assertTrue(json.contains("not valid JSON"), json);
    }

    @Test
    void theHeaderIsBoundedInBytesAndEntriesBeforeItIsParsed() throws IOException {
        byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array();
        assertTrue(refused(huge).contains("truncated or corrupt: the header length is 1099511627776 bytes"));
        Path big = dir.resolve("big.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(SafeTensors.MAX_HEADER_BYTES + 1L).array());
            f.setLength(8 + SafeTensors.MAX_HEADER_BYTES + 1L);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.metadata(big));
        assertTrue(e.getMessage().contains("more than the " + SafeTensors.MAX_HEADER_BYTES + " Unroll reads"), e.getMessage());
        StringBuilder many = new StringBuilder("{\"__metadata__\":{");
        for (int i = 0; i <= SafeTensors.MAX_ENTRIES; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"\"");
        }
        String message = refused(file(many.append("}}").toString(), 0));
        assertTrue(message.contains("more than " + SafeTensors.MAX_ENTRIES + " entries"), message);
    }

    @Test
    void nonFiniteParametersAreRefusedUnlessAskedFor() throws IOException {
        Path file = dir.resolve("nan.safetensors");
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        tensors.put("weight", new StoredTensor(new long[] {3, 2}, new double[] {1, 2, 3, Double.NaN, 5, 6}));
        tensors.put("bias", new StoredTensor(new long[] {3}, new double[] {0, Double.NEGATIVE_INFINITY, 0}));
        SafeTensors.write(file, tensors, Map.of());
        String message = refused(Files.readAllBytes(file));
        assertTrue(message.contains("tensor 'weight' holds NaN at index 3"), message);
        Linear layer = new Linear(2, 3, 7);
        Checkpoint.load(file, layer, null, LoadOptions.strict().allowingNonFinite());
        assertTrue(Double.isNaN(layer.weight().data()[3]));
        assertEquals(Double.NEGATIVE_INFINITY, layer.bias().data()[1]);
    }

    @Test
    void strictLoadingMayAcceptAFileHoldingMoreThanTheModuleAndSaysWhat() throws IOException {
        Path file = dir.resolve("more.safetensors");
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        tensors.put("weight", new StoredTensor(new long[] {3, 2}, new double[] {1, 2, 3, 4, 5, 6}));
        tensors.put("bias", new StoredTensor(new long[] {3}, new double[] {7, 8, 9}));
        tensors.put("decoder.weight", new StoredTensor(new long[] {1}, new double[] {1}));
        SafeTensors.write(file, tensors, Map.of("note", "x"));
        assertTrue(refused(Files.readAllBytes(file)).contains("has a tensor 'decoder.weight' that the module does not have"));
        Linear layer = new Linear(2, 3, 7);
        LoadResult result = Checkpoint.load(file, layer, null, LoadOptions.strict().allowingUnexpected());
        assertEquals(List.of(), result.missingKeys());
        assertEquals(List.of("decoder.weight"), result.unexpectedKeys());
        assertEquals(Map.of("note", "x"), result.metadata());
        assertArrayEquals(new double[] {7, 8, 9}, layer.bias().data());
    }

    @Test
    void aFileOverTwoGibibytesLoadsThroughASmallBufferEvenIn32MegabytesOfHeap() throws Exception {
        long skipped = (1L << 28) + 1;
        String header = "{\"skipped\":{\"dtype\":\"F64\",\"shape\":[" + skipped + "],\"data_offsets\":[0," + 8 * skipped
                + "]},\"weight\":{\"dtype\":\"F64\",\"shape\":[3,2],\"data_offsets\":[" + 8 * skipped + "," + (8 * skipped + 48)
                + "]},\"bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[" + (8 * skipped + 48) + ","
                + (8 * skipped + 60) + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("large.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            f.write(json);
            f.seek(8 + json.length + 8 * skipped);
            ByteBuffer tail = ByteBuffer.allocate(60).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 1; i <= 6; i++) {
                tail.putDouble(i);
            }
            tail.putFloat(7).putFloat(8).putFloat(9);
            f.write(tail.array());
        }
        assertTrue(Files.size(file) > (2L << 30));
        Linear layer = new Linear(2, 3, 7);
        LoadResult result = Checkpoint.load(file, layer, null, LoadOptions.strict().allowingUnexpected());
        assertEquals(List.of("skipped"), result.unexpectedKeys());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, layer.weight().data());
        assertArrayEquals(new double[] {7, 8, 9}, layer.bias().data());

        // in a JVM whose whole heap is 1/64 of the file
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                LoadInSmallHeap.class.getName(), file.toString()).redirectErrorStream(true).start();
        String printed = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), printed);
        assertEquals("[1.0, 2.0, 3.0, 4.0, 5.0, 6.0][7.0, 8.0, 9.0]", printed.strip());
        Files.delete(file);
    }

    @Test
    void theNextSaveDeletesTheTemporaryFilesOfKilledSaves() throws IOException {
        Path file = dir.resolve("run.safetensors");
        Path leftover = Files.writeString(dir.resolve(".run.safetensors.8123456789.tmp"), "half a checkpoint");
        Path otherFiles = Files.writeString(dir.resolve(".other.safetensors.8123456789.tmp"), "another file's");
        Path notOurs = Files.writeString(dir.resolve(".run.safetensors.notes.tmp"), "a user's file");
        Checkpoint.save(file, new Linear(2, 3, 1));
        assertFalse(Files.exists(leftover), "the leftover of a killed save of this file should be gone");
        assertTrue(Files.exists(otherFiles) && Files.exists(notOurs), "other files are kept");
        assertEquals(List.of(), Checkpoint.load(file, new Linear(2, 3, 2)).missingKeys());
        assertTrue(refused(file("{" + WEIGHT + "," + BIAS + "} x", 9)).contains("not valid JSON"));
    }
}
