package dev.unroll.samples.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.layers.Linear;
import dev.unroll.nn.optim.Adam;
import dev.unroll.train.BatchStep;
import dev.unroll.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training frame: Ctrl-C saves at an iteration boundary, resuming counts iterations as a total. */
class TrainingRunTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private TrainingRun run(Linear model, Adam adam, Path resume) {
        RunOptions options = new RunOptions();
        options.quiet = true;
        options.out = dir;
        options.resume = resume;
        return new TrainingRun("test", options, model, adam, Map::of,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    /** Fitting y = 2x, one batch of three points an iteration, each iteration {@code pause} milliseconds longer. */
    private static Trainer.Builder fit(Linear model, Adam adam, long pause) {
        Tensor x = Tensor.of(new double[][] {{1}, {2}, {3}});
        Tensor y = Tensor.of(new double[][] {{2}, {4}, {6}});
        return Trainer.builder(model, adam).step(new BatchStep<>(Stream.generate(() -> x).iterator(), batch -> {
            if (pause > 0) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return LossOps.mse(model.forward(batch), y);
        }, batch -> 3));
    }

    @Test
    void theInterruptHandlerStopsTrainingAtAnIterationBoundaryAndSavesACheckpoint() throws Exception {
        Linear model = new Linear(1, 1, 7);
        Adam adam = new Adam(model, 0.01);
        TrainingRun training = run(model, adam, null);
        Thread trainer = new Thread(() -> training.fit(fit(model, adam, 1), Integer.MAX_VALUE, "loss"), "trainer");
        trainer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!training.interrupt() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        trainer.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(trainer.isAlive(), "training should stop after an interruption");
        int reached = training.iteration();
        assertTrue(reached > 0 && reached < Integer.MAX_VALUE, "stopped at " + reached);
        Map<String, String> saved = Checkpoint.metadata(training.checkpoint());
        assertEquals(Integer.toString(reached), saved.get(Trainer.ITERATION),
                "the checkpoint should hold the iteration training stopped at");
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("interrupted at iteration " + reached),
                printed.toString(StandardCharsets.UTF_8));

        Linear restored = new Linear(1, 1, 99);
        TrainingRun resumed = run(restored, new Adam(restored, 0.01), training.checkpoint());
        assertEquals(reached, resumed.iteration());
        assertEquals(model.forward(Tensor.scalar(5)).item(), restored.forward(Tensor.scalar(5)).item(), 0.0,
                "the checkpoint should hold the weights of the iteration it names");
    }

    @Test
    void resumingCountsIterationsAsATotalAndSaysHowToTrainMore() {
        Linear model = new Linear(1, 1, 7);
        Adam adam = new Adam(model, 0.01);
        TrainingRun first = run(model, adam, null);
        first.fit(fit(model, adam, 0), 30, "loss");
        double loss = first.recentLoss();
        assertTrue(loss > 0 && Double.isFinite(loss), "recent loss " + loss);

        Linear again = new Linear(1, 1, 7);
        Adam idleAdam = new Adam(again, 0.01);
        TrainingRun idle = run(again, idleAdam, first.checkpoint());
        idle.fit(fit(again, idleAdam, 0), 30, "loss");
        assertEquals(30, idle.iteration());
        assertEquals(loss, idle.recentLoss(), 0.0, "no iteration ran: the checkpoint's figure, not a mean of zeros");
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("pass --iterations 60 to train 30 more"),
                printed.toString(StandardCharsets.UTF_8));

        Linear more = new Linear(1, 1, 7);
        Adam moreAdam = new Adam(more, 0.01);
        TrainingRun longer = run(more, moreAdam, first.checkpoint());
        longer.fit(fit(more, moreAdam, 0), 45, "loss");
        assertEquals(45, longer.iteration());
        assertTrue(longer.recentLoss() < loss, "15 more iterations should lower the loss: " + loss + " -> "
                + longer.recentLoss());
    }

    @Test
    void oneOfSeveralModelsResumesFromTheRunDirectoryOnly() {
        Linear model = new Linear(1, 1, 7);
        Adam adam = new Adam(model, 0.01);
        RunOptions options = new RunOptions();
        options.quiet = true;
        options.out = dir;
        PrintStream quiet = new PrintStream(printed, true, StandardCharsets.UTF_8);
        TrainingRun first = new TrainingRun("pair", "left", options, model, adam, Map::of, quiet);
        first.fit(fit(model, adam, 0), 5, "loss");

        options.resume = first.checkpoint();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingRun("pair", "left", options, model, adam, Map::of, quiet));
        assertEquals("pair trains several models (left is one): pass the directory of their checkpoints, e.g. --resume "
                + dir, e.getMessage());
        options.resume = dir;
        assertEquals(5, new TrainingRun("pair", "left", options, model, adam, Map::of, quiet).iteration());
    }
}
