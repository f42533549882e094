package dev.unroll.rnn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.checkpoint.SafeTensors;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.checkpoint.StoredTensor;
import dev.unroll.rnn.SequenceOutput;
import dev.unroll.rnn.State;
import dev.unroll.rnn.cell.RnnCell;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A PyTorch nn.LSTM / nn.GRU / nn.RNN state_dict (each also with {@code bias=False}, and the LSTM
 * with {@code proj_size=2}), saved as safetensors by
 * {@code src/test/resources/pytorch/make_fixtures.py}, loads strictly by name into Unroll's
 * layer (every parameter present, no tensor left over), which then reproduces PyTorch's outputs
 * and final states (from {@code <kind>_reference.safetensors}), with and without per-sequence
 * lengths (packed sequences), and the same gradients: of the scalar loss
 * {@code sum(output * R) + sum(h_n * S) (+ sum(c_n * U) for the LSTM)}, with PyTorch's fixed random
 * R, S, U, with respect to every parameter and the input.
 *
 * <p>Layouts: PyTorch's output is T x B x 2P (P the projection size, else H) with the forward
 * direction's P columns first, as Unroll's concatenation [forward | reverse], so step t of Unroll's
 * outputs is the B x 2P block t; h_n is (layers*2) x B x P and c_n (layers*2) x B x H, ordered
 * layer 0 forward, layer 0 reverse, layer 1 forward, ..., as {@link SequenceOutput#finalStates()},
 * so state i is block i. Parameters are stored row-major with PyTorch's shapes (a bias is Unroll's
 * 1 x n row).
 */
class PyTorchParityTest {

    private static final int STEPS = 4;
    private static final int BATCH = 3;
    private static final int HIDDEN = 3;
    private static final int PROJECTION = 2;
    private static final RecurrentOptions OPTIONS = RecurrentOptions.defaults().layers(2).bidirectional();
    private static final RecurrentOptions NO_BIAS = OPTIONS.bias(false);

