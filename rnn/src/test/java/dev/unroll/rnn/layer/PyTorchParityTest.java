package dev.unroll.rnn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Tensor;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.checkpoint.SafeTensors;
import dev.unroll.nn.checkpoint.StoredTensor;
import dev.unroll.rnn.SequenceOutput;
import dev.unroll.rnn.cell.RnnCell;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A PyTorch nn.LSTM / nn.GRU / nn.RNN state_dict, saved as safetensors by
 * {@code src/test/resources/pytorch/make_fixtures.py}, loads strictly by name into Unroll's
 * layer (every parameter present, no tensor left over), which then reproduces PyTorch's outputs
 * and final states (from {@code <kind>_reference.safetensors}), with and without per-sequence
 * lengths (packed sequences).
 */
class PyTorchParityTest {

    private static final int STEPS = 4;
    private static final int BATCH = 3;
    private static final int HIDDEN = 3;
    private static final RecurrentOptions OPTIONS = RecurrentOptions.defaults().layers(2).bidirectional();

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(PyTorchParityTest.class.getResource("/pytorch/" + name + ".safetensors").toURI());
    }

    private static RecurrentLayer layer(String kind) {
        return switch (kind) {
            case "lstm" -> new Lstm(2, HIDDEN, OPTIONS, 0);
            case "gru" -> new Gru(2, HIDDEN, OPTIONS, 0);
            default -> new Rnn(2, HIDDEN, RnnCell.Activation.TANH, OPTIONS, 0);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn"})
    void aPyTorchStateDictLoadsStrictlyAndGivesTheSameOutputs(String kind) throws IOException, URISyntaxException {
        RecurrentLayer layer = layer(kind);
        Checkpoint.load(resource(kind), layer);
        Map<String, StoredTensor> t = SafeTensors.read(resource(kind + "_reference")).tensors();
        double[] x = t.get("input").values();
        List<Tensor> inputs = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            double[][] rows = new double[BATCH][2];
            for (int b = 0; b < BATCH; b++) {
                rows[b][0] = x[(s * BATCH + b) * 2];
                rows[b][1] = x[(s * BATCH + b) * 2 + 1];
            }
            inputs.add(Tensor.of(rows));
        }
        double[] lengthValues = t.get("lengths").values();
        int[] lengths = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
            lengths[b] = (int) lengthValues[b];
        }
        compare(layer.forward(inputs), t, "full");
        compare(layer.forward(inputs, null, lengths), t, "lengths");
    }

    @Test
    void aMisnamedParameterFailsTheStrictLoad(@TempDir Path dir) throws IOException, URISyntaxException {
        Map<String, StoredTensor> renamed = new LinkedHashMap<>();
        SafeTensors.read(resource("rnn")).tensors().forEach((k, v) -> renamed.put(k.replace("weight_hh_l1", "weight_hh_1"), v));
        Path file = dir.resolve("misnamed.safetensors");
        SafeTensors.write(file, renamed, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file, layer("rnn")));
        assertTrue(e.getMessage().contains("weight_hh_l1"), e.getMessage());
    }

    private static void compare(SequenceOutput out, Map<String, StoredTensor> t, String variant) {
        double[] expected = t.get("output_" + variant).values();
        for (int s = 0; s < STEPS; s++) {
            double[] got = out.outputs().get(s).data();
            for (int k = 0; k < got.length; k++) {
                assertEquals(expected[s * got.length + k], got[k], 1e-10, variant + " output at step " + s);
            }
        }
        for (String part : new String[] {"h", "c"}) {
            StoredTensor stored = t.get(part + "_n_" + variant);
            if (stored == null) {
                continue;
            }
            assertEquals(out.finalStates().size() * BATCH * HIDDEN, stored.values().length, part + "_n size");
            for (int i = 0; i < out.finalStates().size(); i++) {
                Tensor state = part.equals("h") ? out.finalStates().get(i).h() : out.finalStates().get(i).c();
                for (int k = 0; k < state.size(); k++) {
                    assertEquals(stored.values()[i * state.size() + k], state.data()[k], 1e-10,
                            variant + " " + part + "_n[" + i + "]");
                }
            }
        }
    }
}
