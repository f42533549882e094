package dev.unroll.rnn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.autograd.Tensor;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.checkpoint.SafeTensors;
import dev.unroll.nn.checkpoint.StoredTensor;
import dev.unroll.rnn.SequenceOutput;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A PyTorch nn.LSTM / nn.GRU state_dict, saved as safetensors by
 * {@code src/test/resources/pytorch/make_fixtures.py}, loads by name into Unroll's layer, which
 * then reproduces PyTorch's outputs and final states, with and without per-sequence lengths
 * (packed sequences).
 */
class PyTorchParityTest {

    private static final int STEPS = 4;
    private static final int BATCH = 3;
    private static final int HIDDEN = 3;

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void aPyTorchStateDictLoadsAndGivesTheSameOutputs(String kind) throws IOException, URISyntaxException {
        Path file = Path.of(getClass().getResource("/pytorch/" + kind + ".safetensors").toURI());
        RecurrentOptions options = RecurrentOptions.defaults().layers(2).bidirectional();
        RecurrentLayer layer = kind.equals("lstm") ? new Lstm(2, HIDDEN, options, 0) : new Gru(2, HIDDEN, options, 0);
        Checkpoint.load(file, layer, null, false);
        Map<String, StoredTensor> t = SafeTensors.read(file).tensors();
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
