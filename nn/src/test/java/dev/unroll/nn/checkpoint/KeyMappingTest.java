package dev.unroll.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.layers.Linear;
import dev.unroll.nn.optim.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a file whose names differ from the module's (a prefix, a renamed attribute) or that
 * holds more than the module (a whole model's checkpoint into one of its parts), reporting what is
 * missing and unexpected as PyTorch's {@code load_state_dict} does.
 */
class KeyMappingTest {

    @TempDir
    Path dir;

    @Test
    void mappingsRenameStripOrScopeKeys() {
        assertEquals("lstm.weight_ih_l0", KeyMapping.under("encoder.").map("encoder.lstm.weight_ih_l0"));
        assertNull(KeyMapping.under("encoder.").map("decoder.weight"));
        assertEquals("head.bias", KeyMapping.stripPrefix("module.").map("module.head.bias"));
        assertEquals("head.bias", KeyMapping.stripPrefix("module.").map("head.bias"));
        assertEquals("rnn.bias_hh_l0", KeyMapping.replacePrefix("lstm.", "rnn.").map("lstm.bias_hh_l0"));
        assertEquals("head.weight", KeyMapping.renaming(Map.of("fc.weight", "head.weight")).map("fc.weight"));
        KeyMapping both = KeyMapping.stripPrefix("model.").andThen(KeyMapping.replacePrefix("fc.", "head."));
        assertEquals("head.weight", both.map("model.fc.weight"));
        assertNull(KeyMapping.under("x.").andThen(KeyMapping.identity()).map("y.weight"));
    }

    @Test
    void anEncoderLoadsFromAWholeModelsCheckpointByPrefixStrictly() throws IOException {
        CheckpointTest.Net trained = new CheckpointTest.Net(1);
        Path file = dir.resolve("whole.safetensors");
        Checkpoint.save(file, trained, new Adam(trained, 0.1), Map.of("epoch", "3"));
        Linear head = new Linear(4, 6, 9);
        LoadResult result = Checkpoint.load(file, head, null, LoadOptions.strict().mapping(KeyMapping.under("head.")));
        assertArrayEquals(trained.head.namedParameters().get("weight").data(), head.namedParameters().get("weight").data());
        assertArrayEquals(trained.head.namedParameters().get("bias").data(), head.namedParameters().get("bias").data());
        assertEquals(List.of(), result.missingKeys());
        assertEquals(List.of(), result.unexpectedKeys(), "the embedding and the optimizer are outside the head");
        assertEquals("3", result.metadata().get("epoch"));
    }

    @Test
    void aStateDictWithAPrefixAndRenamedAttributesLoadsAndReportsTheRest() throws IOException {
        CheckpointTest.Net source = new CheckpointTest.Net(2);
        Path file = dir.resolve("renamed.safetensors");
        Map<String, StoredTensor> renamed = new java.util.LinkedHashMap<>();
        source.namedParameters().forEach((name, p) -> renamed.put("module." + name.replace("head.", "fc."),
                new StoredTensor(p.isVector() ? new long[] {p.cols()} : new long[] {p.rows(), p.cols()}, p.data())));
        renamed.put("module.extra", new StoredTensor(new long[] {1}, new double[] {1}));
        SafeTensors.write(file, renamed, Map.of());

        CheckpointTest.Net target = new CheckpointTest.Net(3);
        KeyMapping keys = KeyMapping.stripPrefix("module.").andThen(KeyMapping.replacePrefix("fc.", "head."));
        LoadResult result = Checkpoint.load(file, target, null, LoadOptions.nonStrict().mapping(keys));
        assertEquals(List.of("module.extra"), result.unexpectedKeys(), "reported under the file's name");
        assertEquals(List.of(), result.missingKeys());
        source.namedParameters().forEach((name, p) -> assertArrayEquals(p.data(), target.namedParameters().get(name).data()));

        LoadResult partial = Checkpoint.load(file, new CheckpointTest.Net(4), null, LoadOptions.nonStrict().mapping(
                KeyMapping.stripPrefix("module.")));
        assertEquals(List.of("head.weight", "head.bias"), partial.missingKeys());
        assertEquals(List.of("module.fc.weight", "module.fc.bias", "module.extra"), partial.unexpectedKeys());
        IllegalArgumentException strict = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file,
                new CheckpointTest.Net(5), null, LoadOptions.strict().mapping(keys)));
        assertTrue(strict.getMessage().contains("has a tensor 'module.extra' that the module does not have"),
                strict.getMessage());
    }

    @Test
    void twoKeysMappedToOneNameAndARenamedOptimizerAreRefused() throws IOException {
        CheckpointTest.Net source = new CheckpointTest.Net(6);
        Path file = dir.resolve("whole.safetensors");
        Adam adam = new Adam(source, 0.1);
        Checkpoint.save(file, source, adam, Map.of());
        KeyMapping collapse = key -> key.replace("embedding.weight", "head.weight");
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file,
                new CheckpointTest.Net(7), null, LoadOptions.nonStrict().mapping(collapse)));
        assertTrue(twice.getMessage().contains("maps both 'embedding.weight' and 'head.weight' to 'head.weight'"),
                twice.getMessage());
        CheckpointTest.Net target = new CheckpointTest.Net(8);
        IllegalArgumentException optimizer = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file,
                target, new Adam(target, 0.1), LoadOptions.strict().mapping(KeyMapping.replacePrefix("head.", "h."))));
        assertTrue(optimizer.getMessage().contains("optimizer state is stored under the names the file has"),
                optimizer.getMessage());
    }
}
