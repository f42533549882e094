package dev.unroll.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.layers.Embedding;
import dev.unroll.nn.layers.Linear;
import dev.unroll.nn.optim.Adam;
import dev.unroll.nn.optim.Sgd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path dir;

    static final class Net extends Module {
        final Embedding embedding;
        final Linear head;

        Net(long seed) {
            embedding = registerModule("embedding", new Embedding(6, 4, seed));
            head = registerModule("head", new Linear(4, 6, seed + 1));
        }

        Tensor loss(int[] ids, int[] targets) {
            return LossOps.softmaxCrossEntropy(head.forward(embedding.forward(ids)), targets);
        }
    }

    private static void train(Net net, Adam adam, int steps, int offset) {
        for (int s = 0; s < steps; s++) {
            int k = (s + offset) % 6;
            net.zeroGrad();
            try (Tape tape = Tape.record()) {
                tape.backward(net.loss(new int[] {k, (k + 1) % 6}, new int[] {(k + 2) % 6, k}));
            }
            adam.step();
        }
    }

    @Test
    void aRoundTripIsBitExactAndKeepsMetadata() throws IOException {
        Net a = new Net(1);
        a.head.weight().data()[0] = Double.MIN_VALUE;
        Path file = dir.resolve("net.safetensors");
        Checkpoint.save(file, a, null, Map.of("iteration", "42", "vocabulary", "abc\n\"q\""));
        Net b = new Net(2);
        Map<String, String> meta = Checkpoint.load(file, b);
        assertEquals(Map.of("iteration", "42", "vocabulary", "abc\n\"q\""), meta);
        for (String name : a.namedParameters().keySet()) {
            assertArrayEquals(a.namedParameters().get(name).data(), b.namedParameters().get(name).data(), name);
        }
        SafeTensors.Contents raw = SafeTensors.read(file);
        assertArrayEquals(new long[] {6}, raw.tensors().get("head.bias").shape());
        assertArrayEquals(new long[] {6, 4}, raw.tensors().get("head.weight").shape());
    }

    @Test
    void resumingFromACheckpointContinuesExactlyAsUninterruptedTraining() throws IOException {
        Net straight = new Net(3);
        Adam straightAdam = new Adam(straight, 0.01);
        train(straight, straightAdam, 10, 0);

        Net first = new Net(3);
        Adam firstAdam = new Adam(first, 0.01);
        train(first, firstAdam, 4, 0);
        Path file = dir.resolve("resume.safetensors");
        Checkpoint.save(file, first, firstAdam, Map.of("step", "4"));
        Net resumed = new Net(99);
        Adam resumedAdam = new Adam(resumed, 0.5);
        Checkpoint.load(file, resumed, resumedAdam, true);
        assertEquals(4, resumedAdam.stepCount());
        train(resumed, resumedAdam, 6, 4);

        for (String name : straight.namedParameters().keySet()) {
            assertArrayEquals(straight.namedParameters().get(name).data(), resumed.namedParameters().get(name).data(), name);
        }
    }

    /** Builds a safetensors file byte by byte from the format's specification. */
    private static byte[] handBuilt(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json).put(data);
        return buf.array();
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static byte[] doubles(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    @Test
    void aFileBuiltByHandFromTheSpecificationLoadsIncludingF32() throws IOException {
        Linear layer = new Linear(2, 3, 1);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(floats(1.5f, -2f, 3f));
        data.writeBytes(doubles(1, 2, 3, 4, 5, 6));
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"weight\":{\"dtype\":\"F64\",\"shape\":[3,2],\"data_offsets\":[12,60]}}    ";
        Path file = dir.resolve("hand.safetensors");
        Files.write(file, handBuilt(header, data.toByteArray()));
        assertEquals(Map.of("format", "pt"), Checkpoint.load(file, layer));
        assertArrayEquals(new double[] {1.5, -2, 3}, layer.bias().data());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, layer.weight().data());
    }

    private void assertRefusedAndUntouched(byte[] file, String expectedMessagePart) throws IOException {
        Path path = dir.resolve("bad.safetensors");
        Files.write(path, file);
        Linear layer = new Linear(2, 3, 7);
        double[] before = layer.weight().data().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(path, layer));
        assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
        assertArrayEquals(before, layer.weight().data());
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    @Test
    void malformedFilesAreRefusedWithTheProblemAndLeaveParametersUntouched() throws IOException {
        byte[] six = doubles(1, 2, 3, 4, 5, 6);
        byte[] nine = doubles(1, 2, 3, 4, 5, 6, 7, 8, 9);
        String weight = entry("weight", "F64", "[3,2]", 0, 48);
        String bias = entry("bias", "F64", "[3]", 48, 72);
        assertRefusedAndUntouched(handBuilt("{" + weight + "}", six), "has no tensor 'bias'");
        assertRefusedAndUntouched(handBuilt("{" + weight + "," + bias + "," + entry("extra", "F64", "[0]", 72, 72) + "}",
                nine), "has a tensor 'extra' that the module does not have");
        assertRefusedAndUntouched(handBuilt("{" + entry("weight", "F64", "[2,3]", 0, 48) + "," + bias + "}", nine),
                "tensor 'weight' has shape [2, 3] but the module's parameter is 3x2");
        assertRefusedAndUntouched(handBuilt("{" + weight + "," + entry("bias", "BF16", "[3]", 48, 54) + "}",
                doubles(1, 2, 3, 4, 5, 6, 7)), "tensor 'bias': unknown dtype 'BF16'");
        assertRefusedAndUntouched(handBuilt("{" + weight + "," + entry("bias", "F64", "[3]", 48, 80) + "}", nine),
                "tensor 'bias': data_offsets [48, 80] point outside the 72 data bytes");
        assertRefusedAndUntouched(handBuilt("{" + weight + "," + entry("bias", "F64", "[3]", 40, 64) + "}", nine),
                "tensors overlap or leave a gap");
        assertRefusedAndUntouched(handBuilt("{\"weight\": [1, 2", nine), "the header is not valid JSON");
        byte[] full = handBuilt("{" + weight + "," + bias + "}", nine);
        assertRefusedAndUntouched(java.util.Arrays.copyOf(full, full.length - 5), "(is the file truncated?)");
        assertRefusedAndUntouched(java.util.Arrays.copyOf(full, full.length + 3), "(trailing bytes or truncation)");
        assertRefusedAndUntouched(java.util.Arrays.copyOf(full, 20), "truncated or corrupt: the header length is");
        assertRefusedAndUntouched(new byte[] {1, 2, 3}, "truncated: 3 bytes");
    }

    @Test
    void nonStrictLoadingSkipsMissingAndUnexpectedKeys() throws IOException {
        Path file = dir.resolve("partial.safetensors");
        SafeTensors.write(file, Map.of("weight", new StoredTensor(new long[] {3, 2}, new double[] {1, 2, 3, 4, 5, 6}),
                "other", new StoredTensor(new long[] {1}, new double[] {9})), Map.of());
        Linear layer = new Linear(2, 3, 1);
        double[] bias = layer.bias().data().clone();
        Checkpoint.load(file, layer, null, false);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, layer.weight().data());
        assertArrayEquals(bias, layer.bias().data());
    }

    @Test
    void optimizerStateOfAnotherTypeOrMissingIsRefusedBeforeAnythingChanges() throws IOException {
        Net net = new Net(1);
        Path plain = dir.resolve("plain.safetensors");
        Checkpoint.save(plain, net);
        Net other = new Net(5);
        double[] before = other.head.weight().data().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(plain, other, new Adam(other, 0.1), true));
        assertTrue(e.getMessage().contains("holds no optimizer state"), e.getMessage());
        Path withAdam = dir.resolve("adam.safetensors");
        Checkpoint.save(withAdam, net, new Adam(net, 0.1), Map.of());
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(withAdam, other, new Sgd(other, 0.1), true));
        assertTrue(e.getMessage().contains("holds Adam state but the optimizer is Sgd"), e.getMessage());
        assertArrayEquals(before, other.head.weight().data());
        assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(plain, net, null, Map.of("optimizer.x", "1")));
    }

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousFileIntactAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("keep.safetensors");
        Checkpoint.save(file, new Net(1));
        byte[] good = Files.readAllBytes(file);
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(file, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertArrayEquals(good, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }
}
