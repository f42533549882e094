package dev.unroll.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.DType;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.layers.Linear;
import dev.unroll.nn.optim.Adam;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A float32 model is saved as F32 and either precision loads into either, converted. */
class Float32CheckpointTest {

    @TempDir
    Path dir;

    @Test
    void aFloat32ModelIsSavedAsF32AndLoadsIntoBothPrecisions() throws Exception {
        Linear source = new Linear(3, 2, 5);
        source.to(DType.F32);
        Path file = dir.resolve("f32.safetensors");
        Checkpoint.save(file, source, new Adam(source, 0.01), Map.of("note", "float32"));
        String header = new String(Files.readAllBytes(file), 8, (int) headerLength(file), StandardCharsets.UTF_8);
        assertTrue(header.contains("\"F32\""), header);
        assertEquals(8 + headerLength(file) + 4L * (6 + 2) + optimizerBytes(file), Files.size(file),
                "parameters take four bytes an element");

        Linear narrow = new Linear(3, 2, 6);
        narrow.to(DType.F32);
        Checkpoint.load(file, narrow);
        Linear wide = new Linear(3, 2, 7);
        Checkpoint.load(file, wide);
        Parameter expected = source.namedParameters().get("weight");
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(expected.get(r, c), narrow.namedParameters().get("weight").get(r, c), 0.0);
                assertEquals(expected.get(r, c), wide.namedParameters().get("weight").get(r, c), 0.0);
            }
        }
    }

    @Test
    void aFloat64FileLoadsIntoAFloat32ModelRounded() throws Exception {
        Linear source = new Linear(3, 2, 8);
        Path file = dir.resolve("f64.safetensors");
        Checkpoint.save(file, source);
        Linear narrow = new Linear(3, 2, 9);
        narrow.to(DType.F32);
        Checkpoint.load(file, narrow);
        assertEquals(DType.F32, narrow.namedParameters().get("bias").dtype());
        assertEquals((float) source.namedParameters().get("bias").get(0, 1), narrow.namedParameters().get("bias").get(0, 1),
                0.0);
    }

    private static long headerLength(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        long n = 0;
        for (int i = 7; i >= 0; i--) {
            n = (n << 8) | (bytes[i] & 0xff);
        }
        return n;
    }

    /** Bytes of the optimizer's (double) state buffers: two per parameter element for Adam. */
    private static long optimizerBytes(Path file) {
        return 8L * 2 * (6 + 2);
    }
}
