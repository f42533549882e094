package dev.unroll.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each guide shows, in its first code blocks, the code between the {@code // guide:begin} and
 * {@code // guide:end} lines of its example class, verbatim: the guide cannot drift from code that
 * compiles and is tested.
 */
class GuidesShowTheirCodeTest {

    private static final Path GUIDES = Path.of("src/main/java/dev/unroll/guide");

    /** The regions between the markers, each dedented by its first line's indentation. */
    private static List<String> regions(Path source) throws IOException {
        List<String> regions = new ArrayList<>();
        List<String> region = null;
        for (String line : Files.readAllLines(source)) {
            if (line.strip().equals("// guide:begin")) {
                region = new ArrayList<>();
            } else if (line.strip().equals("// guide:end")) {
                int indent = region.get(0).length() - region.get(0).stripLeading().length();
                regions.add(region.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n")));
                region = null;
            } else if (region != null) {
                region.add(line);
            }
        }
        return regions;
    }

    /** The {@code <pre>{@code ...}</pre>} blocks of a doc comment, without the comment's leading asterisks. */
    private static List<String> codeBlocks(Path packageInfo) throws IOException {
        String text = Files.readAllLines(packageInfo).stream().map(l -> l.replaceFirst("^\\s*\\* ?", ""))
                .collect(Collectors.joining("\n"));
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("<pre>\\{@code\\n(.*?)\\n}</pre>", Pattern.DOTALL).matcher(text);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static void assertShows(String guide, String example) throws IOException {
        List<String> regions = regions(GUIDES.resolve(guide).resolve(example));
        List<String> blocks = codeBlocks(GUIDES.resolve(guide).resolve("package-info.java"));
        assertTrue(!regions.isEmpty() && blocks.size() >= regions.size(), guide + ": " + regions.size()
                + " marked regions, " + blocks.size() + " code blocks");
        for (int i = 0; i < regions.size(); i++) {
            assertEquals(regions.get(i), blocks.get(i), "code block " + (i + 1) + " of the guide " + guide
                    + " should be the marked region " + (i + 1) + " of " + example);
        }
    }

    @Test
    void theOpGuideShowsTheSoftplusExample() throws IOException {
        assertShows("op", "Softplus.java");
    }

    @Test
    void theCellGuideShowsTheLeakyCell() throws IOException {
        assertShows("cell", "LeakyCell.java");
    }

    @Test
    void theMemoryGuideShowsBothTrainingLoops() throws IOException {
        assertShows("memory", "TrainingLoops.java");
    }
}
