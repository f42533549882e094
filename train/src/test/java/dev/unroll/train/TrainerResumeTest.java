package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.optim.LearningRateSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping, resuming and failing leave a checkpoint from which training continues bit for bit. */
class TrainerResumeTest {

    @TempDir
    Path dir;

    private Trainer.Builder trainer(TrainerFixture f, GradientStep step, Path checkpoint) {
        return Trainer.builder(f.model, f.optimizer).step(step).clipNorm(0.5)
                .schedule(LearningRateSchedule.cosine(12, 0.001)).checkpointEvery(5, checkpoint).stopOnInterrupt(false);
    }

    /** A callback that runs {@code action} after the given iteration. */
    private static TrainingCallback atStep(int iteration, Runnable action) {
        return new TrainingCallback() {
            @Override
            public void onStep(Step s) {
                if (s.iteration() == iteration) {
                    action.run();
                }
            }
        };
    }

    private void resumeEqualsUninterrupted(Function<TrainerFixture, GradientStep> step) throws Exception {
        TrainerFixture whole = TrainerFixture.create();
        Trainer.Outcome once = trainer(whole, step.apply(whole), dir.resolve("whole.safetensors")).build().fit(12);
        assertEquals(new Trainer.Outcome(12, 12, once.tokensPerSecond(), Trainer.StopReason.COMPLETED), once);

        Path checkpoint = dir.resolve("parts.safetensors");
        TrainerFixture first = TrainerFixture.create();
        Trainer[] running = new Trainer[1];
        running[0] = trainer(first, step.apply(first), checkpoint).callback(atStep(7, () -> running[0].requestStop()))
                .build();
        assertEquals(Trainer.StopReason.INTERRUPTED, running[0].fit(12).reason());
        assertEquals("7", Checkpoint.metadata(checkpoint).get(Trainer.ITERATION));

        TrainerFixture second = TrainerFixture.create();
        Trainer resumed = trainer(second, step.apply(second), checkpoint).build();
        resumed.resume(checkpoint);
        Trainer.Outcome rest = resumed.fit(12);
        assertEquals(5, rest.sessionIterations());
        TrainerFixture.assertSameBits(whole, second);
        assertEquals("12", Checkpoint.metadata(checkpoint).get(Trainer.ITERATION));
    }

    @Test
    void truncatedBpttResumedMidEpochTrainsTheBitsOfAnUninterruptedRun() throws Exception {
        resumeEqualsUninterrupted(TrainerFixture::tbptt);
    }

    @Test
    void batchesResumedFromTheirPositionTrainTheBitsOfAnUninterruptedRun() throws Exception {
        resumeEqualsUninterrupted(f -> f.batchStep(3));
    }

    @Test
    void whatCtrlCRunsStopsAtAnIterationBoundaryAndWaitsForTheCheckpoint() throws Exception {
        Path checkpoint = dir.resolve("model.safetensors");
        TrainerFixture f = TrainerFixture.create();
        StreamTbpttStep tbptt = f.tbptt();
        Trainer trainer = Trainer.builder(f.model, f.optimizer).checkpointEvery(0, checkpoint).step((n, tape) -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return tbptt.compute(n, tape);
        }).build();
        Trainer.Outcome[] outcome = new Trainer.Outcome[1];
        Thread training = new Thread(() -> outcome[0] = trainer.fit(Integer.MAX_VALUE), "training");
        training.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (trainer.iteration() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(trainer.interrupt(), "the hook's wait should end once the checkpoint is written");
        training.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(Trainer.StopReason.INTERRUPTED, outcome[0].reason());
        assertEquals(Integer.toString(outcome[0].iteration()), Checkpoint.metadata(checkpoint).get(Trainer.ITERATION));
        assertFalse(trainer.interrupt(), "nothing runs any more");
    }

    @Test
    void aFailingCallbackStillLeavesTheCheckpointOfItsIteration() throws Exception {
        Path checkpoint = dir.resolve("model.safetensors");
        TrainerFixture f = TrainerFixture.create();
        Trainer failing = trainer(f, f.tbptt(), checkpoint).callback(atStep(8, () -> {
            throw new IllegalStateException("disk full");
        })).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> failing.fit(12));
        assertEquals("disk full", e.getMessage());
        assertEquals("8", Checkpoint.metadata(checkpoint).get(Trainer.ITERATION), "saved at the failure, not at 5");

        TrainerFixture whole = TrainerFixture.create();
        trainer(whole, whole.tbptt(), dir.resolve("whole.safetensors")).build().fit(12);
        TrainerFixture again = TrainerFixture.create();
        Trainer resumed = trainer(again, again.tbptt(), checkpoint).build();
        resumed.resume(checkpoint);
        resumed.fit(12);
        TrainerFixture.assertSameBits(whole, again);
    }

    @Test
    void aCallbackFailingOnTheCheckpointDoesNotLoseIt() throws Exception {
        Path checkpoint = dir.resolve("model.safetensors");
        TrainerFixture f = TrainerFixture.create();
        Trainer failing = trainer(f, f.tbptt(), checkpoint).callback(new TrainingCallback() {
            @Override
            public void onCheckpoint(Checkpointed c) {
                throw new IllegalStateException("plot failed");
            }
        }).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> failing.fit(12));
        assertEquals(1, e.getSuppressed().length, "the retry on failure failed too, and says so");
        assertEquals("5", Checkpoint.metadata(checkpoint).get(Trainer.ITERATION));
    }

    @Test
    void resumingACheckpointAtTheTotalTrainsNothingAndKeepsItsLoss() throws Exception {
        Path checkpoint = dir.resolve("model.safetensors");
        TrainerFixture f = TrainerFixture.create();
        Trainer done = trainer(f, f.tbptt(), checkpoint).build();
        done.fit(6);
        TrainerFixture g = TrainerFixture.create();
        Trainer idle = trainer(g, g.tbptt(), checkpoint).build();
        idle.resume(checkpoint);
        Trainer.Outcome outcome = idle.fit(6);
        assertEquals(0, outcome.sessionIterations());
        assertTrue(Double.isNaN(outcome.tokensPerSecond()));
        assertEquals(done.recentLoss(), idle.recentLoss());
        TrainerFixture.assertSameBits(f, g);
    }

    @Test
    void aCheckpointWithoutAnIterationCountIsRefused() throws Exception {
        Path foreign = dir.resolve("foreign.safetensors");
        TrainerFixture f = TrainerFixture.create();
        Checkpoint.save(foreign, f.model, f.optimizer, java.util.Map.of(Trainer.ITERATION, "many"));
        Trainer t = trainer(f, f.tbptt(), foreign).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.resume(foreign));
        assertTrue(e.getMessage().contains("'iteration' is 'many', not a number"), e.getMessage());
        assertTrue(Files.exists(foreign));
    }
}
