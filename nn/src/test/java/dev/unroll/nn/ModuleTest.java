package dev.unroll.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.layers.Dropout;
import dev.unroll.nn.layers.Embedding;
import dev.unroll.nn.layers.Linear;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {

    /** An encoder-decoder shaped module with a tied embedding / output projection. */
    static final class TinyModel extends Module {
        final Embedding embedding = registerModule("embedding", new Embedding(5, 3, 1));
        final Module decoder = registerModule("decoder", new Decoder(embedding.weight()));
    }

    static final class Decoder extends Module {
        final Linear proj;
        final Dropout dropout = registerModule("dropout", new Dropout(0.5, 2));

        Decoder(Parameter tied) {
            proj = registerModule("proj", new Linear(tied, Parameter.vector(Tensor.zeros(1, 5))));
        }
    }

    @Test
    void parametersHaveDottedPathsInRegistrationOrderAndTiedOnesAppearOnce() {
        TinyModel m = new TinyModel();
        assertEquals(List.of("embedding.weight", "decoder.proj.bias"), List.copyOf(m.namedParameters().keySet()));
        assertSame(m.embedding.weight(), m.namedParameters().get("embedding.weight"));
        assertEquals(2, m.parameters().size());
        assertEquals(5 * 3 + 5, m.parameterCount());
    }

    @Test
    void aTiedParameterReceivesTheSumOfBothUses() {
        TinyModel m = new TinyModel();
        Parameter w = m.embedding.weight();
        int[] ids = {1, 3};
        try (Tape tape = Tape.record()) {
            Tensor h = m.embedding.forward(ids);
            tape.backward(MatrixOps.linear(h, w, null).sum());
        }
        double[] viaTape = w.grad().data().clone();
        Tensor embedPart = Tensor.zeros(5, 3);
        Tensor projPart = Tensor.zeros(5, 3);
        double[] colSums = new double[3];
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 3; c++) {
                colSums[c] += w.get(r, c);
            }
        }
        for (int id : ids) {
            for (int c = 0; c < 3; c++) {
                embedPart.data()[id * 3 + c] += colSums[c];
                for (int r = 0; r < 5; r++) {
                    projPart.data()[r * 3 + c] += w.get(id, c);
                }
            }
        }
        assertArrayEquals(embedPart.add(projPart).data(), viaTape, 1e-12);
    }

    @Test
    void trainAndEvalReachEverySubmodule() {
        TinyModel m = new TinyModel();
        assertTrue(((Decoder) m.decoder).dropout.isTraining());
        m.eval();
        assertFalse(((Decoder) m.decoder).dropout.isTraining());
        m.train(true);
        assertTrue(((Decoder) m.decoder).dropout.isTraining());
    }

    @Test
    void zeroGradLeavesEveryParameterWithoutAGradient() {
        TinyModel m = new TinyModel();
        try (Tape tape = Tape.record()) {
            tape.backward(m.embedding.forward(new int[] {0}).sum());
        }
        m.zeroGrad();
        for (Parameter p : m.parameters()) {
            assertFalse(p.hasGrad());
        }
        for (double v : m.embedding.weight().gradBuffer().data) {
            assertEquals(0, v);
        }
    }

    @Test
    void summaryShowsTheTreeShapesAndTotal() {
        assertEquals("""
                TinyModel
                  embedding: Embedding (5 x 3)
                    weight 5x3
                  decoder: Decoder
                    dropout: Dropout (p=0.5)
                    proj: Linear (3 -> 5)
                      weight 5x3 (shared)
                      bias 1x5
                total: 20 parameters""", new TinyModel().summary());
    }

    @Test
    void theSummaryGroupsTheTotalWithCommasWhateverTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            for (Locale locale : new Locale[] {Locale.GERMANY, Locale.FRANCE, Locale.forLanguageTag("hi-IN"), Locale.US}) {
                Locale.setDefault(locale);
                Linear wide = new Linear(1000, 1234, 1);
                assertTrue(wide.summary().endsWith("total: 1,235,234 parameters"), locale + ": " + wide.summary());
            }
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void everyPathOfATiedParameterIsListedWhenDuplicatesAreAsked() {
        TinyModel m = new TinyModel();
        Map<String, Parameter> all = m.namedParametersWithDuplicates();
        assertEquals(List.of("embedding.weight", "decoder.proj.weight", "decoder.proj.bias"), List.copyOf(all.keySet()));
        assertSame(all.get("embedding.weight"), all.get("decoder.proj.weight"));
    }

    @Test
    void badNamesAreRefused() {
        Module m = new Module() { };
        assertThrows(IllegalArgumentException.class, () -> m.registerParameter("a.b", Parameter.zeros(1, 1)));
        m.registerParameter("a", Parameter.zeros(1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.registerParameter("a", Parameter.zeros(1, 1)));
        assertTrue(e.getMessage().contains("'a' is already registered"), e.getMessage());
    }
}
