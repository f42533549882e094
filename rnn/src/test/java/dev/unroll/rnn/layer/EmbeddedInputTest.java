package dev.unroll.rnn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.layers.Embedding;
import dev.unroll.rnn.SequenceOutput;
import dev.unroll.rnn.State;
import dev.unroll.rnn.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link RecurrentLayer#forwardEmbedded}, which projects the embedding table instead of its
 * looked-up rows, against the layer run over the looked-up rows: the same outputs, states and
 * gradients up to rounding, for every cell type, both directions and ragged lengths.
 */
class EmbeddedInputTest {

    private static final int VOCABULARY = 5;

    /** 4 steps of 3 sequences: 12 tokens, more than the table's 5 rows, so the table is projected. */
    private static final int[][] TOKENS = {{0, 4, 2}, {1, 1, 3}, {4, 0, 0}, {2, 3, 1}};

    @ParameterizedTest
    @EnumSource(CellType.class)
    void projectingTheTableGivesTheLookedUpRowsResultAndGradients(CellType type) {
        compare(type.layer(3, 4, RecurrentOptions.defaults().layers(2), 11), null, DType.F64, 1e-13);
    }

    @Test
    void bidirectionalWithRaggedLengthsAgrees() {
        compare(CellType.LSTM.layer(3, 4, RecurrentOptions.defaults().bidirectional(), 12), new int[] {4, 2, 3},
                DType.F64, 1e-13);
    }

    @Test
    void float32AgreesToFloat32Rounding() {
        compare(CellType.LSTM.layer(3, 4, RecurrentOptions.defaults().layers(2), 13), null, DType.F32, 1e-5);
    }

    /** Runs the layer both ways on one table and compares every output, final state part and gradient. */
    private static void compare(RecurrentLayer layer, int[] lengths, DType dtype, double tolerance) {
        layer.to(dtype);
        Embedding embedding = new Embedding(VOCABULARY, 3, Embedding.NO_PADDING, new SplittableRandom(5));
        embedding.to(dtype);
        Parameter table = embedding.weight();
        List<Tensor> leaves = new ArrayList<>(layer.parameters());
        leaves.add(table);
        Result direct = run(leaves, () -> layer.forwardEmbedded(table, TOKENS, null, lengths));
        Result lookedUp = run(leaves, () -> {
            List<Tensor> rows = new ArrayList<>();
            for (int[] step : TOKENS) {
                rows.add(ShapeOps.gatherRows(table, step));
            }
            return layer.forward(rows, null, lengths);
        });
        assertClose(lookedUp.values, direct.values, tolerance);
        assertClose(lookedUp.gradients, direct.gradients, tolerance);
    }

    private record Result(List<double[]> values, List<double[]> gradients) {
    }

    /** Forward, a loss of every output and final state part (weighted so no gradient is uniform), backward. */
    private static Result run(List<Tensor> leaves, Supplier<SequenceOutput> forward) {
        for (Tensor leaf : leaves) {
            leaf.zeroGrad();
        }
        List<double[]> values = new ArrayList<>();
        try (Tape tape = Tape.record()) {
            SequenceOutput out = forward.get();
            List<Tensor> all = new ArrayList<>(out.outputs());
            for (State s : out.finalStates()) {
                all.addAll(s.parts());
            }
            Tensor loss = null;
            SplittableRandom weights = new SplittableRandom(3);
            for (Tensor t : all) {
                values.add(t.to(DType.F64).data().clone());
                Tensor w = Tensor.uniform(t.rows(), t.cols(), -1, 1, weights.nextLong()).to(t.dtype());
                Tensor term = t.mul(w).sum();
                loss = loss == null ? term : loss.add(term);
            }
            tape.backward(loss);
        }
        List<double[]> gradients = new ArrayList<>();
        for (Tensor leaf : leaves) {
            gradients.add(leaf.grad().to(DType.F64).data().clone());
        }
        return new Result(values, gradients);
    }

    private static void assertClose(List<double[]> expected, List<double[]> actual, double tolerance) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            double[] e = expected.get(i);
            double[] a = actual.get(i);
            assertEquals(e.length, a.length);
            double scale = 0;
            for (double v : e) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int k = 0; k < e.length; k++) {
                assertEquals(e[k], a[k], tolerance * Math.max(1, scale), "tensor " + i + ", element " + k);
            }
        }
    }

    @Test
    void gradientsThroughTheProjectedTableMatchFiniteDifferences() {
        RecurrentLayer layer = CellType.GRU.layer(3, 4, RecurrentOptions.defaults(), 14);
        Parameter table = Parameter.of(Tensor.uniform(VOCABULARY, 3, -1, 1, 6));
        List<Tensor> leaves = new ArrayList<>(layer.parameters());
        leaves.add(table);
        Function<List<Tensor>, Tensor> loss = in -> {
            SequenceOutput out = layer.forwardEmbedded(table, TOKENS, null, null);
            Tensor sum = null;
            for (Tensor h : out.outputs()) {
                Tensor s = h.mul(h).sum();
                sum = sum == null ? s : sum.add(s);
            }
            return sum;
        };
        GradCheck.check(loss, leaves, 1e-6).assertBelow(1e-7);
    }

    @Test
    void aLanguageModelReadsItsTableOnlyWhenNothingComesBetweenLookupAndLayer() {
        LanguageModel plain = LanguageModel.lstm(VOCABULARY, 3, 4, 1, 2);
        LanguageModel padded = new LanguageModel(VOCABULARY,
                new Embedding(VOCABULARY, 3, 0, new SplittableRandom(2)), CellType.LSTM.layer(3, 4,
                RecurrentOptions.defaults(), 3), 4);
        for (LanguageModel model : List.of(plain, padded)) {
            model.zeroGrad();
            try (Tape tape = Tape.record()) {
                tape.backward(model.loss(TOKENS, TOKENS, null, Reduction.SUM).loss());
            }
        }
        Tensor paddingGradient = padded.namedParameters().get("embedding.weight").grad();
        for (int c = 0; c < 3; c++) {
            assertEquals(0.0, paddingGradient.get(0, c), "the padding row gets no gradient");
        }
    }

    @Test
    void aNarrowTableOrAForeignTokenIsRefused() {
        RecurrentLayer layer = CellType.LSTM.layer(3, 4, RecurrentOptions.defaults(), 15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forwardEmbedded(Tensor.zeros(VOCABULARY, 2), TOKENS, null, null));
        assertTrue(e.getMessage().contains("has 2 columns but the layer reads 3 input features"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> layer.forwardEmbedded(Tensor.zeros(VOCABULARY, 3), new int[][] {{0, 1}, {5, 2}}, null, null));
        assertTrue(e.getMessage().contains("token 5 at step 1, sequence 0 is outside the table's 5 rows"), e.getMessage());
    }
}
