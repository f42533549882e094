package dev.unroll.rnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.checkpoint.SafeTensors;
import dev.unroll.nn.layers.Embedding;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.State;
import dev.unroll.rnn.layer.CellType;
import dev.unroll.rnn.layer.Lstm;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.loss.SequenceLoss;
import dev.unroll.rnn.loss.StepMask;
import dev.unroll.rnn.sample.Sampler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class LanguageModelTest {

    private static final String VOCABULARY = "helo";

    private static int[] encode(String s) {
        return s.chars().map(VOCABULARY::indexOf).toArray();
    }

    /** The seeds' one-to-many task: from 'h' produce "ello", feeding each character back in. */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void eachCellTypeLearnsHelloWithinAFixedBudget(CellType type) {
        LanguageModel model = new LanguageModel(4, null, type.layer(4, 12, RecurrentOptions.defaults(), 7), 8);
        Adam adam = new Adam(model, 0.05);
        int[][] inputs = column(encode("hell"));
        int[][] targets = column(encode("ello"));
        for (int step = 0; step < 150; step++) {
            model.zeroGrad();
            try (Tape tape = Tape.record()) {
                tape.backward(model.loss(inputs, targets, null, Reduction.SUM).loss());
            }
            adam.step();
        }
        int[] generated = Sampler.argmax(model).generate(encode("h"), 4, Sampler.NO_END);
        assertEquals("ello", new StringBuilder().append(decode(generated)).toString());
    }

    private static int[][] column(int[] tokens) {
        int[][] out = new int[tokens.length][1];
        for (int t = 0; t < tokens.length; t++) {
            out[t][0] = tokens[t];
        }
        return out;
    }

    private static String decode(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            sb.append(VOCABULARY.charAt(t));
        }
        return sb.toString();
    }

    @Test
    void gradientsMatchFiniteDifferencesForOneHotAndEmbeddedInputs() {
        int[][] inputs = {{0, 2}, {1, 3}, {2, 2}};
        int[][] targets = {{1, 3}, {2, 2}, {3, 0}};
        LanguageModel vanilla = LanguageModel.vanilla(4, 3, 1);
        GradCheck.check(in -> vanilla.loss(inputs, targets, null, Reduction.SUM).loss(), vanilla.parameters(), 1e-6)
                .assertBelow(1e-6);
        LanguageModel lstm = LanguageModel.lstm(4, 2, 3, 2, 2);
        GradCheck.check(in -> lstm.loss(inputs, targets, null, Reduction.MEAN).loss(), lstm.parameters(), 1e-6)
                .assertBelow(1e-6);
    }

    /** The stacked (T*B) x V logits of forward go straight into a masked sequence loss. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void stackedLogitsFeedAMaskedSequenceLoss(int batch) {
        LanguageModel model = LanguageModel.lstm(5, 3, 4, 1, 9);
        int[][] inputs = batch == 1 ? new int[][] {{0}, {2}, {4}} : new int[][] {{0, 1, 2}, {2, 3, 3}, {4, 4, 0}};
        int[][] targets = batch == 1 ? new int[][] {{2}, {4}, {1}} : new int[][] {{2, 3, 3}, {4, 4, 0}, {1, 1, 1}};
        StepMask mask = StepMask.lengths(batch == 1 ? new int[] {2} : new int[] {3, 1, 2}, 3);
        Tensor stacked = model.forward(inputs, null).logits();
        List<Tensor> perStep = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            perStep.add(stacked.sliceRows(t * batch, (t + 1) * batch));
        }
        double masked = SequenceLoss.crossEntropy(stacked, targets, mask, Reduction.MEAN).item();
        assertEquals(SequenceLoss.crossEntropy(perStep, targets, mask, Reduction.MEAN).item(), masked, 1e-14);
        double all = SequenceLoss.crossEntropy(stacked, targets, StepMask.all(3, batch), Reduction.MEAN).item();
        assertEquals(model.loss(inputs, targets, null, Reduction.MEAN).loss().item(), all, 1e-14);
        assertTrue(Math.abs(all - masked) > 1e-6, "the mask leaves steps out");
        GradCheck.check(in -> SequenceLoss.crossEntropy(model.forward(inputs, null).logits(), targets, mask,
                Reduction.MEAN), model.parameters(), 1e-6).assertBelow(1e-6);
    }

    @Test
    void steppingGivesTheSameLogitsAsTheWholeSequence() {
        LanguageModel model = LanguageModel.gru(5, 3, 4, 2, 3);
        int[][] tokens = {{1}, {4}, {0}};
        LanguageModel.Output whole = model.forward(tokens, null);
        List<State> state = model.initialState(1);
        for (int t = 0; t < 3; t++) {
            dev.unroll.rnn.TokenModel.Step step = model.step(tokens[t], state);
            assertArrayEquals(whole.logits().sliceRows(t, t + 1).data(), step.logits().data(), 1e-13);
            state = step.state();
        }
        LanguageModel vanilla = LanguageModel.vanilla(5, 4, 4);
        LanguageModel.Output oneHot = vanilla.forward(tokens, null);
        assertArrayEquals(vanilla.step(tokens[0], vanilla.initialState(1)).logits().data(),
                oneHot.logits().sliceRows(0, 1).data(), 1e-13);
    }

    @Test
    void mismatchedSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LanguageModel(5, null,
                CellType.LSTM.layer(4, 3, RecurrentOptions.defaults(), 1), 1));
        assertThrows(IllegalArgumentException.class, () -> new LanguageModel(4, null,
                CellType.LSTM.layer(4, 3, RecurrentOptions.defaults().bidirectional(), 1), 1));
        LanguageModel m = LanguageModel.vanilla(4, 3, 1);
        assertThrows(IllegalArgumentException.class, () -> m.loss(new int[][] {{0}}, new int[][] {{1}, {2}}, null,
                Reduction.SUM));
    }

    @Test
    void aTokenOutsideTheVocabularyIsRefusedNamingTheVocabulary() {
        LanguageModel embedded = LanguageModel.lstm(10, 4, 8, 1, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> embedded.forward(new int[][] {{3, 10}}, null));
        assertTrue(e.getMessage().startsWith("Embedding: token id 10 at position 1 is outside the vocabulary of 10 tokens "
                + "(ids 0 to 9)"), e.getMessage());
        LanguageModel oneHot = LanguageModel.vanilla(10, 8, 3);
        e = assertThrows(IllegalArgumentException.class, () -> oneHot.step(new int[] {-1}, oneHot.initialState(1)));
        assertTrue(e.getMessage().startsWith("LanguageModel: token id -1 is outside the vocabulary of 10 tokens"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> oneHot.forward(new int[][] {{12}}, null));
    }

    @TempDir
    Path dir;

    private static final int[][] TIED_INPUTS = {{0, 4}, {3, 3}, {1, 2}};
    private static final int[][] TIED_TARGETS = {{3, 3}, {1, 2}, {2, 0}};

    /** The output layer's weight is the embedding's table: listed once, its gradient the sum of both uses. */
    @Test
    void aTiedModelSharesOneTableAndItsGradientsMatchFiniteDifferences() {
        LanguageModel tied = LanguageModel.tiedLstm(5, 3, 2, 0.0, 4);
        assertTrue(tied.isTied());
        Map<String, Parameter> named = tied.namedParameters();
        assertTrue(named.containsKey("embedding.weight") && named.containsKey("head.bias"));
        assertTrue(!named.containsKey("head.weight"), "the tied table is listed once, under its first path");
        assertEquals(LanguageModel.lstm(5, 3, 3, 2, 4).parameterCount() - 5 * 3, tied.parameterCount());
        GradCheck.check(in -> tied.loss(TIED_INPUTS, TIED_TARGETS, null, Reduction.MEAN).loss(), tied.parameters(), 1e-6)
                .assertBelow(1e-6);

        // an LSTM projected to the embedding's width ties too
        LanguageModel projected = LanguageModel.tied(new Embedding(5, 2, 1),
                new Lstm(2, 4, RecurrentOptions.defaults().layers(2).projection(2), 2), 0.0, 3);
        GradCheck.check(in -> projected.loss(TIED_INPUTS, TIED_TARGETS, null, Reduction.SUM).loss(),
                projected.parameters(), 1e-6).assertBelow(1e-6);
    }

    @Test
    void theTiedTablesGradientIsTheSumOfItsUseAsEmbeddingAndAsOutputLayer() {
        LanguageModel tied = LanguageModel.tiedLstm(5, 3, 1, 0.0, 6);
        double[] table = tied.namedParameters().get("embedding.weight").data();
        // the same weights, untied: the head gets a copy of the table
        LanguageModel untied = LanguageModel.lstm(5, 3, 3, 1, 0);
        Map<String, Parameter> target = untied.namedParameters();
        tied.namedParameters().forEach((name, p) -> System.arraycopy(p.data(), 0, target.get(name).data(), 0, p.size()));
        System.arraycopy(table, 0, target.get("head.weight").data(), 0, table.length);
        for (LanguageModel m : List.of(tied, untied)) {
            m.zeroGrad();
            try (Tape tape = Tape.record()) {
                tape.backward(m.loss(TIED_INPUTS, TIED_TARGETS, null, Reduction.SUM).loss());
            }
        }
        double[] asInput = target.get("embedding.weight").grad().data();
        double[] asOutput = target.get("head.weight").grad().data();
        double[] sum = new double[table.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = asInput[i] + asOutput[i];
        }
        assertArrayEquals(sum, tied.namedParameters().get("embedding.weight").grad().data(), 1e-13);
    }

    @Test
    void tyingAnOutputOfAnotherWidthIsRefusedNamingBothSizesAndTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LanguageModel.tied(
                new Embedding(7, 4, 1), new Lstm(4, 6, RecurrentOptions.defaults(), 2), 0.2, 3));
        assertEquals("LanguageModel.tied: the recurrent layer outputs 6 features but the embedding has 4 columns; the tied "
                + "head multiplies the one by the other, so make the last layer's hidden size 4, or project an LSTM's "
                + "output to 4 (RecurrentOptions.projection(4))", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LanguageModel.tiedLstm(7, 4, 1, 1.0, 1));
    }

    /** The checkpoint holds the table once; a model loading it is tied again and computes the same logits. */
    @Test
    void aTiedCheckpointStoresTheTableOnceAndRestoresTheTie() throws IOException {
        LanguageModel saved = LanguageModel.tiedLstm(5, 3, 2, 0.3, 8);
        Path file = dir.resolve("tied.safetensors");
        Checkpoint.save(file, saved);
        assertEquals(List.of("embedding.weight", "head.bias"), SafeTensors.read(file).tensors().keySet().stream()
                .filter(k -> !k.startsWith("rnn.")).sorted().toList());
        LanguageModel loaded = LanguageModel.tiedLstm(5, 3, 2, 0.3, 9);
        Checkpoint.load(file, loaded);
        assertTrue(loaded.isTied());
        saved.eval();
        loaded.eval();
        assertArrayEquals(saved.forward(TIED_INPUTS, null).logits().data(), loaded.forward(TIED_INPUTS, null).logits().data(),
                0);
        assertTrue(loaded.namedParametersWithDuplicates().get("head.weight") == loaded.namedParameters().get("embedding.weight"),
                "the head's weight is the loaded table itself, not a copy");
    }

    /** Dropout on the embedded input and the output is seeded, on in training and off in evaluation. */
    @Test
    void aTiedModelsDropoutIsSeededAndOffInEvaluation() {
        LanguageModel a = LanguageModel.tiedLstm(5, 3, 2, 0.5, 10);
        LanguageModel b = LanguageModel.tiedLstm(5, 3, 2, 0.5, 10);
        double[] trainingA = a.forward(TIED_INPUTS, null).logits().data();
        assertArrayEquals(trainingA, b.forward(TIED_INPUTS, null).logits().data(), 0, "same seed, same masks");
        assertTrue(!Arrays.equals(trainingA, a.forward(TIED_INPUTS, null).logits().data()), "a new mask each call");
        a.eval();
        double[] evaluated = a.forward(TIED_INPUTS, null).logits().data();
        assertArrayEquals(evaluated, a.forward(TIED_INPUTS, null).logits().data(), 0);
        assertTrue(!Arrays.equals(trainingA, evaluated));
        List<State> state = a.initialState(2);
        assertArrayEquals(Arrays.copyOf(evaluated, 2 * 5), a.step(TIED_INPUTS[0], state).logits().data(), 1e-13,
                "stepping gives the whole sequence's logits");
    }
}
