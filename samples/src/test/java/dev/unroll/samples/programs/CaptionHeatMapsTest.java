package dev.unroll.samples.programs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The caption sample writes one attention heat-map PNG per shown caption, beside the maps it prints. */
class CaptionHeatMapsTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    @Test
    void oneValidPngPerShownCaption() throws IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CaptionCommand caption = new CaptionCommand();
        caption.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(caption).execute("--quiet", "--out", dir.toString(), "--iterations", "2", "--show", "3");
        String output = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, output);
        assertEquals(List.of(dir.resolve("caption-attention-0.png"), dir.resolve("caption-attention-1.png"),
                dir.resolve("caption-attention-2.png")), caption.heatMaps, output);
        try (var files = Files.list(dir)) {
            assertEquals(3, files.filter(f -> f.getFileName().toString().startsWith("caption-attention-")).count());
        }
        for (Path png : caption.heatMaps) {
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(Files.readAllBytes(png), 8), png + " is not a PNG");
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " does not decode");
            assertEquals(140 + 48 * 16, image.getWidth(), "one column per image region");
            assertTrue(image.getHeight() > 160, "one row per word");
            assertTrue(output.contains("attention heat map: " + png), output);
        }
    }
}
