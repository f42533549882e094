package dev.unroll.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's "Train an LSTM" example must be the code between {@code // readme:begin} and
 * {@code // readme:end} in the consumer project that CI compiles and runs against the installed
 * artifacts, so the example in the README is known to build and train.
 */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleIsTheConsumerProjectsCode() throws IOException {
        List<String> source = Files.readAllLines(Path.of("../.ci/consumer/src/main/java/example/TrainLstm.java"));
        int begin = indexOfTrimmed(source, "// readme:begin");
        int end = indexOfTrimmed(source, "// readme:end");
        String region = source.subList(begin + 1, end).stream()
                .map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("../README.md"));
        assertTrue(readme.contains("```java\n" + region + "\n```"),
                "README.md's LSTM example differs from .ci/consumer's TrainLstm.java between the readme markers:\n" + region);
    }

    private static int indexOfTrimmed(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("TrainLstm.java has no line " + marker);
    }
}
