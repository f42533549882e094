package dev.unroll.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void embeddingLooksUpRowsAndItsPaddingRowStaysZeroWithoutGradient(int batch) {
        Embedding e = new Embedding(4, 3, 0, Randomness.seeded(2));
        assertArrayEquals(new double[] {0, 0, 0}, e.weight().sliceRows(0, 1).data());
        int[] ids = batch == 1 ? new int[] {2} : new int[] {2, 0, 2};
        Tensor rows = e.forward(ids);
        assertArrayEquals(e.weight().sliceRows(2, 3).data(), rows.sliceRows(0, 1).data());
        try (Tape tape = Tape.record()) {
            tape.backward(weighted(e.forward(ids)));
        }
        assertArrayEquals(new double[] {0, 0, 0}, e.weight().grad().sliceRows(0, 1).data());
        e.weight().clearGrad();
        int[] unpadded = batch == 1 ? new int[] {3} : new int[] {2, 1, 2};
        GradCheck.check(in -> weighted(e.forward(unpadded)), e.weight()).assertBelow(1e-6);
    }

    @Test
    void sequentialChainsLayersAndNamesThemByIndex() {
        Linear first = new Linear(3, 4, 1);
        Linear second = new Linear(4, 2, 2);
        Sequential s = new Sequential(first, Activation.tanh(), second);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(s.namedParameters().keySet()));
        Tensor x = Tensor.uniform(5, 3, -1, 1, 3);
        assertArrayEquals(second.forward(first.forward(x).tanh()).data(), s.forward(x).data());
        GradCheck.check(in -> weighted(s.forward(in.get(0))), x, first.weight(), second.bias()).assertBelow(1e-6);
    }

    @Test
    void activationsApplyTheirFunction() {
        Tensor x = Tensor.row(-1, 2);
        assertArrayEquals(x.relu().data(), Activation.relu().forward(x).data());
        assertArrayEquals(x.sigmoid().data(), Activation.sigmoid().forward(x).data());
        assertArrayEquals(x.tanh().data(), Activation.tanh().forward(x).data());
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
