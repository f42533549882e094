package dev.unroll.train.callback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.train.Trainer;
import dev.unroll.train.TrainingCallback;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the shipped callbacks write, driven by the events a trainer sends. */
class CallbacksTest {

    @TempDir
    Path dir;

    private static void session(TrainingCallback c, int from, double... losses) {
        c.onStart(new TrainingCallback.Start(from, from + losses.length, from > 0));
        for (int i = 0; i < losses.length; i++) {
            c.onStep(new TrainingCallback.Step(from + i + 1, losses[i], 10, 0.01));
        }
        c.onValidation(new TrainingCallback.Validation(from + losses.length, 1.25, true));
        c.onCheckpoint(new TrainingCallback.Checkpointed(from + losses.length, Path.of("m.safetensors"), false));
        c.onEnd(new Trainer.Outcome(from + losses.length, losses.length, 100, Trainer.StopReason.COMPLETED));
    }

    @Test
    void theCsvLogHoldsEveryLossAndValidationAndIsContinuedOnResume() throws Exception {
        Path file = dir.resolve("run-loss.csv");
        session(new CsvLog(file), 0, 2.5, 2.25);
        assertEquals(List.of("series,iteration,value", "train,0,2.500000", "train,1,2.250000", "validation,2,1.250000"),
                Files.readAllLines(file));
        session(new CsvLog(file), 2, 2.0);
        assertEquals(List.of("series,iteration,value", "train,0,2.500000", "train,1,2.250000", "train,2,2.000000",
                "validation,2,1.250000", "validation,3,1.250000"), Files.readAllLines(file));
    }

    @Test
    void theBestCheckpointDoesNotRewriteTheLog() throws Exception {
        Path file = dir.resolve("run-loss.csv");
        CsvLog log = new CsvLog(file);
        log.onStep(new TrainingCallback.Step(1, 3, 1, 0.1));
        log.onCheckpoint(new TrainingCallback.Checkpointed(1, Path.of("best.safetensors"), true));
        assertTrue(Files.notExists(file));
    }

    @Test
    void theLossPlotIsAPngOfTheCurves() throws Exception {
        CsvLog log = new CsvLog(dir.resolve("run-loss.csv"));
        Path png = dir.resolve("run-loss.png");
        LossPlot plot = new LossPlot(log.history(), png, "run", "iteration (updates)", "loss (nats per token)");
        TrainingCallback both = new TrainingCallback() {
            @Override
            public void onStart(Start s) {
                log.onStart(s);
                plot.onStart(s);
            }

            @Override
            public void onStep(Step s) {
                log.onStep(s);
            }

            @Override
            public void onEnd(Trainer.Outcome o) {
                plot.onEnd(o);
            }
        };
        session(both, 0, 3, 2.8, 2.9, 2.5);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
        assertTrue(Files.notExists(dir.resolve("run-loss.png.partial")), "the PNG is moved in place whole");
    }

    @Test
    void aSeriesNameItsCsvCouldNotReadBackIsRefusedWhenAdded() {
        LossHistory history = new LossHistory();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> history.add("exact match (greedy, fraction)", 1, 0.5));
        assertEquals("the loss curve's series name 'exact match (greedy, fraction)' holds a comma or a line break, which "
                + "its CSV could not read back; name it without, e.g. 'validation exact match (greedy)'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> history.add("two\nlines", 1, 0.5));
        assertTrue(history.all().isEmpty());
    }

    @Test
    void theXAxisEndsOnARoundStepThatCutsItIntoFourToTenParts() {
        assertEquals(100, LossPlot.roundStep(600), 1e-12);
        assertEquals(5000, LossPlot.roundStep(25000), 1e-12);
        assertEquals(100, LossPlot.roundStep(400), 1e-12);
        assertEquals(1, LossPlot.roundStep(7), 1e-12);
        for (double extent : new double[] {1, 3, 7, 12, 99, 150, 401, 999, 1001, 123456}) {
            double step = LossPlot.roundStep(extent);
            double parts = Math.ceil(extent / step);
            assertTrue(parts >= 4 && parts <= 10, extent + ": step " + step + " gives " + parts + " parts");
            double significand = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-12));
            assertTrue(Math.abs(significand - 1) < 1e-9 || Math.abs(significand - 2) < 1e-9
                    || Math.abs(significand - 5) < 1e-9, extent + ": step " + step + " is not 1, 2 or 5 times a power of ten");
        }
    }

    @Test
    void theSmoothedCurveIsTheBiasCorrectedMovingAverage() {
        double[] s = LossPlot.smoothed(new double[] {2, 4, 4});
        assertEquals(2, s[0], 1e-12, "the first point is not pulled towards 0");
        assertEquals((0.9 * 0.1 * 2 + 0.1 * 4) / (1 - 0.81), s[1], 1e-12);
        assertArrayEquals(new double[] {5, 5}, LossPlot.smoothed(new double[] {5, 5}), 1e-12);
    }

    @Test
    void theBarIsOneColumnNarrowerThanTheTerminalOr79() {
        assertEquals(119, ConsoleProgress.width("120"));
        assertEquals(79, ConsoleProgress.width(null));
        assertEquals(79, ConsoleProgress.width("wide"));
        assertEquals(79, ConsoleProgress.width("5"));
    }
}
