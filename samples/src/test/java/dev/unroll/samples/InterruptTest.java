package dev.unroll.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.train.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C as a user presses it: the program runs on a pseudo-terminal (util-linux's {@code script})
 * with its progress bar drawing, and a Ctrl-C byte typed into the terminal makes the line
 * discipline send it a real SIGINT. Training must stop at an iteration boundary and save. (The
 * progress bar library's terminal used to take over SIGINT, and the JVM died without saving.)
 */
class InterruptTest {

    private static final Path SCRIPT = Path.of("/usr/bin/script");
    /*
     * A build started in the background of a non-interactive shell (nohup ... &, some CI runners)
     * inherits SIGINT ignored, the JVM then installs no handler for it, and Ctrl-C does nothing:
     * coreutils' env restores the default disposition before the program starts.
     */
    private static final String DEFAULT_SIGINT = "/usr/bin/env --default-signal=INT ";

    @TempDir
    Path dir;

    @Test
    void ctrlCOnATerminalWithTheProgressBarDrawingSavesACheckpoint() throws Exception {
        assumeTrue(Files.isExecutable(SCRIPT), "needs util-linux's script to run the program on a pseudo-terminal");
        assumeTrue(new ProcessBuilder((DEFAULT_SIGINT + "true").split(" ")).start().waitFor() == 0,
                "needs coreutils' env --default-signal (8.31 or later)");
        List<String> java = ChildJvm.command(List.of(), "hello", "--iterations", "100000000", "--out", dir.toString());
        String command = DEFAULT_SIGINT + java.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        Process process = new ProcessBuilder(SCRIPT.toString(), "-q", "-e", "-c", command, "/dev/null")
                .redirectErrorStream(true).start();
        StringBuffer screen = new StringBuffer();
        Thread reader = new Thread(() -> copy(process.getInputStream(), screen), "terminal");
        reader.start();
        try (OutputStream keyboard = process.getOutputStream()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!screen.toString().contains("/100000000") && System.nanoTime() < deadline && process.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(screen.toString().contains("/100000000"), "the progress bar never drew:\n" + screen);
            Thread.sleep(500);
            keyboard.write(3);
            keyboard.flush();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the program did not end after Ctrl-C:\n" + screen);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            reader.join(5000);
        }
        assertTrue(screen.toString().contains("interrupted at iteration"), "no save was reported:\n" + screen);
        Path checkpoint = dir.resolve("hello.safetensors");
        assertTrue(Files.exists(checkpoint), "Ctrl-C saved no checkpoint:\n" + screen);
        assertTrue(Integer.parseInt(Checkpoint.metadata(checkpoint).get(Trainer.ITERATION)) > 0);
    }

    private static void copy(InputStream in, StringBuffer screen) {
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                screen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            screen.append("\n[reading the terminal failed: ").append(e).append(']');
        }
    }
}
