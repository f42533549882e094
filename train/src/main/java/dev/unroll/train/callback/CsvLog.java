package dev.unroll.train.callback;

import dev.unroll.train.Trainer;
import dev.unroll.train.TrainingCallback;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Logs the training loss of every iteration (series "train", x the iteration's number from 0)
 * and every validation figure (series "validation", x the iterations done) to a CSV file of
 * {@code series,iteration,value} rows, written with every checkpoint and at the end, so the file
 * always matches the latest checkpoint. A resumed run first reads the file back and appends.
 */
public final class CsvLog implements TrainingCallback {

    /** The series of the training loss. */
    public static final String TRAIN = "train";
    /** The series of the validation figure. */
    public static final String VALIDATION = "validation";

    private final Path file;
    private final LossHistory history;
    private boolean restore;

    /** @param file the CSV file */
    public CsvLog(Path file) {
        this(file, new LossHistory(), true);
    }

    /**
     * A log that continues a history already restored (e.g. from the directory a run resumed
     * from, when it writes to another); it does not read its own file.
     *
     * @param file the CSV file
     * @param history the points so far
     */
    public CsvLog(Path file, LossHistory history) {
        this(file, history, false);
    }

    private CsvLog(Path file, LossHistory history, boolean restore) {
        this.file = file;
        this.history = history;
        this.restore = restore;
    }

    /** @return the points logged (and restored), e.g. for a {@link LossPlot} */
    public LossHistory history() {
        return history;
    }

    @Override
    public void onStart(Start start) {
        if (start.resumed() && restore && Files.exists(file)) {
            history.readCsv(file);
        }
        restore = false;
    }

    @Override
    public void onStep(Step step) {
        history.add(TRAIN, step.iteration() - 1, step.loss());
    }

    @Override
    public void onValidation(Validation validation) {
        history.add(VALIDATION, validation.iteration(), validation.figure());
    }

    @Override
    public void onCheckpoint(Checkpointed checkpoint) {
        if (!checkpoint.best()) {
            history.writeCsv(file);
        }
    }

    @Override
    public void onEnd(Trainer.Outcome end) {
        history.writeCsv(file);
    }
}