    /**
     * Gradients must agree to 1e-10 of the largest magnitude in the same gradient tensor. Both
     * sides compute in float64 from identical parameters, so they differ only by rounding in a
     * different summation order (observed: at most about 1e-15 of the largest entry); a wrong
     * derivative, a missed BPTT term or a mismatched layout is off by percents, and even a 1e-8
     * relative error in one backward step fails. Scaling by the tensor's largest entry rather
     * than each entry keeps the bound meaningful for entries that are (near) zero, such as the
     * input gradient at padded steps, which must be zero.
     */
    private static final double GRADIENT_TOLERANCE = 1e-10;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(PyTorchParityTest.class.getResource("/pytorch/" + name + ".safetensors").toURI());
    }

    private static RecurrentLayer layer(String kind) {
        return switch (kind) {
            case "lstm" -> new Lstm(2, HIDDEN, OPTIONS, 0);
            case "gru" -> new Gru(2, HIDDEN, OPTIONS, 0);
            case "rnn" -> new Rnn(2, HIDDEN, RnnCell.Activation.TANH, OPTIONS, 0);
            case "lstm_nobias" -> new Lstm(2, HIDDEN, NO_BIAS, 0);
            case "gru_nobias" -> new Gru(2, HIDDEN, NO_BIAS, 0);
            case "rnn_nobias" -> new Rnn(2, HIDDEN, RnnCell.Activation.TANH, NO_BIAS, 0);
            case "lstm_proj" -> new Lstm(2, HIDDEN, OPTIONS.projection(PROJECTION), 0);
            default -> throw new IllegalArgumentException("no fixture " + kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn", "lstm_nobias", "gru_nobias", "rnn_nobias", "lstm_proj"})
    void aPyTorchStateDictLoadsStrictlyAndGivesTheSameOutputs(String kind) throws IOException, URISyntaxException {
        RecurrentLayer layer = layer(kind);
        Checkpoint.load(resource(kind), layer);
        Map<String, StoredTensor> t = SafeTensors.read(resource(kind + "_reference")).tensors();
        List<Tensor> inputs = inputs(t);
        compare(layer.forward(inputs), t, "full");
        compare(layer.forward(inputs, null, lengths(t)), t, "lengths");
    }

    /** The input, T x B x 2 in PyTorch's layout, as one B x 2 tensor per step. */
    private static List<Tensor> inputs(Map<String, StoredTensor> t) {
        double[] x = t.get("input").values();
        List<Tensor> inputs = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            inputs.add(block(x, s, BATCH, 2));
        }
        return inputs;
    }

    private static int[] lengths(Map<String, StoredTensor> t) {
        double[] lengthValues = t.get("lengths").values();
        int[] lengths = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
            lengths[b] = (int) lengthValues[b];
        }
        return lengths;
    }

    /** The rows x cols matrix at {@code index} of a row-major N x rows x cols array. */
    private static Tensor block(double[] values, int index, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(values, (index * rows + i) * cols, out[i], 0, cols);
        }
        return Tensor.of(out);
    }

    private static void compareGradient(String name, double[] got, Map<String, StoredTensor> t) {
        compareToLargest(name, got, t, GRADIENT_TOLERANCE);
    }

    private static void compareFloat32(String name, double[] got, Map<String, StoredTensor> t) {
        compareToLargest(name, got, t, 1e-5);
    }

    /** A float32 tensor's values widened to double, row-major. */
    private static double[] float64Values(Tensor x) {
        return x.to(DType.F64).data();
    }

    /** Every entry within {@code tolerance} of the largest PyTorch entry of the same tensor. */
    private static void compareToLargest(String name, double[] got, Map<String, StoredTensor> t, double tolerance) {
        StoredTensor stored = t.get(name);
        assertNotNull(stored, "PyTorch has no " + name);
        double[] expected = stored.values();
        assertEquals(expected.length, got.length, name + " size");
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertTrue(scale > 0, name + " is zero in PyTorch, so it would test nothing");
        for (int k = 0; k < got.length; k++) {
            double error = Math.abs(got[k] - expected[k]);
            assertTrue(error <= tolerance * scale, name + "[" + k + "]: Unroll " + got[k] + ", PyTorch "
                    + expected[k] + ", error " + error / scale + " of the largest entry " + scale);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"lstm, full", "lstm, lengths", "gru, full", "gru, lengths", "rnn, full", "rnn, lengths",
        "lstm_nobias, full", "lstm_nobias, lengths", "gru_nobias, full", "gru_nobias, lengths", "rnn_nobias, full",
        "rnn_nobias, lengths", "lstm_proj, full", "lstm_proj, lengths"})
    void gradientsOfEveryParameterAndTheInputMatchPyTorch(String kind, String variant)
            throws IOException, URISyntaxException {
        RecurrentLayer layer = layer(kind);
        Checkpoint.load(resource(kind), layer);
        Map<String, StoredTensor> t = SafeTensors.read(resource(kind + "_reference")).tensors();
        List<Tensor> inputs = inputs(t);
        inputs.forEach(x -> x.requiresGrad(true));
        int[] lengths = variant.equals("lengths") ? lengths(t) : null;
        double[] r = t.get("loss_R").values();
        double[] s = t.get("loss_S").values();
        StoredTensor u = t.get("loss_U");
        assertEquals(kind.startsWith("lstm"), u != null, "loss_U present exactly for the LSTM");
        SequenceOutput out;
        try (Tape tape = Tape.record()) {
            out = layer.forward(inputs, null, lengths);
            int width = layer.outputSize();
            Tensor loss = Tensor.scalar(0);
            for (int step = 0; step < STEPS; step++) {
                loss = loss.add(out.outputs().get(step).mul(block(r, step, BATCH, width)).sum());
            }
            for (int i = 0; i < out.finalStates().size(); i++) {
                State state = out.finalStates().get(i);
                loss = loss.add(state.h().mul(block(s, i, BATCH, state.h().cols())).sum());
                if (u != null) {
                    loss = loss.add(state.part("c").mul(block(u.values(), i, BATCH, HIDDEN)).sum());
                }
            }
            tape.backward(loss);
            assertEquals(t.get("loss_" + variant).values()[0], loss.item(), 1e-10, "loss");
        }
        compare(out, t, variant);

        Set<String> expectedNames = new TreeSet<>();
        t.keySet().stream().filter(k -> k.startsWith("grad_" + variant + ".")).forEach(expectedNames::add);
        Set<String> comparedNames = new TreeSet<>();
        double[] inputGrad = new double[STEPS * BATCH * 2];
        for (int step = 0; step < STEPS; step++) {
            Tensor g = inputs.get(step).grad();
            assertNotNull(g, "no gradient reached the input at step " + step);
            System.arraycopy(g.data(), 0, inputGrad, step * BATCH * 2, BATCH * 2);
        }
        compareGradient("grad_" + variant + ".input", inputGrad, t);
        comparedNames.add("grad_" + variant + ".input");
        for (Map.Entry<String, Parameter> p : layer.namedParameters().entrySet()) {
            Tensor g = p.getValue().grad();
            assertNotNull(g, "no gradient reached " + p.getKey());
            compareGradient("grad_" + variant + "." + p.getKey(), g.data(), t);
            comparedNames.add("grad_" + variant + "." + p.getKey());
        }
        assertEquals(expectedNames, comparedNames, "every PyTorch gradient compared, and only those");
    }

    /**
     * Float32: PyTorch's float32 state_dict (F32 in the file) loads into a float32 layer, whose
     * float32 forward and backward give PyTorch's float32 outputs, final states and gradients to
     * 1e-5 of each tensor's largest entry: both round every op to float32 (about 6e-8), in
     * different orders, over a few dozen ops of a 2-layer bidirectional step.
     */
    @ParameterizedTest(name = "{0} float32, {1}")
    @CsvSource({"lstm, full", "lstm, lengths", "gru, full", "gru, lengths", "rnn, full", "rnn, lengths"})
    void float32OutputsAndGradientsMatchPyTorchFloat32(String kind, String variant) throws IOException, URISyntaxException {
        RecurrentLayer layer = layer(kind);
        layer.to(DType.F32);
        Checkpoint.load(resource(kind + "_f32"), layer);
        Map<String, StoredTensor> t = SafeTensors.read(resource(kind + "_f32_reference")).tensors();
        List<Tensor> inputs = new ArrayList<>();
        for (Tensor x : inputs(t)) {
            inputs.add(x.to(DType.F32).requiresGrad(true));
        }
        int[] lengths = variant.equals("lengths") ? lengths(t) : null;
        double[] r = t.get("loss_R").values();
        double[] s = t.get("loss_S").values();
        StoredTensor u = t.get("loss_U");
        SequenceOutput out;
        try (Tape tape = Tape.record()) {
            out = layer.forward(inputs, null, lengths);
            Tensor loss = Tensor.scalar(0).to(DType.F32);
            for (int step = 0; step < STEPS; step++) {
                loss = loss.add(out.outputs().get(step).mul(block(r, step, BATCH, layer.outputSize()).to(DType.F32)).sum());
            }
            for (int i = 0; i < out.finalStates().size(); i++) {
                State state = out.finalStates().get(i);
                loss = loss.add(state.h().mul(block(s, i, BATCH, state.h().cols()).to(DType.F32)).sum());
                if (u != null) {
                    loss = loss.add(state.part("c").mul(block(u.values(), i, BATCH, HIDDEN).to(DType.F32)).sum());
                }
            }
            tape.backward(loss);
        }
        double[] output = new double[STEPS * BATCH * layer.outputSize()];
        for (int step = 0; step < STEPS; step++) {
            double[] values = float64Values(out.outputs().get(step));
            System.arraycopy(values, 0, output, step * values.length, values.length);
        }
        compareFloat32("output_" + variant, output, t);
        double[] h = new double[out.finalStates().size() * BATCH * HIDDEN];
        for (int i = 0; i < out.finalStates().size(); i++) {
            System.arraycopy(float64Values(out.finalStates().get(i).h()), 0, h, i * BATCH * HIDDEN, BATCH * HIDDEN);
        }
        compareFloat32("h_n_" + variant, h, t);
        double[] inputGrad = new double[STEPS * BATCH * 2];
        for (int step = 0; step < STEPS; step++) {
            System.arraycopy(float64Values(inputs.get(step).grad()), 0, inputGrad, step * BATCH * 2, BATCH * 2);
        }
        compareFloat32("grad_" + variant + ".input", inputGrad, t);
        for (Map.Entry<String, Parameter> p : layer.namedParameters().entrySet()) {
            assertEquals(DType.F32, p.getValue().dtype());
            compareFloat32("grad_" + variant + "." + p.getKey(), float64Values(p.getValue().grad()), t);
        }
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
            int width = out.finalStates().get(0).part(part).cols();
            assertEquals(out.finalStates().size() * BATCH * width, stored.values().length, part + "_n size");
            for (int i = 0; i < out.finalStates().size(); i++) {
                Tensor state = out.finalStates().get(i).part(part);
                for (int k = 0; k < state.size(); k++) {
                    assertEquals(stored.values()[i * state.size() + k], state.data()[k], 1e-10,
                            variant + " " + part + "_n[" + i + "]");
                }
            }
        }
    }
}
