package dev.unroll.samples.common;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every training program shares: seed, output directory, resume, progress display. */
public final class RunOptions {

    /** The seed of every random choice of the run. */
    @Option(names = "--seed", defaultValue = "1", description = "seed of every random choice (default: ${DEFAULT-VALUE})")
    public long seed;

    /** Where the loss curve, plot and checkpoint go. */
    @Option(names = "--out", description = "output directory of the checkpoint and the loss curve (default: runs/<program>)")
    public Path out;

    /** A checkpoint to continue from. */
    @Option(names = "--resume", description = "continue training from this checkpoint, or from the one in this run "
            + "directory; --iterations stays the total to reach, so give a larger one to train more")
    public Path resume;

    /** Whether to hide the progress bar. */
    @Option(names = "--quiet", description = "no progress bar")
    public boolean quiet;

    /**
     * @param program the program's name
     * @return the output directory
     */
    public Path outDir(String program) {
        return out != null ? out : Path.of("runs", program);
    }
}
