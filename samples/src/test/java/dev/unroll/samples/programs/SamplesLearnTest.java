package dev.unroll.samples.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every sample, run through its command line at a small budget: it must finish, write its files,
 * and learn (a loss or accuracy past a threshold far from chance), so a broken op, layer or
 * optimizer shows up here as well as in the unit tests.
 */
class SamplesLearnTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private <T> T run(T command, String... args) {
        int exit = new CommandLine(command).setOut(new PrintWriter(printed, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(printed, true, StandardCharsets.UTF_8)).execute(args);
        assertEquals(0, exit, "exit code of " + String.join(" ", args) + "; output:\n" + printed());
        return command;
    }

    private PrintStream capture() {
        return new PrintStream(printed, true, StandardCharsets.UTF_8);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private String[] common(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--quiet";
        all[1] = "--out";
        all[2] = dir.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return all;
    }

    @Test
    void helloLearnsTheWord() {
        HelloCommand hello = new HelloCommand();
        hello.out = capture();
        run(hello, common());
        assertEquals("hello", hello.word);
        assertTrue(Files.exists(dir.resolve("hello.safetensors")));
        assertTrue(Files.exists(dir.resolve("loss.png")));
    }

    @Test
    void minCharRnnLowersItsSmoothLoss() {
        MinCharRnnCommand rnn = new MinCharRnnCommand();
        rnn.out = capture();
        run(rnn, common("--iterations", "1500", "--print-every", "100000"));
        double uniform = -Math.log(1.0 / 65) * 25;
        assertTrue(rnn.smoothLoss < 0.85 * uniform, "smooth loss " + rnn.smoothLoss + " vs uniform " + uniform);
    }

    @Test
    void charLstmLearnsAndItsCheckpointSamplesAndResumes() {
        CharLstmCommand lstm = new CharLstmCommand();
        lstm.out = capture();
        String[] small = {"--iterations", "40", "--hidden", "64", "--layers", "1", "--embedding", "16", "--batch", "8",
            "--steps", "32", "--lr", "0.01", "--eval-every", "1000", "--eval-chunks", "4", "--length", "50"};
        run(lstm, common(small));
        assertTrue(lstm.trainLoss < 3.3, "training loss " + lstm.trainLoss + " (uniform: ln 65 = 4.17)");
        assertTrue(lstm.validationLoss < 3.4, "validation loss " + lstm.validationLoss);
        assertTrue(lstm.sample.startsWith("ROMEO:") && lstm.sample.length() == "ROMEO:".length() + 50, lstm.sample);

        Path checkpoint = dir.resolve("char-lstm.safetensors");
        SampleCommand sample = new SampleCommand();
        sample.out = capture();
        run(sample, "--checkpoint", checkpoint.toString(), "--prime", "KING", "--length", "30");
        assertTrue(sample.text.startsWith("KING") && sample.text.length() == 34, sample.text);

        CharLstmCommand resumed = new CharLstmCommand();
        resumed.out = capture();
        String[] more = common(small);
        String[] withResume = Arrays.copyOf(more, more.length + 2);
        withResume[more.length] = "--resume";
        withResume[more.length + 1] = checkpoint.toString();
        run(resumed, withResume);
        assertTrue(resumed.trainLoss < lstm.trainLoss, "resumed training should continue to lower the loss: "
                + lstm.trainLoss + " -> " + resumed.trainLoss);
    }

    @Test
    void classifyBeatsChance() {
        ClassifyCommand classify = new ClassifyCommand();
        classify.out = capture();
        run(classify, common("--iterations", "150"));
        assertTrue(classify.accuracy > 0.7, "accuracy " + classify.accuracy + " (chance about 0.33)");
    }

    @Test
    void seq2seqReversesShortStrings() {
        Seq2SeqCommand seq2seq = new Seq2SeqCommand();
        seq2seq.out = capture();
        run(seq2seq, common("--iterations", "300", "--max-length", "3", "--hidden", "64"));
        assertTrue(seq2seq.accuracy > 0.5, "exact-match accuracy " + seq2seq.accuracy);
    }

    @Test
    void captionDescribesTheImages() {
        CaptionCommand caption = new CaptionCommand();
        caption.out = capture();
        run(caption, common("--iterations", "300", "--show", "1"));
        assertTrue(caption.accuracy > 0.5, "caption accuracy " + caption.accuracy);
    }

    @Test
    void gradientFlowShowsVanishingAndTheLstmRecalls() {
        GradientFlowCommand flow = new GradientFlowCommand();
        flow.out = capture();
        run(flow, common("--delay", "40", "--iterations", "800", "--hidden", "32"));
        double[] small = flow.norms.get("RNN, singular values 0.9");
        assertTrue(small[0] < 1e-2 * small[small.length - 1], "a contracting RNN's gradient should vanish");
        double[] pytorchInit = flow.norms.get("LSTM, PyTorch init");
        double[] openForget = flow.norms.get("LSTM, forget bias 3.0");
        assertTrue(openForget[0] > 1e3 * pytorchInit[0], "an open forget gate should carry the gradient back");
        assertTrue(flow.lstmAccuracy > 0.9, "LSTM recall accuracy " + flow.lstmAccuracy);
        assertTrue(flow.lstmAccuracy > flow.rnnAccuracy + 0.2, "the LSTM should beat the vanilla RNN at the same budget: "
                + flow.lstmAccuracy + " vs " + flow.rnnAccuracy);
        assertTrue(Files.exists(dir.resolve("gradient-norms.png")));
    }
}
