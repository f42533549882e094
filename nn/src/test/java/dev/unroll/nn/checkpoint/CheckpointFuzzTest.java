package dev.unroll.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unroll.nn.Parameter;
import dev.unroll.nn.optim.Adam;
import dev.unroll.nn.optim.OptimizerState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded fuzzer of valid checkpoints (a module with Adam state): thousands of mutations of the
 * bytes, the header's numbers and the stored values. Each load either succeeds, leaving a model
 * and optimizer whose next step stays finite, or throws the documented
 * {@link IllegalArgumentException} and leaves the module and optimizer bit for bit as they were.
 */
class CheckpointFuzzTest {

    private static final int MUTATIONS = 4000;
    private static final String[] NUMBERS = {"0", "-1", "01", "1e308", "2147483648", "99999999999999999999", "1.5",
        "-0", "4", "48", "NaN", "1e-320", "9223372036854775807"};
    private static final double[] VALUES = {Double.NaN, Double.POSITIVE_INFINITY, -1, 1e308, -0.0, 0.5, Double.MIN_VALUE};
    private static final Pattern DIGITS = Pattern.compile("-?[0-9][0-9.e+-]*");

    @TempDir
    Path dir;

    @Test
    void everyMutationIsLoadedSafelyOrRefusedWithTheDocumentedExceptionLeavingEverythingUntouched() throws IOException {
        CheckpointTest.Net source = new CheckpointTest.Net(1);
        Adam trained = new Adam(source, 0.01);
        CheckpointTest.train(source, trained, 3, 0);
        Path valid = dir.resolve("valid.safetensors");
        Checkpoint.save(valid, source, trained, Map.of("iteration", "3"));
        byte[] original = Files.readAllBytes(valid);
        int headerEnd = 8 + (int) ByteBuffer.wrap(original, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        SplittableRandom rng = new SplittableRandom(20261201);
        Path file = dir.resolve("mutated.safetensors");
        int loaded = 0;
        int refused = 0;
        for (int m = 0; m < MUTATIONS; m++) {
            byte[] mutated = mutate(original, headerEnd, rng);
            rewrite(file, mutated);
            CheckpointTest.Net net = new CheckpointTest.Net(5);
            Adam adam = new Adam(net, 0.3);
            double[][] before = net.parameters().stream().map(p -> p.data().clone()).toArray(double[][]::new);
            OptimizerState stateBefore = adam.state();
            try {
                Checkpoint.load(file, net, adam, rng.nextBoolean());
                loaded++;
                for (Parameter p : net.parameters()) {
                    Arrays.fill(p.gradBuffer().data, 1.0);
                }
                adam.step();
                for (Parameter p : net.parameters()) {
                    for (double v : p.data()) {
                        assertTrue(Double.isFinite(v), "mutation " + m + " loaded state whose next step is " + v);
                    }
                }
            } catch (IllegalArgumentException e) {
                refused++;
                for (int i = 0; i < before.length; i++) {
                    assertArrayEquals(before[i], net.parameters().get(i).data(), "mutation " + m + ": " + e.getMessage());
                }
                assertUnchanged(stateBefore, adam.state(), m);
            } catch (IOException | RuntimeException e) {
                fail("mutation " + m + " threw an undocumented " + e, e);
            }
        }
        assertTrue(loaded > MUTATIONS / 20 && refused > MUTATIONS / 2, loaded + " loaded, " + refused + " refused");
    }

    /** Overwrites the file in place: much faster than creating it anew on a journaling file system. */
    private static void rewrite(Path file, byte[] content) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(content);
            f.setLength(content.length);
        }
    }

    private static void assertUnchanged(OptimizerState before, OptimizerState after, int m) {
        assertEquals(before.step(), after.step(), "mutation " + m);
        assertEquals(before.groups(), after.groups(), "mutation " + m);
        assertEquals(before.parameterSteps(), after.parameterSteps(), "mutation " + m);
        before.buffers().forEach((k, b) -> assertArrayEquals(b.values(), after.buffers().get(k).values(), k));
    }

    private static byte[] mutate(byte[] original, int headerEnd, SplittableRandom rng) {
        byte[] b = original.clone();
        switch (rng.nextInt(6)) {
            case 0 -> b[rng.nextInt(b.length)] ^= (byte) (1 << rng.nextInt(8));
            case 1 -> b[8 + rng.nextInt(headerEnd - 8)] = (byte) rng.nextInt(256);
            case 2 -> {
                int at = headerEnd + 8 * rng.nextInt((b.length - headerEnd) / 8);
                ByteBuffer.wrap(b, at, 8).order(ByteOrder.LITTLE_ENDIAN).putDouble(VALUES[rng.nextInt(VALUES.length)]);
            }
            case 3 -> {
                return withHeader(b, headerEnd, replaceNumber(header(b, headerEnd), rng));
            }
            case 4 -> {
                return Arrays.copyOf(b, rng.nextInt(b.length));
            }
            default -> {
                String header = header(b, headerEnd);
                int at = rng.nextInt(header.length());
                String inserted = "{}[]\",:\\0-e.\u0000\u00e9\ud83d\ude00".substring(0, 1 + rng.nextInt(3));
                return withHeader(b, headerEnd, header.substring(0, at) + inserted + header.substring(at));
            }
        }
        return b;
    }

    private static String header(byte[] b, int headerEnd) {
        return new String(b, 8, headerEnd - 8, StandardCharsets.UTF_8);
    }

    /** The file with another header, its length prefix updated. */
    private static byte[] withHeader(byte[] b, int headerEnd, String header) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + b.length - headerEnd).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).put(b, headerEnd, b.length - headerEnd).array();
    }

    /** Replaces one number of the header (a shape, an offset, a step count, the learning rate) with another. */
    private static String replaceNumber(String header, SplittableRandom rng) {
        Matcher m = DIGITS.matcher(header);
        int count = 0;
        while (m.find()) {
            count++;
        }
        int target = rng.nextInt(count);
        m.reset();
        for (int i = 0; i <= target; i++) {
            m.find();
        }
        return header.substring(0, m.start()) + NUMBERS[rng.nextInt(NUMBERS.length)] + header.substring(m.end());
    }
}
