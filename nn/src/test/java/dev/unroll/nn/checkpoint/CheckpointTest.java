package dev.unroll.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.layers.Embedding;
import dev.unroll.nn.layers.Linear;
import dev.unroll.nn.optim.Adam;
import dev.unroll.nn.optim.AdamW;
import dev.unroll.nn.optim.ParameterFilter;
import dev.unroll.nn.optim.Sgd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path dir;

    static final class Net extends Module {
        final Embedding embedding;
        final Linear head;

        Net(long seed) {
            embedding = registerModule("embedding", new Embedding(6, 4, seed));
            head = registerModule("head", new Linear(4, 6, seed + 1));
        }

        Tensor loss(int[] ids, int[] targets) {
            return LossOps.softmaxCrossEntropy(head.forward(embedding.forward(ids)), targets);
        }
    }

    static void train(Net net, Adam adam, int steps, int offset) {
        for (int s = 0; s < steps; s++) {
            int k = (s + offset) % 6;
            net.zeroGrad();
            try (Tape tape = Tape.record()) {
                tape.backward(net.loss(new int[] {k, (k + 1) % 6}, new int[] {(k + 2) % 6, k}));
            }
            adam.step();
        }
    }

    @Test
    void aRoundTripIsBitExactAndKeepsMetadata() throws IOException {
        Net a = new Net(1);
        a.head.weight().data()[0] = Double.MIN_VALUE;
        Path file = dir.resolve("net.safetensors");
        Checkpoint.save(file, a, null, Map.of("iteration", "42", "vocabulary", "abc\n\"q\""));
        Net b = new Net(2);
        Map<String, String> meta = Checkpoint.load(file, b).metadata();
        assertEquals(Map.of("iteration", "42", "vocabulary", "abc\n\"q\""), meta);
        for (String name : a.namedParameters().keySet()) {
            assertArrayEquals(a.namedParameters().get(name).data(), b.namedParameters().get(name).data(), name);
        }
        SafeTensors.Contents raw = SafeTensors.read(file);
        assertArrayEquals(new long[] {6}, raw.tensors().get("head.bias").shape());
        assertArrayEquals(new long[] {6, 4}, raw.tensors().get("head.weight").shape());
    }

    @Test
    void resumingFromACheckpointContinuesExactlyAsUninterruptedTraining() throws IOException {
        Net straight = new Net(3);
        Adam straightAdam = new Adam(straight, 0.01);
        train(straight, straightAdam, 10, 0);

        Net first = new Net(3);
        Adam firstAdam = new Adam(first, 0.01);
        train(first, firstAdam, 4, 0);
        Path file = dir.resolve("resume.safetensors");
        Checkpoint.save(file, first, firstAdam, Map.of("step", "4"));
        Net resumed = new Net(99);
        Adam resumedAdam = new Adam(resumed, 0.5);
        Checkpoint.load(file, resumed, resumedAdam, true);
        assertEquals(4, resumedAdam.stepCount());
        train(resumed, resumedAdam, 6, 4);

        for (String name : straight.namedParameters().keySet()) {
            assertArrayEquals(straight.namedParameters().get(name).data(), resumed.namedParameters().get(name).data(), name);
        }
    }

    private static AdamW groupedAdamW(Net net, double lr) {
        return AdamW.options().lr(lr).weightDecay(0.1).amsgrad(true)
                .group(ParameterFilter.vectors(), g -> g.weightDecay(0).lr(lr / 2)).build(net);
    }

    @Test
    void parameterGroupsTheirOptionsAndStateAreSavedAndResumedExactly() throws IOException {
        Net straight = new Net(3);
        AdamW straightAdam = groupedAdamW(straight, 0.01);
        train(straight, straightAdam, 10, 0);

        Net first = new Net(3);
        AdamW firstAdam = groupedAdamW(first, 0.01);
        train(first, firstAdam, 4, 0);
        Path file = dir.resolve("groups.safetensors");
        Checkpoint.save(file, first, firstAdam, Map.of());
        Map<String, String> meta = SafeTensors.read(file).metadata();
        assertEquals("2", meta.get("optimizer.groups"));
        assertEquals("1", meta.get("optimizer.group_of.head.bias"));
        assertEquals("0.0", meta.get("optimizer.groups.1.weight_decay"));
        assertEquals("[0.9, 0.999]", meta.get("optimizer.groups.1.betas"));
        Net resumed = new Net(99);
        AdamW resumedAdam = groupedAdamW(resumed, 0.5);
        Checkpoint.load(file, resumed, resumedAdam, true);
        assertEquals(0.005, resumedAdam.groups().get(1).learningRate());
        train(resumed, resumedAdam, 6, 4);
        for (String name : straight.namedParameters().keySet()) {
            assertArrayEquals(straight.namedParameters().get(name).data(), resumed.namedParameters().get(name).data(), name);
        }

        Net other = new Net(5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file, other, new AdamW(other, 0.01), true));
        assertEquals("AdamW.loadState: the state has 2 parameter groups, this optimizer 1; build the optimizer with the "
                + "groups it was saved with", e.getMessage());
        AdamW byName = AdamW.options().group(ParameterFilter.names(n -> n.startsWith("head.")), g -> g).build(other);
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file, other, byName, true));
        assertTrue(e.getMessage().startsWith("AdamW.loadState: the state's group 0 holds "), e.getMessage());
    }

    /** Builds a safetensors file byte by byte from the format's specification. */
    private static byte[] handBuilt(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json).put(data);
        return buf.array();
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static byte[] doubles(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    @Test
    void aFileBuiltByHandFromTheSpecificationLoadsIncludingF32() throws IOException {
        Linear layer = new Linear(2, 3, 1);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(floats(1.5f, -2f, 3f));
        data.writeBytes(doubles(1, 2, 3, 4, 5, 6));
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"weight\":{\"dtype\":\"F64\",\"shape\":[3,2],\"data_offsets\":[12,60]}}    ";
        Path file = dir.resolve("hand.safetensors");
        Files.write(file, handBuilt(header, data.toByteArray()));
        assertEquals(Map.of("format", "pt"), Checkpoint.load(file, layer).metadata());
        assertArrayEquals(new double[] {1.5, -2, 3}, layer.bias().data());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, layer.weight().data());
    }

    private void assertRefusedAndUntouched(byte[] file, String expectedMessagePart) throws IOException {
        Path path = dir.resolve("bad.safetensors");
        Files.write(path, file);
        Linear layer = new Linear(2, 3, 7);
        double[] weight = layer.weight().data().clone();
        double[] bias = layer.bias().data().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(path, layer));
        assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
        assertArrayEquals(weight, layer.weight().data());
        assertArrayEquals(bias, layer.bias().data());
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    @Test
    void malformedFilesAreRefusedWithTheProblemAndLeaveParametersUntouched() throws IOException {
        byte[] six = doubles(1, 2, 3, 4, 5, 6);
        byte[] nine = doubles(1, 2, 3, 4, 5, 6, 7, 8, 9);
        String weight = entry("weight", "F64", "[3,2]", 0, 48);
        String bias = entry("bias", "F64", "[3]", 48, 72);
        assertRefusedAndUntouched(handBuilt("{" + weight + "}", six), "has no tensor 'bias'");
        assertRefusedAndUntouched(handBuilt("{" + weight + "," + bias + "," + entry("extra", "F64", "[0]", 72, 72) + "}",
                nine), "has a tensor 'extra' that the module does not have");
        assertRefusedAndUntouched(handBuilt("{" + entry("weight", "F64", "[2,3]", 0, 48) + "," + bias + "}", nine),
                "tensor 'weight' has shape [2, 3] but the module's parameter is 3x2");
        assertRefusedAndUntouched(handBuilt("{" + weight + "," + entry("bias", "BF16", "[3]", 48, 54) + "}",
                doubles(1, 2, 3, 4, 5, 6, 7)), "tensor 'bias': unknown dtype 'BF16'");
        assertRefusedAndUntouched(handBuilt("{" + weight + "," + entry("bias", "F64", "[3]", 48, 80) + "}", nine),
                "tensor 'bias': data_offsets [48, 80] point outside the 72 data bytes");
        assertRefusedAndUntouched(handBuilt("{" + weight + "," + entry("bias", "F64", "[3]", 40, 64) + "}", nine),
                "tensors overlap or leave a gap");
        assertRefusedAndUntouched(handBuilt("{\"weight\": {\"dtype\": \"F64\", ", nine), "the header is not valid JSON");
        byte[] full = handBuilt("{" + weight + "," + bias + "}", nine);
        assertRefusedAndUntouched(java.util.Arrays.copyOf(full, full.length - 5), "(is the file truncated?)");
        assertRefusedAndUntouched(java.util.Arrays.copyOf(full, full.length + 3), "(trailing bytes or truncation)");
        assertRefusedAndUntouched(java.util.Arrays.copyOf(full, 20), "truncated or corrupt: the header length is");
        assertRefusedAndUntouched(new byte[] {1, 2, 3}, "truncated: 3 bytes");
        // the bias is read first, so a refusal of the weight must not leave the bias loaded
        String biasFirst = entry("bias", "F64", "[3]", 0, 24);
        assertRefusedAndUntouched(handBuilt("{" + biasFirst + "," + entry("weight", "F64", "[6]", 24, 72) + "}", nine),
                "tensor 'weight' has shape [6] but the module's parameter is 3x2");
    }

    @Test
    void aMissingOrNonIntegerShapeOrDtypeIsRefused() throws IOException {
        byte[] nine = doubles(1, 2, 3, 4, 5, 6, 7, 8, 9);
        String weight = entry("weight", "F64", "[3,2]", 0, 48);
        String offsets = ",\"data_offsets\":[48,72]}";
        assertRefusedAndUntouched(handBuilt("{" + weight + ",\"bias\":{\"dtype\":\"F64\"" + offsets + "}", nine),
                "tensor 'bias': missing shape");
        assertRefusedAndUntouched(handBuilt("{" + weight + ",\"bias\":{\"dtype\":\"F64\",\"shape\":[3.0]" + offsets
                + "}", nine), "tensor 'bias': shape holds a non-integer");
        assertRefusedAndUntouched(handBuilt("{" + weight + ",\"bias\":{\"dtype\":\"F64\",\"shape\":\"3\"" + offsets
                + "}", nine), "tensor 'bias': shape is not a list of integers");
        assertRefusedAndUntouched(handBuilt("{" + weight + ",\"bias\":{\"shape\":[3]" + offsets + "}", nine),
                "tensor 'bias': missing dtype");
        assertRefusedAndUntouched(handBuilt("{" + weight + ",\"bias\":{\"dtype\":64,\"shape\":[3]" + offsets + "}",
                nine), "tensor 'bias': dtype is not a string");
        assertRefusedAndUntouched(handBuilt("{" + weight + ",\"bias\":{\"dtype\":\"F64\",\"shape\":[3],"
                + "\"data_offsets\":[48,72.5]}}", nine), "tensor 'bias': data_offsets holds a non-integer");
    }

    @Test
    void aShapeMismatchIsRefusedEvenWhenLoadingNonStrictly() throws IOException {
        Path file = dir.resolve("mismatch.safetensors");
        SafeTensors.write(file, Map.of("weight", new StoredTensor(new long[] {2, 3}, new double[] {1, 2, 3, 4, 5, 6})),
                Map.of());
        Linear layer = new Linear(2, 3, 1);
        double[] weight = layer.weight().data().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file, layer, null, false));
        assertEquals("Checkpoint.load: tensor 'weight' has shape [2, 3] but the module's parameter is 3x2", e.getMessage());
        assertArrayEquals(weight, layer.weight().data());
    }

    @Test
    void nonStrictLoadingSkipsMissingAndUnexpectedKeys() throws IOException {
        Path file = dir.resolve("partial.safetensors");
        SafeTensors.write(file, Map.of("weight", new StoredTensor(new long[] {3, 2}, new double[] {1, 2, 3, 4, 5, 6}),
                "other", new StoredTensor(new long[] {1}, new double[] {9})), Map.of());
        Linear layer = new Linear(2, 3, 1);
        double[] bias = layer.bias().data().clone();
        LoadResult result = Checkpoint.load(file, layer, null, false);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, layer.weight().data());
        assertArrayEquals(bias, layer.bias().data());
        assertEquals(List.of("bias"), result.missingKeys());
        assertEquals(List.of("other"), result.unexpectedKeys());
    }

    @Test
    void optimizerStateOfAnotherTypeOrMissingIsRefusedBeforeAnythingChanges() throws IOException {
        Net net = new Net(1);
        Path plain = dir.resolve("plain.safetensors");
        Checkpoint.save(plain, net);
        Net other = new Net(5);
        double[] before = other.head.weight().data().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(plain, other, new Adam(other, 0.1), true));
        assertTrue(e.getMessage().contains("holds no optimizer state"), e.getMessage());
        Path withAdam = dir.resolve("adam.safetensors");
        Checkpoint.save(withAdam, net, new Adam(net, 0.1), Map.of());
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(withAdam, other, new Sgd(other, 0.1), true));
        assertTrue(e.getMessage().contains("holds Adam state but the optimizer is Sgd"), e.getMessage());
        assertArrayEquals(before, other.head.weight().data());
        assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(plain, net, null, Map.of("optimizer.x", "1")));
    }

    /** Saves {@code net} with Adam state, lets {@code edit} change the file's tensors and metadata, and writes it back. */
    private Path adamCheckpointEdited(Net net, java.util.function.BiConsumer<Map<String, StoredTensor>, Map<String, String>> edit)
            throws IOException {
        Path file = dir.resolve("edited.safetensors");
        Adam adam = new Adam(net, 0.1);
        train(net, adam, 2, 0);
        Checkpoint.save(file, net, adam, Map.of());
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, StoredTensor> tensors = new LinkedHashMap<>(contents.tensors());
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        edit.accept(tensors, metadata);
        SafeTensors.write(file, tensors, metadata);
        return file;
    }

    private void assertOptimizerStateRefused(Path file, String expectedMessagePart) {
        Net other = new Net(5);
        Adam adam = new Adam(other, 0.3);
        double[] weight = other.head.weight().data().clone();
        double[] embedding = other.embedding.weight().data().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file, other, adam, true));
        assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
        assertArrayEquals(weight, other.head.weight().data());
        assertArrayEquals(embedding, other.embedding.weight().data());
        assertEquals(0, adam.stepCount());
        assertEquals(0.3, adam.groups().get(0).learningRate());
        assertEquals(0, adam.state().buffers().get("head.weight.exp_avg").values()[0]);
    }

    @Test
    void optimizerStateOfTheWrongShapeIsRefusedBeforeAnythingChanges() throws IOException {
        Path file = adamCheckpointEdited(new Net(1), (tensors, meta) ->
                tensors.put("optimizer.head.weight.exp_avg", new StoredTensor(new long[] {4, 6}, new double[24])));
        assertOptimizerStateRefused(file, "tensor 'optimizer.head.weight.exp_avg' has shape [4, 6] but the module's "
                + "parameter is 6x4");
        file = adamCheckpointEdited(new Net(1), (tensors, meta) -> tensors.remove("optimizer.head.bias.exp_avg_sq"));
        assertOptimizerStateRefused(file, "the state lacks 'head.bias.exp_avg_sq'");
    }

    @Test
    void missingOrMalformedOptimizerMetadataIsRefusedBeforeAnythingChanges() throws IOException {
        assertOptimizerStateRefused(adamCheckpointEdited(new Net(1), (t, meta) -> meta.remove("optimizer.step")),
                "metadata 'optimizer.step' is missing");
        assertOptimizerStateRefused(adamCheckpointEdited(new Net(1), (t, meta) -> meta.put("optimizer.step", "2.5")),
                "metadata 'optimizer.step' is '2.5', not an integer");
        assertOptimizerStateRefused(adamCheckpointEdited(new Net(1), (t, meta) -> meta.remove("optimizer.steps.head.bias")),
                "metadata 'optimizer.steps.head.bias' is missing");
        assertOptimizerStateRefused(adamCheckpointEdited(new Net(1), (t, meta) -> meta.remove("optimizer.groups.0.lr")),
                "metadata 'optimizer.groups.0.lr' is missing");
        assertOptimizerStateRefused(adamCheckpointEdited(new Net(1), (t, meta) -> meta.put("optimizer.groups.0.lr", "fast")),
                "metadata 'optimizer.groups.0.lr' is 'fast', not a number");
        assertOptimizerStateRefused(adamCheckpointEdited(new Net(1), (t, meta) -> meta.put("optimizer.groups.0.lr", "-0.1")),
                "group 0: lr: learning rate -0.1 must be a number from 0 to 1000000.0");
        assertOptimizerStateRefused(adamCheckpointEdited(new Net(1), (t, meta) -> meta.put("optimizer.groups.0.amsgrad",
                "maybe")), "group 0: 'amsgrad' is 'maybe', not true or false");
        assertOptimizerStateRefused(adamCheckpointEdited(new Net(1), (t, meta) -> meta.put("optimizer.groups", "2")),
                "metadata 'optimizer.groups.1.lr' is missing");
        assertOptimizerStateRefused(adamCheckpointEdited(new Net(1), (t, meta) -> meta.put("optimizer.group_of.head.bias",
                "3")), "metadata 'optimizer.group_of.head.bias' is 3, outside the 1 parameter groups");
        assertOptimizerStateRefused(adamCheckpointEdited(new Net(1), (t, meta) -> meta.put("optimizer.groups.7.eps",
                "1")), "metadata 'optimizer.groups.7.eps' names no group of the 1");
        assertOptimizerStateRefused(adamCheckpointEdited(new Net(1), (t, meta) -> meta.put("optimizer.groups.0.weight_decay",
                "1e308")), "weight_decay 1.0E308 must be at most 1000000.0");
        assertOptimizerStateRefused(adamCheckpointEdited(new Net(1), (t, meta) -> meta.remove("optimizer.type")),
                "holds no optimizer state");
    }

    @Test
    void optimizerStateSavedBeforeParameterGroupsResumesAsOneGroup() throws IOException {
        Net net = new Net(1);
        Adam saved = new Adam(net, 0.1);
        train(net, saved, 2, 0);
        Path file = adamCheckpointEdited(new Net(1), (t, meta) -> {
            meta.keySet().removeIf(k -> k.startsWith("optimizer.group"));
            meta.put("optimizer.lr", "0.05");
        });
        Net other = new Net(5);
        Adam resumed = new Adam(other, 0.3);
        Checkpoint.load(file, other, resumed, true);
        assertEquals(0.05, resumed.groups().get(0).learningRate());
        assertEquals(saved.stepCount(), resumed.stepCount());
        saved.state().buffers().forEach((key, buffer) ->
                assertArrayEquals(buffer.values(), resumed.state().buffers().get(key).values(), key));
        assertArrayEquals(net.head.weight().data(), other.head.weight().data());

        Net six = new Net(6);
        Adam grouped = Adam.options().group(ParameterFilter.vectors(), g -> g.weightDecay(0)).build(six);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file, six, grouped, true));
        assertTrue(e.getMessage().contains("saved before parameter groups ('optimizer.lr', no 'optimizer.groups'), one "
                + "learning rate for all parameters, but the optimizer has 2 groups"), e.getMessage());
    }

    @Test
    void carriedTensorsRoundTripExactlyInTheirPrecisionAndModuleLoadingSkipsThem() throws IOException {
        Net net = new Net(1);
        Adam adam = new Adam(net, 0.1);
        train(net, adam, 1, 0);
        Tensor h = Tensor.uniform(3, 4, -1, 1, 7);
        Tensor c = Tensor.uniform(3, 4, -1, 1, 8).to(DType.F32);
        Path file = dir.resolve("carried.safetensors");
        Checkpoint.save(file, net, adam, Map.of("iteration", "1"), Map.of("tbptt.0.h", h, "tbptt.0.c", c));

        Map<String, Tensor> carried = Checkpoint.carried(file);
        assertEquals(Set.of("tbptt.0.h", "tbptt.0.c"), carried.keySet());
        assertArrayEquals(h.data(), carried.get("tbptt.0.h").data());
        assertEquals(DType.F32, carried.get("tbptt.0.c").dtype());
        assertArrayEquals(c.dataF32(), carried.get("tbptt.0.c").dataF32());
        Net other = new Net(2);
        LoadResult strict = Checkpoint.load(file, other, new Adam(other, 0.1), true);
        assertTrue(strict.unexpectedKeys().isEmpty(), strict.unexpectedKeys().toString());
        assertTrue(Checkpoint.carried(saveWithout(net)).isEmpty());
    }

    @Test
    void carriedTensorsThatAreNotFiniteAreRefused() throws IOException {
        Net net = new Net(1);
        Tensor bad = Tensor.of(new double[][] {{1, Double.NaN}});
        Path file = dir.resolve("nan.safetensors");
        Checkpoint.save(file, net, null, Map.of(), Map.of("tbptt.0.h", bad));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.carried(file));
        assertTrue(e.getMessage().contains("tensor 'carried.tbptt.0.h' holds NaN or infinity"), e.getMessage());
    }

    private Path saveWithout(Net net) throws IOException {
        Path file = dir.resolve("plain.safetensors");
        Checkpoint.save(file, net);
        return file;
    }

    @Test
    void theSameContentGivesTheSameBytesWhateverOrderTheCallersMapsIterateIn() throws IOException {
        Net net = new Net(1);
        Map<String, String> forward = new LinkedHashMap<>();
        Map<String, String> backward = new LinkedHashMap<>();
        Map<String, Tensor> carriedForward = new LinkedHashMap<>();
        Map<String, Tensor> carriedBackward = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            forward.put("key" + i, "value" + i);
            backward.put("key" + (4 - i), "value" + (4 - i));
            carriedForward.put("s" + i, Tensor.uniform(1, 2, -1, 1, i));
            carriedBackward.put("s" + (4 - i), Tensor.uniform(1, 2, -1, 1, 4 - i));
        }
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        Checkpoint.save(a, net, null, forward, carriedForward);
        Checkpoint.save(b, net, null, backward, carriedBackward);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    /** A language model whose output projection shares the embedding's weight, as PyTorch models tie them. */
    static final class TiedNet extends Module {
        final Embedding embedding;
        final Linear head;

        TiedNet(long seed) {
            embedding = registerModule("embedding", new Embedding(6, 4, seed));
            head = registerModule("head", new Linear(embedding.weight(), Parameter.vector(Tensor.zeros(1, 6))));
        }
    }

    @Test
    void aTiedParameterIsSavedOnceAndLoadsFromEitherPathOrFromBothWhenEqual() throws IOException {
        TiedNet saved = new TiedNet(1);
        Path once = dir.resolve("tied.safetensors");
        Checkpoint.save(once, saved);
        assertEquals(List.of("embedding.weight", "head.bias"), List.copyOf(SafeTensors.read(once).tensors().keySet()));
        TiedNet loaded = new TiedNet(2);
        Checkpoint.load(once, loaded);
        assertArrayEquals(saved.embedding.weight().data(), loaded.head.weight().data());

        // a PyTorch state_dict lists the tied weight under both of its paths
        double[] w = saved.embedding.weight().data();
        Path both = dir.resolve("both.safetensors");
        SafeTensors.write(both, new LinkedHashMap<>(Map.of(
                "embedding.weight", new StoredTensor(new long[] {6, 4}, w.clone()),
                "head.weight", new StoredTensor(new long[] {6, 4}, w.clone()),
                "head.bias", new StoredTensor(new long[] {6}, new double[6]))), Map.of());
        TiedNet fromBoth = new TiedNet(3);
        Checkpoint.load(both, fromBoth);
        assertArrayEquals(w, fromBoth.embedding.weight().data());
        assertSame(fromBoth.embedding.weight(), fromBoth.head.weight());

        // safetensors' own deduplication may keep the other path
        Path other = dir.resolve("other.safetensors");
        SafeTensors.write(other, new LinkedHashMap<>(Map.of(
                "head.weight", new StoredTensor(new long[] {6, 4}, w.clone()),
                "head.bias", new StoredTensor(new long[] {6}, new double[6]))), Map.of());
        TiedNet fromOther = new TiedNet(4);
        Checkpoint.load(other, fromOther);
        assertArrayEquals(w, fromOther.embedding.weight().data());
    }

    @Test
    void twoPathsOfATiedParameterWithDifferentValuesAreRefused() throws IOException {
        double[] w = new TiedNet(1).embedding.weight().data();
        double[] changed = w.clone();
        changed[5] += 1e-9;
        Path file = dir.resolve("differ.safetensors");
        SafeTensors.write(file, new LinkedHashMap<>(Map.of(
                "embedding.weight", new StoredTensor(new long[] {6, 4}, w.clone()),
                "head.weight", new StoredTensor(new long[] {6, 4}, changed),
                "head.bias", new StoredTensor(new long[] {6}, new double[6]))), Map.of());
        for (boolean strict : new boolean[] {true, false}) {
            TiedNet net = new TiedNet(2);
            double[] before = net.embedding.weight().data().clone();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Checkpoint.load(file, net, null, strict));
            assertTrue(e.getMessage().contains("holds 'embedding.weight' and 'head.weight', two paths of one tied parameter, "
                    + "with different values"), e.getMessage());
            assertArrayEquals(before, net.embedding.weight().data());
        }
    }

    @Test
    void aCheckpointGetsThePermissionsOfAnyNewFileNotTheOwnerOnlyOnesOfATemporaryFile() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path reference = Files.createFile(dir.resolve("reference"));
        Set<PosixFilePermission> normal = Files.getPosixFilePermissions(reference);
        Path file = dir.resolve("perm.safetensors");
        Checkpoint.save(file, new Net(1));
        assertEquals(normal, Files.getPosixFilePermissions(file));
        Checkpoint.save(file, new Net(2));
        assertEquals(normal, Files.getPosixFilePermissions(file));
    }

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousFileIntactAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("keep.safetensors");
        Checkpoint.save(file, new Net(1));
        byte[] good = Files.readAllBytes(file);
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(file, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertArrayEquals(good, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }
}
