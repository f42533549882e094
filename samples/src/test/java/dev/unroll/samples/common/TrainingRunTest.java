package dev.unroll.samples.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.layers.Linear;
import dev.unroll.nn.optim.Adam;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

    /** One step of fitting y = 2x: returns its loss. */
    private static TrainingRun.Iteration fit(Linear model, Adam adam) {
        Tensor x = Tensor.of(new double[][] {{1}, {2}, {3}});
        Tensor y = Tensor.of(new double[][] {{2}, {4}, {6}});
        return n -> {
            model.zeroGrad();
            double loss;
            try (Tape tape = Tape.record()) {
                Tensor l = LossOps.mse(model.forward(x), y);
                tape.backward(l);
                loss = l.item();
            }
            adam.step();
            return new TrainingRun.Result(loss, 3);
        };
    }

    @Test
    void theInterruptHandlerStopsTrainingAtAnIterationBoundaryAndSavesACheckpoint() throws Exception {
        Linear model = new Linear(1, 1, 7);
        Adam adam = new Adam(model, 0.01);
        TrainingRun training = run(model, adam, null);
        TrainingRun.Iteration fit = fit(model, adam);
        Thread trainer = new Thread(() -> training.train(Integer.MAX_VALUE, n -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return fit.run(n);
        }, null, 0), "trainer");
        trainer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (training.iteration() < 20 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(training.iteration() >= 20, "training did not start");

        assertTrue(training.interrupt(), "what the shutdown hook runs should return once the checkpoint is saved");
        trainer.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(trainer.isAlive(), "training should stop after an interruption");
        assertTrue(training.interrupted());
        int reached = training.iteration();
        assertTrue(reached < Integer.MAX_VALUE);
        Map<String, String> saved = Checkpoint.metadata(training.checkpoint());
        assertEquals(Integer.toString(reached), saved.get(TrainingRun.ITERATION),
                "the checkpoint should hold the iteration training stopped at");
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("interrupted at iteration " + reached));

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
        first.train(30, fit(model, adam), null, 0);
        double loss = first.recentLoss();
        assertTrue(loss > 0 && Double.isFinite(loss), "recent loss " + loss);

        Linear again = new Linear(1, 1, 7);
        Adam idleAdam = new Adam(again, 0.01);
        TrainingRun idle = run(again, idleAdam, first.checkpoint());
        idle.train(30, fit(again, idleAdam), null, 0);
        assertEquals(30, idle.iteration());
        assertEquals(loss, idle.recentLoss(), 0.0, "no iteration ran: the checkpoint's figure, not a mean of zeros");
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("pass --iterations 60 to train 30 more"),
                printed.toString(StandardCharsets.UTF_8));

        Linear more = new Linear(1, 1, 7);
        Adam moreAdam = new Adam(more, 0.01);
        TrainingRun longer = run(more, moreAdam, first.checkpoint());
        longer.train(45, fit(more, moreAdam), null, 0);
        assertEquals(45, longer.iteration());
        assertTrue(longer.recentLoss() < loss, "15 more iterations should lower the loss: " + loss + " -> "
                + longer.recentLoss());
    }

    @Test
    void aResumedRunSkipsTheDataOfTheCheckpointsIterations() {
        Linear model = new Linear(1, 1, 7);
        Adam adam = new Adam(model, 0.01);
        TrainingRun first = run(model, adam, null);
        int[] drawn = {0};
        first.skipDoneData(() -> drawn[0]++);
        assertEquals(0, drawn[0], "a fresh run skips nothing");
        first.train(12, fit(model, adam), null, 0);

        Linear again = new Linear(1, 1, 7);
        TrainingRun resumed = run(again, new Adam(again, 0.01), first.checkpoint());
        resumed.skipDoneData(() -> drawn[0]++);
        assertEquals(12, drawn[0], "one draw per iteration the checkpoint had done");
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
        first.train(5, fit(model, adam), null, 0);

        options.resume = first.checkpoint();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingRun("pair", "left", options, model, adam, Map::of, quiet));
        assertEquals("pair trains several models (left is one): pass the directory of their checkpoints, e.g. --resume "
                + dir, e.getMessage());
        options.resume = dir;
        assertEquals(5, new TrainingRun("pair", "left", options, model, adam, Map::of, quiet).iteration());
    }

    @Test
    void theReportRunsEveryPeriodAndAfterTheLastIterationBeforeTheSave() throws Exception {
        Linear model = new Linear(1, 1, 7);
        Adam adam = new Adam(model, 0.01);
        TrainingRun training = run(model, adam, null);
        List<Integer> reports = new ArrayList<>();
        Runnable report = () -> {
            reports.add(training.iteration());
            training.log().add("validation", training.iteration(), 1.0);
        };
        training.train(7, fit(model, adam), report, 3);
        assertEquals(List.of(3, 6, 7), reports);
        assertTrue(Files.readAllLines(dir.resolve("test-loss.csv")).contains("validation,7,1.000000"),
                "the saved loss curve should end with the last report");

        training.train(9, fit(model, adam), report, 3);
        assertEquals(List.of(3, 6, 7, 9), reports, "a last iteration on the period is reported once");

        Linear again = new Linear(1, 1, 7);
        Adam idleAdam = new Adam(again, 0.01);
        TrainingRun idle = run(again, idleAdam, training.checkpoint());
        idle.train(9, fit(again, idleAdam), () -> reports.add(-1), 3);
        assertEquals(List.of(3, 6, 7, 9), reports, "a session that ran no iteration reports nothing");
    }
}
