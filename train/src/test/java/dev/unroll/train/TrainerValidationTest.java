package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.checkpoint.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the trainer validates, stops early and keeps the best model, on scripted validation curves. */
class TrainerValidationTest {

    @TempDir
    Path dir;

    /** Returns the scripted figures one per validation, and records at which iteration each was asked. */
    private static final class Script implements Trainer.Validation {
        private final double[] figures;
        private final Trainer[] trainer;
        final List<Integer> at = new ArrayList<>();

        Script(Trainer[] trainer, double... figures) {
            this.trainer = trainer;
            this.figures = figures;
        }

        @Override
        public double measure() {
            at.add(trainer[0].iteration());
            return figures[at.size() - 1];
        }
    }

    private static final class Events implements TrainingCallback {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onValidation(Validation v) {
            seen.add("validation " + v.iteration() + " " + v.figure() + (v.best() ? " best" : ""));
        }

        @Override
        public void onCheckpoint(Checkpointed c) {
            seen.add((c.best() ? "best " : "checkpoint ") + c.iteration() + " " + c.file().getFileName());
        }
    }

    @Test
    void validatesEveryNIterationsAndAfterTheLast() {
        TrainerFixture f = TrainerFixture.create();
        Trainer[] t = new Trainer[1];
        Script script = new Script(t, 4, 3, 2, 1, 0);
        t[0] = Trainer.builder(f.model, f.optimizer).step(f.tbptt()).validateEvery(3, script).stopOnInterrupt(false).build();
        t[0].fit(10);
        assertEquals(List.of(3, 6, 9, 10), script.at);
        t[0].fit(12);
        assertEquals(List.of(3, 6, 9, 10, 12), script.at, "a second session continues the cadence, the last just validated");
    }

    @Test
    void earlyStoppingStopsAfterPatienceValidationsWithoutImprovement() {
        TrainerFixture f = TrainerFixture.create();
        Trainer[] t = new Trainer[1];
        // better, better, better, worse (1), better by less than minDelta (2): stop at the 5th validation
        Script script = new Script(t, 3.0, 2.0, 1.0, 1.5, 0.95, 0.1, 0.1);
        Events events = new Events();
        t[0] = Trainer.builder(f.model, f.optimizer).step(f.tbptt()).validateEvery(2, script)
                .earlyStopping(new EarlyStopping(EarlyStopping.Mode.MIN, 2, 0.1)).callback(events)
                .stopOnInterrupt(false).build();
        Trainer.Outcome outcome = t[0].fit(100);
        assertEquals(Trainer.StopReason.EARLY_STOPPED, outcome.reason());
        assertEquals(10, outcome.iteration());
        assertEquals(List.of(2, 4, 6, 8, 10), script.at);
        assertEquals(1.0, t[0].monitor().best());
        assertEquals(List.of("validation 2 3.0 best", "validation 4 2.0 best", "validation 6 1.0 best",
                "validation 8 1.5", "validation 10 0.95"), events.seen);
    }

    @Test
    void earlyStoppingInMaxModeWaitsForAHigherFigure() {
        TrainerFixture f = TrainerFixture.create();
        Trainer[] t = new Trainer[1];
        Script script = new Script(t, 0.1, 0.3, 0.2, 0.4, 0.35, 0.3, 0.2, 0.9);
        t[0] = Trainer.builder(f.model, f.optimizer).step(f.tbptt()).validateEvery(1, script)
                .earlyStopping(EarlyStopping.max(3)).stopOnInterrupt(false).build();
        assertEquals(7, t[0].fit(100).iteration(), "the best 0.4 at 4, then 3 lower ones");
        assertEquals(0.4, t[0].monitor().best());
    }

    @Test
    void theBestModelIsCheckpointedWhenItsFigureImproves() throws Exception {
        TrainerFixture f = TrainerFixture.create();
        Trainer[] t = new Trainer[1];
        Script script = new Script(t, 5, 3, 4, 2, 6, 7);
        Events events = new Events();
        Path best = dir.resolve("best.safetensors");
        Path latest = dir.resolve("latest.safetensors");
        t[0] = Trainer.builder(f.model, f.optimizer).step(f.tbptt()).validateEvery(2, script)
                .keepBest(best, EarlyStopping.Mode.MIN).checkpointEvery(4, latest).callback(events)
                .stopOnInterrupt(false).build();
        t[0].fit(12);
        assertEquals(List.of("validation 2 5.0 best", "best 2 best.safetensors", "validation 4 3.0 best",
                "best 4 best.safetensors", "checkpoint 4 latest.safetensors", "validation 6 4.0",
                "validation 8 2.0 best", "best 8 best.safetensors", "checkpoint 8 latest.safetensors",
                "validation 10 6.0", "validation 12 7.0", "checkpoint 12 latest.safetensors",
                "checkpoint 12 latest.safetensors"), events.seen);
        assertEquals("8", Checkpoint.metadata(best).get(Trainer.ITERATION));
        assertEquals("2.0", Checkpoint.metadata(latest).get(Trainer.BEST));
        assertEquals("2", Checkpoint.metadata(latest).get(Trainer.SINCE_BEST));
    }

    @Test
    void aResumedRunKeepsItsEarlyStoppingPatience() {
        TrainerFixture f = TrainerFixture.create();
        Path latest = dir.resolve("latest.safetensors");
        Trainer[] t = new Trainer[1];
        t[0] = Trainer.builder(f.model, f.optimizer).step(f.tbptt()).validateEvery(2, new Script(t, 1, 2, 3))
                .earlyStopping(EarlyStopping.min(3)).checkpointEvery(0, latest).stopOnInterrupt(false).build();
        t[0].fit(6);
        TrainerFixture g = TrainerFixture.create();
        Trainer[] u = new Trainer[1];
        u[0] = Trainer.builder(g.model, g.optimizer).step(g.tbptt()).validateEvery(2, new Script(u, 4, 5))
                .earlyStopping(EarlyStopping.min(3)).checkpointEvery(0, latest).stopOnInterrupt(false).build();
        u[0].resume(latest);
        Trainer.Outcome outcome = u[0].fit(100);
        assertEquals(8, outcome.iteration(), "two worse figures before, one after: patience 3 is used up at 8");
        assertEquals(Trainer.StopReason.EARLY_STOPPED, outcome.reason());
    }

    @Test
    void partsThatNeedAValidationRefuseToBuildWithoutOne() {
        TrainerFixture f = TrainerFixture.create();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(f.model, f.optimizer)
                .step(f.tbptt()).earlyStopping(EarlyStopping.min(2)).build());
        assertTrue(e.getMessage().contains("validateEvery(n, validation)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(f.model, f.optimizer).build());
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(EarlyStopping.Mode.MIN, 0, 0));
        assertFalse(Files.exists(dir.resolve("none")));
    }
}
