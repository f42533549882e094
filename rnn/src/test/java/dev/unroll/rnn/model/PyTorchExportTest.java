package dev.unroll.rnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * A state_dict a PyTorch user exported with {@code safetensors.torch.save_file}, in PyTorch's
 * default float32 and under its own attribute names ({@code model.embed}, {@code model.lstm},
 * {@code model.decoder}; see {@code make_fixtures.py}), loads strictly into a float64
 * {@link LanguageModel} through a key mapping: every float32 value widens exactly, and the model
 * then computes PyTorch's float64 logits of those weights ({@code model.double()}) to 1e-12.
 */
class PyTorchExportTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(PyTorchExportTest.class.getResource("/pytorch/" + name + ".safetensors").toURI());
    }

    @Test
    void aFloat32StateDictFromSaveFileLoadsIntoAFloat64ModelWithRenamedKeys() throws IOException, URISyntaxException {
        LanguageModel model = LanguageModel.lstm(5, 3, 4, 1, 0);
        KeyMapping keys = KeyMapping.stripPrefix("model.")
                .andThen(KeyMapping.replacePrefix("embed.", "embedding."))
                .andThen(KeyMapping.replacePrefix("lstm.", "rnn."))
                .andThen(KeyMapping.replacePrefix("decoder.", "head."));
        LoadResult result = Checkpoint.load(resource("export"), model, null, LoadOptions.strict().mapping(keys));
        assertEquals(List.of(), result.missingKeys());
        assertEquals(List.of(), result.unexpectedKeys());

        Map<String, StoredTensor> exported = SafeTensors.read(resource("export")).tensors();
        double[] loaded = model.namedParameters().get("rnn.weight_hh_l0").data();
        assertArrayEquals(exported.get("model.lstm.weight_hh_l0").values(), loaded, 0);
        for (double v : loaded) {
            assertEquals(v, (double) (float) v, 0, "an F32 value widened exactly, nothing added");
        }

        Map<String, StoredTensor> reference = SafeTensors.read(resource("export_reference")).tensors();
        double[] t = reference.get("tokens").values();
        int steps = (int) reference.get("tokens").shape()[0];
        int batch = (int) reference.get("tokens").shape()[1];
        int[][] tokens = new int[steps][batch];
        for (int i = 0; i < t.length; i++) {
            tokens[i / batch][i % batch] = (int) t[i];
        }
        assertArrayEquals(reference.get("logits").values(), model.forward(tokens, null).logits().data(), 1e-12);
    }
}
