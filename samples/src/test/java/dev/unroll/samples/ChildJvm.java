package dev.unroll.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The samples program in a JVM of its own, started with the tests' class path and the Vector API module. */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * @param jvmOptions options for the child JVM (e.g. {@code -Xint})
     * @param args the program's command line
     * @return {@code java ... dev.unroll.samples.Main args}
     */
    public static List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules=jdk.incubator.vector");
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs the program to its end.
     *
     * @param log where its output goes
     * @param jvmOptions options for the child JVM
     * @param args the program's command line
     * @return its exit code
     * @throws IOException if it cannot be started
     * @throws InterruptedException if interrupted while waiting
     */
    public static int run(Path log, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command(jvmOptions, args)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertTrue(ended, "the child JVM did not end within 120 s: " + String.join(" ", args));
        return process.exitValue();
    }
}
