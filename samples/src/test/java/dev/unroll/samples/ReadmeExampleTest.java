package dev.unroll.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's code must be the code between {@code // readme:begin} and {@code // readme:end}
 * in the sources it comes from, so it is known to build and run: the "Train an LSTM" example is
 * the consumer project's that CI compiles and runs against the installed artifacts, the "Write
 * your own cell" cell is the custom-cell sample's that SamplesLearnTest trains.
 */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleIsTheConsumerProjectsCode() throws IOException {
        assertTheReadmeHasTheRegionOf(Path.of("../.ci/consumer/src/main/java/example/TrainLstm.java"), 8);
    }

    @Test
    void theReadmeCellIsTheCustomCellSamplesCell() throws IOException {
        assertTheReadmeHasTheRegionOf(Path.of("src/main/java/dev/unroll/samples/programs/CustomCellCommand.java"), 4);
    }

    /** The lines between the markers, without their first {@code indent} columns, form a java block of the README. */
    private static void assertTheReadmeHasTheRegionOf(Path file, int indent) throws IOException {
        List<String> source = Files.readAllLines(file);
        int begin = indexOfTrimmed(source, "// readme:begin", file);
        int end = indexOfTrimmed(source, "// readme:end", file);
        String region = source.subList(begin + 1, end).stream()
                .map(line -> line.length() >= indent ? line.substring(indent) : line.strip())
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("../README.md"));
        assertTrue(readme.contains("```java\n" + region + "\n```"),
                "README.md has no java block of " + file + " between the readme markers:\n" + region);
    }

    private static int indexOfTrimmed(List<String> lines, String marker, Path file) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError(file + " has no line " + marker);
    }
}
