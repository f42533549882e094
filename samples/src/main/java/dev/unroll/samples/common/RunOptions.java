package dev.unroll.samples.common;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every training program shares: seed, output directory, resume, overwrite, progress display. */
public final class RunOptions {

    /** The seed of every random choice of the run. */
    @Option(names = "--seed", defaultValue = "1", description = "seed of every random choice (default: ${DEFAULT-VALUE})")
    public long seed;

    /** Where the loss curve, plot and checkpoint go. */
    @Option(names = "--out", description = "output directory of the checkpoint and the loss curve (default: the "
            + "directory of the --resume checkpoint, else runs/<program>)")
    public Path out;

    /** A checkpoint to continue from. */
    @Option(names = "--resume", description = "continue training from this checkpoint, or from the one in this run "
            + "directory; --iterations (or --epochs) stays the total to reach, so give a larger one to train more")
    public Path resume;

    /** Whether a fresh run may replace the checkpoint already in its output directory. */
    @Option(names = "--overwrite", description = "replace the checkpoint already in the output directory with this "
            + "run's (without it a run that does not resume that checkpoint refuses to start)")
    public boolean overwrite;

    /** Whether to hide the progress bar. */
    @Option(names = "--quiet", description = "no progress bar")
    public boolean quiet;

    /**
     * @param program the program's name
     * @return the output directory: {@code --out}, else the directory {@code --resume} names or
     *     holds the checkpoint, so a resumed run continues where it was, else {@code runs/<program>}
     */
    public Path outDir(String program) {
        if (out != null) {
            return out;
        }
        if (resume != null) {
            return Files.isDirectory(resume) ? resume : resume.toAbsolutePath().getParent();
        }
        return Path.of("runs", program);
    }
}
