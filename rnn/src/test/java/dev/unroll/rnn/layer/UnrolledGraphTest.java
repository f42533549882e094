package dev.unroll.rnn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.nn.Parameter;
import dev.unroll.rnn.model.LanguageModel;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The picture of a 2-layer LSTM language model unrolled over three steps: the layers' marks give
 * one cluster per layer holding one per timestep, and a cluster for what follows each layer.
 */
class UnrolledGraphTest {

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    @Test
    void clustersPerLayerAndTimestepAndEachParameterOnce() {
        LanguageModel model = LanguageModel.lstm(5, 4, 6, 2, 7);
        int[][] inputs = {{0, 1}, {2, 3}, {4, 0}};
        int[][] targets = {{1, 2}, {3, 4}, {0, 1}};
        String dot;
        String summary;
        try (Tape tape = Tape.record().requestGraph()) {
            tape.backward(model.loss(inputs, targets, null, Reduction.MEAN).loss());
            summary = tape.summary();
            dot = tape.graph().toDot(model.namedParameters());
        }
        assertTrue(summary.endsWith("after layer 1: 1 concatRows, 1 linear, 1 softmaxCrossEntropy"), summary);
        for (int layer = 0; layer < 2; layer++) {
            assertTrue(dot.contains("label=\"layer " + layer + " step 0-2\";"), dot);
            for (int t = 0; t < 3; t++) {
                assertEquals(1, count(dot, "label=\"layer " + layer + " step " + t + "\";"), dot);
            }
            assertEquals(1, count(dot, "label=\"after layer " + layer + "\";"), dot);
        }
        assertEquals(1, count(dot, "label=\"start\";"), dot);
        assertEquals(1 + 2 * (1 + 3 + 1), count(dot, "subgraph "), dot);
        Map<String, Parameter> parameters = model.namedParameters();
        for (String name : parameters.keySet()) {
            assertEquals(1, count(dot, "label=\"" + name + "\\n"), name + " drawn once: " + dot);
        }
        assertEquals(2 * 3, count(dot, "label=\"lstmCellState"), "two layers of three steps: " + dot);
        assertEquals(2 * 3, count(dot, "label=\"lstmHidden\\n|grad| "), dot);
        String weightHh = leafId(dot, "rnn.weight_hh_l0");
        String weightIh = leafId(dot, "rnn.weight_ih_l1");
        assertEquals(3, count(dot, weightHh + " -> "), "the recurrent weight feeds every step: " + dot);
        assertEquals(1, count(dot, weightIh + " -> "), "layer 1's input weight: one product over all steps: " + dot);
    }

    private static String leafId(String dot, String name) {
        int at = dot.indexOf("label=\"" + name + "\\n");
        int start = dot.lastIndexOf("\n", at) + 1;
        return dot.substring(start, at).trim().split(" ")[0];
    }
}
