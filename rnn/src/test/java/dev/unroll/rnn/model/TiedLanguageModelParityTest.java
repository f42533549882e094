package dev.unroll.rnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.checkpoint.KeyMapping;
import dev.unroll.nn.checkpoint.LoadOptions;
import dev.unroll.nn.checkpoint.LoadResult;
import dev.unroll.nn.checkpoint.SafeTensors;
import dev.unroll.nn.checkpoint.StoredTensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PyTorch's {@code word_language_model} model with {@code --tied} (vocabulary 6, size 3, a
 * 2-layer LSTM; {@code tied_fixture} in {@code make_fixtures.py}): its state_dict, which lists
 * the tied table as both {@code encoder.weight} and {@code decoder.weight}, loads strictly into
 * {@link LanguageModel#tiedLstm}, which then computes PyTorch's logits and mean cross-entropy and,
 * after one backward, PyTorch's gradients: the tied table's is the sum of its uses as the
 * embedding and as the output layer. Both sides compute in float64 from the same weights, so they
 * differ by rounding only (tolerance 1e-10 of each gradient's largest entry, as PyTorchParityTest).
 */
class TiedLanguageModelParityTest {

    private static final double TOLERANCE = 1e-10;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(TiedLanguageModelParityTest.class.getResource("/pytorch/" + name + ".safetensors").toURI());
    }

    private static int[][] tokens(StoredTensor stored) {
        int steps = (int) stored.shape()[0];
        int batch = (int) stored.shape()[1];
        double[] values = stored.values();
        int[][] out = new int[steps][batch];
        for (int i = 0; i < values.length; i++) {
            out[i / batch][i % batch] = (int) values[i];
        }
        return out;
    }

    @Test
    void aPyTorchTiedModelLoadsAndGivesItsLossAndGradients() throws IOException, URISyntaxException {
        LanguageModel model = LanguageModel.tiedLstm(6, 3, 2, 0.5, 0);
        model.eval(); // as PyTorch's fixture: dropout off
        KeyMapping keys = KeyMapping.replacePrefix("encoder.", "embedding.").andThen(KeyMapping.replacePrefix("decoder.", "head."));
        LoadResult result = Checkpoint.load(resource("tied_lm"), model, null,
                LoadOptions.strict().mapping(keys));
        assertEquals(List.of(), result.missingKeys());
        assertEquals(List.of(), result.unexpectedKeys());

        Map<String, StoredTensor> reference = SafeTensors.read(resource("tied_lm_reference")).tensors();
        int[][] inputs = tokens(reference.get("tokens"));
        int[][] targets = tokens(reference.get("targets"));
        model.zeroGrad();
        try (Tape tape = Tape.record()) {
            Tensor loss = model.loss(inputs, targets, null, Reduction.MEAN).loss();
            assertEquals(reference.get("loss").values()[0], loss.item(), 1e-12);
            tape.backward(loss);
        }
        assertArrayEquals(reference.get("logits").values(), model.forward(inputs, null).logits().data(),
                1e-12);
        Map<String, Parameter> parameters = model.namedParameters();
        assertEquals(11 - 1, parameters.size(), "the tied table is one parameter");
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            String pytorchName = e.getKey().replaceFirst("^embedding\\.", "encoder.").replaceFirst("^head\\.", "decoder.");
            double[] expected = reference.get("grad." + pytorchName).values();
            double[] actual = e.getValue().grad().data();
            double scale = 0;
            for (double v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 0, pytorchName + " has a gradient");
            assertArrayEquals(expected, actual, TOLERANCE * scale, pytorchName);
        }
    }
}
