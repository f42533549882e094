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
    private final LossHistory history = new LossHistory();
    private boolean restore = true;

    /** @param file the CSV file */
    public CsvLog(Path file) {
        this.file = file;
    }

    /** @return the points logged (and restored), e.g. for a {@link LossPlot} */
    public LossHistory history() {
        return history;
    }

    /**
     * Restores the points of an earlier run from another file (a run resumed from one directory
     * that writes to another); the log then does not read its own file when training resumes.
     *
     * @param csv a file this log (or a {@link LossHistory}) wrote
     */
    public void restoreFrom(Path csv) {
        history.readCsv(csv);
        restore = false;
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
