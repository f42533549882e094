package dev.unroll.samples.programs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Randomness;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.checkpoint.SafeTensors;
import dev.unroll.rnn.data.WordVocabulary;
import dev.unroll.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Every sample, run through its command line at a small budget: it must finish, write its files,
 * and learn. Each threshold sits between what the implementation measured at the test's budget
 * and what a model that learned nothing the task needs reaches (a unigram model of the text, a
 * uniform attention), so a broken op, layer or optimizer shows up here as well as in the unit
 * tests. The figures were measured on the project's 2-core VM.
 */
class SamplesLearnTest {

    /** Entropy of the bundled text's character frequencies, nats/char: the loss of a unigram (bias-only) model. */
    private static final double UNIGRAM_TRAIN = 3.309;
    /** The same unigram model's cross-entropy on the 10 % validation split. */
    private static final double UNIGRAM_VALIDATION = 3.347;
    /** Perplexity of word-lm's add-one unigram model on its validation split (default tokenizer and vocabulary). */
    private static final double UNIGRAM_WORDS = 158.5;

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
        return Stream.concat(Stream.of("--quiet", "--out", dir.toString()), Stream.of(args)).toArray(String[]::new);
    }

    private static String[] with(String[] args, String... more) {
        return Stream.concat(Stream.of(args), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void helloLearnsTheWord() {
        HelloCommand hello = new HelloCommand();
        hello.out = capture();
        run(hello, common());
        assertEquals("hello", hello.word);
        assertTrue(Files.exists(dir.resolve("hello.safetensors")));
        assertTrue(Files.exists(dir.resolve("hello-loss.png")));
    }

    @Test
    void helloLearnsTheWordInFloat32AndSavesAFloat32Checkpoint() throws Exception {
        HelloCommand hello = new HelloCommand();
        hello.out = capture();
        run(hello, common("--dtype", "float32"));
        assertEquals("hello", hello.word);
        byte[] file = Files.readAllBytes(dir.resolve("hello.safetensors"));
        assertTrue(new String(file, StandardCharsets.UTF_8).contains("\"F32\""), "parameters stored as F32");
    }

    /**
     * 3,000 updates of 25 characters, about 2 s. Measured: a mean loss of 2.30 nats/char over the
     * last 50 updates (2.31 and 2.34 with seeds 2 and 3), with min-char-rnn's single hidden bias;
     * the threshold is 2.7; a unigram model
     * reaches 3.31 nats/char, a uniform guess 4.17. The smooth loss is not asserted: it starts at
     * the uniform loss and forgets it only by 0.999 per update, so at this budget it mostly
     * measures its own start.
     */
    @Test
    void minCharRnnLearnsMoreThanCharacterFrequencies() {
        MinCharRnnCommand rnn = new MinCharRnnCommand();
        rnn.out = capture();
        run(rnn, common("--iterations", "3000", "--print-every", "100000"));
        double perChar = rnn.recentLoss / 25;
        assertTrue(perChar < 2.7, "mean loss of the last updates " + perChar
                + " nats/char; a unigram model reaches " + UNIGRAM_TRAIN);
    }

    @Test
    void minCharRnnResumesExactlyWhereItStopped() throws IOException {
        String[] options = {"--quiet", "--print-every", "100000", "--hidden", "32"};
        MinCharRnnCommand straight = new MinCharRnnCommand();
        straight.out = capture();
        run(straight, with(options, "--out", dir.resolve("straight").toString(), "--iterations", "300"));

        MinCharRnnCommand half = new MinCharRnnCommand();
        half.out = capture();
        run(half, with(options, "--out", dir.resolve("resumed").toString(), "--iterations", "150"));
        MinCharRnnCommand resumed = new MinCharRnnCommand();
        resumed.out = capture();
        Path checkpoint = dir.resolve("resumed/min-char-rnn.safetensors");
        run(resumed, with(options, "--out", dir.resolve("resumed").toString(), "--iterations", "300",
                "--resume", checkpoint.toString()));
        // the smooth loss, the hidden state and the data position come back from the checkpoint's metadata
        assertEquals(straight.smoothLoss, resumed.smoothLoss, 1e-9);
        assertEquals(Checkpoint.metadata(dir.resolve("straight/min-char-rnn.safetensors")).get("hidden_state"),
                Checkpoint.metadata(checkpoint).get("hidden_state"));
    }

    /**
     * 200 updates of 16 x 32 characters by a 1-layer LSTM of 64, about 4 s. Measured: training loss
     * 2.170 (mean of the last 50 updates), validation loss 2.177 nats/char over the whole 10 %
     * split; the threshold is 2.6 for both; a unigram model reaches 3.309 (training) and 3.347
     * (validation), a bigram model 2.45 (training).
     */
    @Test
    void charLstmLearnsAndItsCheckpointSamplesAndResumes() throws IOException {
        CharLstmCommand lstm = new CharLstmCommand();
        lstm.out = capture();
        String[] small = {"--hidden", "64", "--layers", "1", "--embedding", "16", "--batch", "16",
            "--steps", "32", "--lr", "0.01", "--eval-every", "1000", "--length", "50"};
        run(lstm, with(common(small), "--iterations", "200"));
        CharTraining.Outcome trained = lstm.outcome;
        assertTrue(trained.trainLoss() < 2.6, "training loss " + trained.trainLoss() + " (unigram " + UNIGRAM_TRAIN + ")");
        assertTrue(trained.validationLoss() < 2.6, "validation loss " + trained.validationLoss()
                + " (unigram " + UNIGRAM_VALIDATION + ")");
        assertTrue(trained.sample().startsWith("ROMEO:") && trained.sample().length() == "ROMEO:".length() + 50,
                trained.sample());

        Path checkpoint = dir.resolve("char-lstm.safetensors");
        SampleCommand sample = new SampleCommand();
        sample.out = capture();
        run(sample, "--checkpoint", checkpoint.toString(), "--prime", "KING", "--length", "30");
        assertTrue(sample.text.startsWith("KING") && sample.text.length() == 34, sample.text);

        // --iterations is a total: the same command with --resume trains nothing, says so, and
        // reports the checkpoint's loss rather than a mean of no iterations
        CharLstmCommand idle = new CharLstmCommand();
        idle.out = capture();
        run(idle, with(common(small), "--iterations", "200", "--resume", checkpoint.toString()));
        assertEquals("200", Checkpoint.metadata(checkpoint).get(Trainer.ITERATION));
        assertEquals(lstm.outcome.trainLoss(), idle.outcome.trainLoss(), 1e-12);
        assertTrue(printed().contains("pass --iterations 400 to train 200 more"), printed());

        CharLstmCommand resumed = new CharLstmCommand();
        resumed.out = capture();
        run(resumed, with(common(small), "--resume", checkpoint.toString(), "--iterations", "260"));
        assertEquals("260", Checkpoint.metadata(checkpoint).get(Trainer.ITERATION));
        assertEquals(260, Files.readAllLines(dir.resolve("char-lstm-loss.csv")).stream()
                .filter(line -> line.startsWith("train,")).count(), "one loss point per iteration, 200 then 60 more");
        double more = resumed.outcome.trainLoss();
        assertTrue(more > 1 && more < trained.trainLoss(), "60 more iterations should lower the loss of the last ones: "
                + trained.trainLoss() + " -> " + more);
    }

    /**
     * The 25-line cell of custom-cell at char-lstm's CI budget (200 updates of 16 x 32 characters,
     * 1 layer of 64), about 7 s. Measured: training loss 2.170, validation loss 2.181 nats/char
     * (seeds 2 and 3: 2.144 / 2.170 and 2.161 / 2.172); the threshold is 2.25 for both. The same
     * cell broken measured: without its h in the gates (only c carried) 2.298 / 2.301, without
     * any state 2.519 / 2.551; a unigram model reaches 3.309 / 3.347.
     */
    @Test
    void customCellLearnsAndGeneratesTheSameTextAfterItsCheckpointIsLoaded() throws IOException {
        CustomCellCommand cell = new CustomCellCommand();
        cell.out = capture();
        run(cell, common("--hidden", "64", "--layers", "1", "--embedding", "16", "--batch", "16", "--steps", "32",
                "--lr", "0.01", "--eval-every", "1000", "--length", "50", "--iterations", "200"));
        CharTraining.Outcome trained = cell.outcome;
        assertTrue(trained.trainLoss() < 2.25, "training loss " + trained.trainLoss() + " (without h in its gates: 2.30)");
        assertTrue(trained.validationLoss() < 2.25, "validation loss " + trained.validationLoss()
                + " (without h in its gates: 2.30)");
        assertTrue(trained.sample().startsWith("ROMEO:") && trained.sample().length() == "ROMEO:".length() + 50,
                trained.sample());
        assertEquals(trained.sample(), cell.sampleOfLoaded, "the loaded model generates the same text");
        assertTrue(printed().contains("rnn: RecurrentLayer (16 -> 64, layers=1, cell=CoupledLstmCell)"), printed());
        assertEquals("custom-cell", Checkpoint.metadata(dir.resolve("custom-cell.safetensors")).get("model"));
    }

    /**
     * word-lm at a small budget: 150 updates of 20 streams x 35 words by a tied 1-layer LSTM of 32
     * (Adam 0.01), about 25 s of CPU. Measured: validation perplexity 115.3 over the whole
     * validation split (117.9 and 115.5 with seeds 2 and 3); the threshold is 140; the add-one unigram model over the same vocabulary
     * has 158.5 on the same words (a model that learned only word frequencies cannot go below
     * about that).
     */
    @Test
    void wordLmBeatsAUnigramModelAndSavesItsVocabularyWithTheTiedTableOnce() throws IOException {
        WordLmCommand words = new WordLmCommand();
        words.out = capture();
        run(words, common("--iterations", "150", "--size", "32", "--layers", "1", "--lr", "0.01",
                "--eval-every", "1000", "--length", "20"));
        assertEquals(UNIGRAM_WORDS, words.unigramPerplexity, 0.05, "the unigram baseline of the default split and vocabulary");
        assertTrue(words.validationPerplexity < 140, "validation perplexity " + words.validationPerplexity
                + " (unigram " + words.unigramPerplexity + ")");
        assertTrue(words.sample.startsWith("ROMEO:"), words.sample);
        Path checkpoint = dir.resolve("word-lm.safetensors");
        WordVocabulary restored = WordVocabulary.fromMetadata(Checkpoint.metadata(checkpoint), "vocabulary.");
        assertEquals(words.vocabulary.size(), restored.size());
        assertEquals(words.vocabulary.word(restored.size() - 1), restored.word(restored.size() - 1));
        Set<String> stored = SafeTensors.read(checkpoint).tensors().keySet();
        assertTrue(stored.contains("embedding.weight") && !stored.contains("head.weight"), "the tied table once: " + stored);

        SampleCommand sample = new SampleCommand();
        sample.out = capture();
        run(sample, "--checkpoint", checkpoint.toString(), "--length", "20");
        assertEquals(words.sample, sample.text, "the checkpoint samples the words the run printed (same seed, prime, temperature)");

        SafeTensors.Contents contents = SafeTensors.read(checkpoint);
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        metadata.put("layers", "two");
        SafeTensors.write(checkpoint, contents.tensors(), metadata);
        SampleCommand refused = new SampleCommand();
        refused.checkpoint = checkpoint;
        refused.temperature = 0.8;
        refused.prime = "ROMEO:";
        refused.length = 5;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, refused::call);
        assertEquals("this word-lm checkpoint's metadata 'layers' is 'two', not a number; was it written by another program?",
                e.getMessage());
    }

    @Test
    void charLstmOnTwoWorkersTrainsAsOnOne() {
        String[] tiny = {"--hidden", "16", "--layers", "1", "--embedding", "8", "--batch", "6", "--steps", "8",
            "--eval-every", "1000", "--eval-chunks", "2", "--length", "5", "--iterations", "5"};
        CharLstmCommand one = new CharLstmCommand();
        one.out = capture();
        run(one, with(tiny, "--quiet", "--out", dir.resolve("one").toString()));
        CharLstmCommand two = new CharLstmCommand();
        two.out = capture();
        run(two, with(tiny, "--quiet", "--out", dir.resolve("two").toString(), "--workers", "2"));
        assertEquals(one.outcome.trainLoss(), two.outcome.trainLoss(), 1e-9 * one.outcome.trainLoss(),
                "the mean loss over the whole batch");
        assertEquals(one.outcome.validationLoss(), two.outcome.validationLoss(), 1e-9 * one.outcome.validationLoss());
    }

    @Test
    void charLstmOnSparkWritesTheCheckpointOfTheThreadsByteForByte() throws IOException {
        String[] tiny = {"--hidden", "16", "--layers", "1", "--embedding", "8", "--batch", "6", "--steps", "8",
            "--eval-every", "1000", "--eval-chunks", "2", "--length", "5", "--iterations", "4", "--workers", "2"};
        CharLstmCommand threads = new CharLstmCommand();
        threads.out = capture();
        run(threads, with(tiny, "--quiet", "--out", dir.resolve("threads").toString()));
        CharLstmCommand spark = new CharLstmCommand();
        spark.out = capture();
        run(spark, with(tiny, "--quiet", "--out", dir.resolve("spark").toString(), "--spark", "local[2]"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("threads/char-lstm.safetensors")),
                Files.readAllBytes(dir.resolve("spark/char-lstm.safetensors")), "the same parameters and Adam state, "
                + "the LSTM state carried chunk to chunk on each shard's executor as on its thread");
        assertEquals(threads.outcome.trainLoss(), spark.outcome.trainLoss(), 0.0, "the mean loss over the whole batch");
    }

    @Test
    void charLstmTreatsAnEmojiAsOneCharacter() throws IOException {
        Path text = dir.resolve("emoji.txt");
        Files.writeString(text, "ab😀cd🎭 ".repeat(200), StandardCharsets.UTF_8);
        CharLstmCommand lstm = new CharLstmCommand();
        lstm.out = capture();
        run(lstm, common("--text", text.toString(), "--iterations", "30", "--hidden", "16", "--layers", "1",
                "--embedding", "8", "--batch", "4", "--steps", "16", "--lr", "0.02", "--prime", "😀", "--length", "20"));
        assertTrue(printed().contains("(7 unique)"), printed());
        assertEquals(21, lstm.outcome.sample().codePointCount(0, lstm.outcome.sample().length()), lstm.outcome.sample());
        SampleCommand sample = new SampleCommand();
        sample.out = capture();
        run(sample, "--checkpoint", dir.resolve("char-lstm.safetensors").toString(), "--prime", "🎭", "--length", "12");
        assertEquals(13, sample.text.codePointCount(0, sample.text.length()), sample.text);
        assertTrue(sample.text.chars().noneMatch(c -> Character.isSurrogate((char) c) && !paired(sample.text, c)));
    }

    private static boolean paired(String s, int unit) {
        return s.codePoints().anyMatch(cp -> Character.charCount(cp) == 2 && (Character.highSurrogate(cp) == unit
                || Character.lowSurrogate(cp) == unit));
    }

    @Test
    void classifyBeatsChance() {
        ClassifyCommand classify = new ClassifyCommand();
        classify.out = capture();
        run(classify, common("--iterations", "150"));
        assertTrue(classify.accuracy > 0.7, "accuracy " + classify.accuracy + " (chance about 0.33)");
    }

    /**
     * --cell takes every shipped cell, and --zoneout, --variational-dropout, --no-bias and
     * --projection apply to it. Measured after 150 steps: MGU 97.9 %, layer-norm LSTM with zoneout
     * and variational dropout 0.1 100.0 %, LSTM without bias projected to 16 units 98.7 % (chance
     * about 33 %).
     */
    @ParameterizedTest
    @ValueSource(strings = {"--cell MGU", "--cell LAYER_NORM_LSTM --zoneout 0.1 --variational-dropout 0.1",
        "--cell LSTM --no-bias --projection 16"})
    void classifyLearnsWithTheCellAndSettingsChosen(String cell) throws IOException {
        ClassifyCommand classify = new ClassifyCommand();
        classify.out = capture();
        run(classify, with(common("--iterations", "150"), cell.split(" ")));
        assertTrue(classify.accuracy > 0.7, cell + ": accuracy " + classify.accuracy + " (chance about 0.33)");
        assertEquals(classify.cell.describe(), Checkpoint.metadata(dir.resolve("classify.safetensors")).get("cell"));
    }

    @Test
    void heldOutStringsAreNeverTrainedOn() {
        ClassifyCommand classify = new ClassifyCommand();
        classify.minLength = 3;
        classify.maxLength = 5;
        Set<List<Integer>> trained = new HashSet<>();
        RandomGenerator rng = Randomness.seeded(1);
        for (int i = 0; i < 100; i++) {
            ClassifyCommand.Batch b = classify.batch(32, rng, false);
            trained.addAll(strings(b.tokens(), b.lengths()));
        }
        ClassifyCommand.Batch test = classify.batch(300, Randomness.seeded(2), true);
        assertDisjoint(trained, strings(test.tokens(), test.lengths()));

        Seq2SeqCommand seq2seq = new Seq2SeqCommand();
        seq2seq.maxLength = 3;
        Set<List<Integer>> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Seq2SeqCommand.Batch b = seq2seq.batch(32, rng, false);
            seen.addAll(strings(b.source(), b.sourceLengths()));
        }
        Seq2SeqCommand.Batch heldOut = seq2seq.batch(300, Randomness.seeded(2), true);
        assertDisjoint(seen, strings(heldOut.source(), heldOut.sourceLengths()));
    }

    private static void assertDisjoint(Set<List<Integer>> trained, List<List<Integer>> heldOut) {
        assertTrue(trained.size() > 100, "the training draws should cover many short strings");
        assertFalse(heldOut.isEmpty());
        for (List<Integer> s : heldOut) {
            assertFalse(trained.contains(s), "held-out string " + s + " was also drawn for training");
        }
    }

    /** The sequences of a padded batch tokens[t][b], each cut at its length. */
    private static List<List<Integer>> strings(int[][] tokens, int[] lengths) {
        return java.util.stream.IntStream.range(0, lengths.length)
                .mapToObj(b -> Arrays.stream(tokens).limit(lengths[b]).map(step -> step[b]).toList()).toList();
    }

    @Test
    void seq2seqReversesShortStrings() {
        Seq2SeqCommand seq2seq = new Seq2SeqCommand();
        seq2seq.out = capture();
        run(seq2seq, common("--iterations", "300", "--max-length", "3", "--hidden", "64"));
        assertTrue(seq2seq.accuracy > 0.5, "exact-match accuracy " + seq2seq.accuracy);
    }

    /**
     * Keras' two-digit setting (5,000 questions, 500 held out) for 3 epochs of 141 updates of 32 at
     * a learning rate of 0.02 (annealed over the 3 epochs), 10 s (35 s on a busy VM). Measured: 19.4 % of the
     * held-out questions answered exactly greedily, 19.4 % by beam search of width 3, 28.2 % of the
     * training questions (seed 2: 20.4, 19.2 and 28.4 %); the thresholds are 10 % held out and 15 %
     * trained on. Answering every question with the most frequent sum (98 or 100) gets 1 % right.
     */
    @Test
    void additionAnswersHeldOutQuestions() {
        AdditionCommand addition = new AdditionCommand();
        addition.out = capture();
        run(addition, common("--digits", "2", "--questions", "5000", "--epochs", "3", "--batch", "32", "--lr", "0.02"));
        assertTrue(addition.greedy.exactMatch() > 0.1, "held-out exact match, greedy: " + addition.greedy.exactMatch());
        assertTrue(addition.beamSearch.exactMatch() > 0.1, "held-out exact match, beam: " + addition.beamSearch.exactMatch());
        assertTrue(addition.training.exactMatch() > 0.15, "training exact match: " + addition.training.exactMatch());
        assertTrue(printed().contains("epoch 3: validation loss"), printed());
    }

    /**
     * Same seed, same bits: two runs write the same checkpoint and decode the same answers; resuming
     * the finished run reads its loss curve back (every series) and answers as it did.
     */
    @Test
    void additionTrainsTheSameBitsTwice() throws IOException {
        String[] tiny = {"--quiet", "--digits", "1", "--questions", "40", "--epochs", "2", "--batch", "8", "--hidden", "8",
            "--embedding", "4", "--seed", "7"};
        AdditionCommand first = new AdditionCommand();
        first.out = capture();
        run(first, with(tiny, "--out", dir.resolve("first").toString()));
        AdditionCommand second = new AdditionCommand();
        second.out = capture();
        run(second, with(tiny, "--out", dir.resolve("second").toString()));
        assertArrayEquals(Files.readAllBytes(dir.resolve("first/addition.safetensors")),
                Files.readAllBytes(dir.resolve("second/addition.safetensors")));
        assertEquals(first.beamSearch.answers(), second.beamSearch.answers());
        AdditionCommand resumed = new AdditionCommand();
        resumed.out = capture();
        run(resumed, with(tiny, "--resume", dir.resolve("first").toString()));
        assertTrue(printed().contains("nothing to train"), printed());
        assertEquals(first.beamSearch.answers(), resumed.beamSearch.answers());
        AdditionCommand otherQuestions = new AdditionCommand();
        otherQuestions.out = capture();
        int exit = new CommandLine(otherQuestions).setOut(new PrintWriter(printed, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(printed, true, StandardCharsets.UTF_8))
                .execute(with(String.join(" ", tiny).replace("--questions 40", "--questions 30").split(" "), "--resume",
                        dir.resolve("first").toString()));
        assertNotEquals(0, exit, "resuming on other questions is refused");
        assertTrue(printed().contains("pass --questions 40 to continue on the same questions"), printed());
        assertEquals(2, Files.readAllLines(dir.resolve("first/addition-loss.csv")).stream()
                .filter(line -> line.startsWith(AdditionCommand.EXACT_MATCH + ",")).count(), "one point per epoch");
    }

    /**
     * 200 steps of 32 images, about 5 s. Measured: 100 % of 500 held-out captions exactly right
     * (99.8 % after 150 steps); the threshold is 90 %; with uniform attention the decoder gets
     * about 56 % right.
     */
    @Test
    void captionDescribesTheImages() {
        CaptionCommand caption = new CaptionCommand();
        caption.out = capture();
        run(caption, common("--iterations", "200", "--show", "1"));
        assertTrue(caption.accuracy > 0.9, "caption accuracy " + caption.accuracy
                + " (uniform attention: about 0.56)");
    }

    @Test
    void gradientFlowShowsVanishingAndTheLstmRecalls() {
        GradientFlowCommand flow = new GradientFlowCommand();
        flow.out = capture();
        run(flow, common("--delay", "40", "--iterations", "800", "--hidden", "32"));
        double[] small = flow.norms.get("RNN (singular values 0.9)");
        assertTrue(small[0] < 1e-2 * small[small.length - 1], "a contracting RNN's gradient should vanish");
        double[] pytorchInit = flow.norms.get("LSTM (PyTorch init)");
        double[] openForget = flow.norms.get("LSTM (forget bias 3.0)");
        assertTrue(openForget[0] > 1e3 * pytorchInit[0], "an open forget gate should carry the gradient back");
        assertTrue(flow.lstmAccuracy > 0.9, "LSTM recall accuracy " + flow.lstmAccuracy);
        assertTrue(flow.lstmAccuracy > flow.rnnAccuracy + 0.2, "the LSTM should beat the vanilla RNN at the same budget: "
                + flow.lstmAccuracy + " vs " + flow.rnnAccuracy);
        for (String file : List.of("gradient-norms.png", "recall-lstm.safetensors", "recall-rnn.safetensors",
                "recall-lstm-loss.png")) {
            assertTrue(Files.exists(dir.resolve(file)), "gradient-flow should write " + file + " in its run directory");
        }
    }
}
