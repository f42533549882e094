package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.nn.optim.Adam;
import dev.unroll.nn.optim.LearningRateSchedule;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.rnn.tbptt.ParallelStreams;
import dev.unroll.train.callback.ConsoleProgress;
import dev.unroll.train.callback.CsvLog;
import dev.unroll.train.callback.LossPlot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Training loop" example runs as shown (the code between the readme markers is in README.md). */
class TrainerReadmeExampleTest {

    @TempDir
    Path dir;

    private static final ParallelStreams streams = TrainerFixture.streams();
    private static final int vocabulary = TrainerFixture.VOCABULARY;

    private static double validationLoss(LanguageModel model) {
        try (Tape.Paused paused = Tape.pause()) {
            return model.loss(streams.inputs(0, 8), streams.targets(0, 8), null, Reduction.MEAN).loss().item();
        }
    }

    @Test
    void theReadmeExampleTrainsAndWritesItsFiles() throws Exception {
        // readme:begin
        LanguageModel model = LanguageModel.lstm(vocabulary, 16, 64, 1, 42);
        Adam adam = new Adam(model, 0.01);
        CsvLog csv = new CsvLog(dir.resolve("lm-loss.csv"));
        Trainer trainer = Trainer.builder(model, adam)
                .step(new StreamTbpttStep(streams, 8, model::initialState,     // TBPTT, state carried
                        (x, y, state) -> model.loss(x, y, state, Reduction.MEAN)))
                .clipNorm(5)
                .schedule(LearningRateSchedule.cosine(30, 1e-4))
                .validateEvery(5, () -> validationLoss(model))                // on held-out data
                .earlyStopping(EarlyStopping.min(3))
                .checkpointEvery(10, dir.resolve("lm.safetensors"))
                .keepBest(dir.resolve("lm-best.safetensors"), EarlyStopping.Mode.MIN)
                .callback(new ConsoleProgress("lm"))                           // progress bar on stderr
                .callback(csv)                                                 // lm-loss.csv
                .callback(new LossPlot(csv.history(), dir.resolve("lm-loss.png"), "lm", "iteration (updates)",
                        "loss (nats per character)"))
                .build();
        if (Files.exists(dir.resolve("lm.safetensors"))) {
            trainer.resume(dir.resolve("lm.safetensors"));                     // continue where it stopped
        }
        Trainer.Outcome outcome = trainer.fit(30);                             // the total to reach
        // readme:end
        assertTrue(outcome.iteration() > 5, outcome.toString());
        for (String file : new String[] {"lm.safetensors", "lm-best.safetensors", "lm-loss.csv", "lm-loss.png"}) {
            assertTrue(Files.exists(dir.resolve(file)), file);
        }
        Path source = Path.of("src/test/java/dev/unroll/train/TrainerReadmeExampleTest.java");
        String code = Files.readString(source);
        String region = code.substring(code.indexOf("// readme:begin\n") + "// readme:begin\n".length(),
                code.indexOf("        // readme:end")).replaceAll("(?m)^ {8}", "");
        assertTrue(Files.readString(Path.of("../README.md")).contains("```java\n" + region + "```\n"),
                "README.md should show the example between this test's readme markers:\n" + region);
    }
}
