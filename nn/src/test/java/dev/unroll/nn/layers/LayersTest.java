package dev.unroll.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.ElementwiseOps;
import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayersTest {

    private static Tensor weighted(Tensor out) {
        return out.mul(Tensor.uniform(out.rows(), out.cols(), 0.5, 1.5, 99)).sum();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void linearMatchesFiniteDifferencesAndPyTorchShapes(int batch) {
        Linear withBias = new Linear(3, 2, 7);
        Linear noBias = new Linear(3, 2, false, Randomness.seeded(8));
        assertEquals(List.of("weight", "bias"), List.copyOf(withBias.namedParameters().keySet()));
        assertEquals("2x3", withBias.weight().shape());
        assertTrue(withBias.bias().isVector());
        assertEquals(List.of("weight"), List.copyOf(noBias.namedParameters().keySet()));
        Tensor x = Tensor.uniform(batch, 3, -1, 1, 9);
        GradCheck.check(in -> weighted(withBias.forward(in.get(0)).mul(in.get(0).sum())), x, withBias.weight(),
                withBias.bias()).assertBelow(1e-6);
        GradCheck.check(in -> weighted(noBias.forward(in.get(0))), x, noBias.weight()).assertBelow(1e-6);
    }

    @Test
    void linearInitialisesLikePyTorchWithinOneOverSqrtIn() {
        Linear l = new Linear(16, 50, 1);
        for (double v : l.weight().data()) {
            assertTrue(Math.abs(v) <= 0.25);
        }
        assertArrayEquals(l.weight().data(), new Linear(16, 50, 1).weight().data());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void embeddingLooksUpRowsTheSameInsideAndOutsideATape(int batch) {
        Embedding e = new Embedding(4, 3, 0, Randomness.seeded(2));
        assertArrayEquals(new double[] {0, 0, 0}, e.weight().sliceRows(0, 1).data());
        // a padding row that is no longer zero (loaded weights) is returned as it is, as in PyTorch
        e.weight().data()[1] = 0.75;
        int[] ids = batch == 1 ? new int[] {0} : new int[] {2, 0, 2};
        Tensor outside = e.forward(ids);
        Tensor inside;
        try (Tape tape = Tape.record()) {
            inside = e.forward(ids);
        }
        for (int i = 0; i < ids.length; i++) {
            assertArrayEquals(e.weight().sliceRows(ids[i], ids[i] + 1).data(), outside.sliceRows(i, i + 1).data());
        }
        assertArrayEquals(outside.data(), inside.data());
        assertEquals(0.75, outside.get(batch == 1 ? 0 : 1, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void embeddingPaddingRowReceivesNoGradientAndTheOthersTheirExactOne(int batch) {
        Embedding e = new Embedding(4, 3, 0, Randomness.seeded(2));
        int[] ids = batch == 1 ? new int[] {0} : new int[] {2, 0, 2};
        try (Tape tape = Tape.record()) {
            tape.backward(e.forward(ids).sum());
        }
        double[] expected = new double[12];
        for (int id : ids) {
            if (id != 0) {
                for (int c = 0; c < 3; c++) {
                    expected[id * 3 + c] += 1;
                }
            }
        }
        assertArrayEquals(expected, e.weight().grad().data());
        e.weight().clearGrad();
        // with padded ids in the batch: the loss ignores padded positions (as a loss with an ignore
        // index does), so the finite difference of the padding row is 0 like its tape gradient
        int[] padded = batch == 1 ? new int[] {0} : new int[] {2, 0, 3};
        Tensor keep = Tensor.wrap(new org.ejml.data.DMatrixRMaj(batch, 1, true,
                batch == 1 ? new double[] {0} : new double[] {1, 0, 1}));
        GradCheck.check(in -> weighted(ElementwiseOps.maskMul(e.forward(padded), keep)), e.weight()).assertBelow(1e-6);
        int[] unpadded = batch == 1 ? new int[] {3} : new int[] {2, 1, 2};
        GradCheck.check(in -> weighted(e.forward(unpadded).mul(e.forward(unpadded).tanh())), e.weight()).assertBelow(1e-6);
    }

    @Test
    void embeddingWithoutPaddingSendsEveryRowItsGradient() {
        Embedding e = new Embedding(4, 3, 5);
        assertEquals(Embedding.NO_PADDING, e.paddingIndex());
        GradCheck.check(in -> weighted(e.forward(new int[] {0, 3, 0})), e.weight()).assertBelow(1e-6);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void sequentialChainsLayersAndNamesThemByIndex(int batch) {
        Linear first = new Linear(3, 4, 1);
        Linear second = new Linear(4, 2, 2);
        Sequential s = new Sequential(first, Activation.tanh(), second);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(s.namedParameters().keySet()));
        Tensor x = Tensor.uniform(batch, 3, -1, 1, 3);
        assertArrayEquals(second.forward(first.forward(x).tanh()).data(), s.forward(x).data());
        GradCheck.check(in -> weighted(s.forward(in.get(0))), x, first.weight(), first.bias(), second.weight(),
                second.bias()).assertBelow(1e-6);
        GradCheck.check(in -> weighted(s.forward(in.get(0)).mul(first.forward(in.get(0)).sliceCols(0, 2))), x,
                first.weight(), second.weight()).assertBelow(1e-6);
    }

    @Test
    void activationsApplyTheirFunction() {
        Tensor x = Tensor.row(-1, 2);
        assertArrayEquals(x.relu().data(), Activation.relu().forward(x).data());
        assertArrayEquals(x.sigmoid().data(), Activation.sigmoid().forward(x).data());
        assertArrayEquals(x.tanh().data(), Activation.tanh().forward(x).data());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void activationModulesMatchFiniteDifferences(int batch) {
        Tensor x = Tensor.uniform(batch, 5, -2, 2, 4);
        for (Activation a : new Activation[] {Activation.tanh(), Activation.relu(), Activation.sigmoid()}) {
            GradCheck.check(in -> weighted(a.forward(in.get(0))), x).assertBelow(1e-6);
            GradCheck.check(in -> weighted(a.forward(in.get(0)).mul(in.get(0))), x).assertBelow(1e-6);
        }
    }

    @Test
    void dropoutDropsInTrainingAndPassesThroughInEvaluation() {
        Dropout d = new Dropout(0.5, 3);
        Tensor x = Tensor.ones(20, 20);
        Tensor trained = d.forward(x);
        long zeros = java.util.Arrays.stream(trained.data()).filter(v -> v == 0).count();
        assertTrue(zeros > 100 && zeros < 300, "dropped " + zeros);
        d.eval();
        assertSame(x, d.forward(x));
    }

    @Test
    void dropoutLayersWithTheSameSeedDrawTheSameMasks() {
        Dropout a = new Dropout(0.3, 11);
        Dropout b = new Dropout(0.3, 11);
        Tensor x = Tensor.ones(6, 7);
        for (int call = 0; call < 3; call++) {
            assertArrayEquals(a.forward(x).data(), b.forward(x).data(), "call " + call);
        }
        assertFalse(java.util.Arrays.equals(new Dropout(0.3, 12).forward(x).data(), new Dropout(0.3, 11).forward(x).data()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void dropoutModuleMatchesFiniteDifferences(int batch) {
        Tensor x = Tensor.uniform(batch, 6, -1, 1, 5);
        // a fresh layer per evaluation, so every evaluation of f draws the same mask
        GradCheck.check(in -> weighted(new Dropout(0.4, 8).forward(in.get(0))), x).assertBelow(1e-6);
        GradCheck.check(in -> weighted(new Dropout(0.4, 8).forward(in.get(0)).mul(in.get(0))), x).assertBelow(1e-6);
        Dropout off = new Dropout(0.4, 8);
        off.eval();
        GradCheck.check(in -> weighted(off.forward(in.get(0)).mul(in.get(0))), x).assertBelow(1e-6);
    }

    @Test
    void layerNormMatchesTheFormula() {
        LayerNorm ln = new LayerNorm(4);
        Tensor x = Tensor.of(new double[][] {{1, 2, 3, 4}, {-2, 0, 2, 4}});
        Tensor y = ln.forward(x);
        double mean = 2.5;
        double var = (1.5 * 1.5 + 0.5 * 0.5) * 2 / 4;
        assertEquals((1 - mean) / Math.sqrt(var + 1e-5), y.get(0, 0), 1e-12);
        assertEquals((4 - 1) / Math.sqrt(5 + 1e-5), y.get(1, 3), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void layerNormGradientsMatchFiniteDifferences(int batch) {
        LayerNorm ln = new LayerNorm(5);
        ln.weight().value().setTo(Tensor.uniform(1, 5, 0.5, 1.5, 1).value());
        ln.bias().value().setTo(Tensor.uniform(1, 5, -1, 1, 2).value());
        Tensor x = Tensor.uniform(batch, 5, -2, 2, 3);
        GradCheck.check(in -> weighted(ln.forward(in.get(0)).mul(in.get(0))), x, ln.weight(), ln.bias())
                .assertBelow(1e-6);
        LayerNorm plain = new LayerNorm(5, 1e-5, false);
        assertEquals(0, plain.parameterCount());
        GradCheck.check(in -> weighted(plain.forward(in.get(0))), x).assertBelow(1e-6);
    }

    @Test
    void layerErrorsNameTheProblem() {
        assertEquals("LayerNorm: input 2x3 has 3 features but the layer normalises 4",
                assertThrows(IllegalArgumentException.class, () -> new LayerNorm(4).forward(Tensor.zeros(2, 3))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(3, 2, 3, Randomness.seeded(1)));
        assertThrows(IllegalArgumentException.class, () -> Parameter.vector(Tensor.zeros(2, 2)));
        assertThrows(IllegalArgumentException.class, Sequential::new);
    }
}
