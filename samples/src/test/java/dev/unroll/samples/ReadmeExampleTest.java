package dev.unroll.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

/**
 * The README's "Train an LSTM" example and its dependency section's {@code pom.xml} must be the
 * consumer project's files, which CI builds and runs against the installed artifacts, and the
 * "Write your own cell" cell the custom-cell sample's code between {@code // readme:begin} and
 * {@code // readme:end}, which SamplesLearnTest trains: what the README shows is known to build,
 * run and learn.
 */
class ReadmeExampleTest {

    private static final Path CONSUMER = Path.of("../.ci/consumer");

    private static void assertReadmeShows(String language, Path file) throws IOException {
        String content = Files.readString(CONSUMER.resolve(file));
        String readme = Files.readString(Path.of("../README.md"));
        assertTrue(readme.contains("```" + language + "\n" + content + "```\n"), "README.md should show .ci/consumer/"
                + file + " verbatim in a ```" + language + " block; copy the file into it:\n" + content);
    }

    @Test
    void theReadmeExampleIsTheConsumerProjectsClass() throws IOException {
        assertReadmeShows("java", Path.of("src/main/java/example/TrainLstm.java"));
    }

    @Test
    void theReadmePomIsTheConsumerProjectsPomAndWellFormedXml() throws IOException, ParserConfigurationException {
        assertReadmeShows("xml", Path.of("pom.xml"));
        try {
            DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(CONSUMER.resolve("pom.xml").toFile());
        } catch (SAXException e) {
            throw new AssertionError(".ci/consumer/pom.xml is not well-formed XML (Maven cannot read it): "
                    + e.getMessage(), e);
        }
    }

    @Test
    void theReadmeCellIsTheCustomCellSamplesCell() throws IOException {
        Path file = Path.of("src/main/java/dev/unroll/samples/programs/CustomCellCommand.java");
        List<String> source = Files.readAllLines(file);
        int begin = indexOfTrimmed(source, "// readme:begin", file);
        int end = indexOfTrimmed(source, "// readme:end", file);
        String region = source.subList(begin + 1, end).stream()
                .map(line -> line.length() >= 4 ? line.substring(4) : line.strip())
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
