package dev.unroll.guide.cell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.State;
import dev.unroll.rnn.layer.RecurrentLayer;
import dev.unroll.rnn.layer.RecurrentOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guide's example cell does what the guide says: its step is the leaky-integrator equation,
 * its gradients (leak included) match finite differences, and a layer of it registers, trains and
 * checkpoints the leak like every other parameter.
 */
class LeakyCellTest {

    @TempDir
    Path dir;

    private static RecurrentLayer layer(RecurrentOptions options, long seed) {
        return new RecurrentLayer(3, (in, rng) -> new LeakyCell(in, 4, rng), options, seed);
    }

    @Test
    void aStepIsTheLeakyIntegratorEquation() {
        LeakyCell cell = new LeakyCell(3, 4, Randomness.seeded(1));
        Tensor x = Tensor.uniform(2, 3, -1, 1, 2);
        Tensor h = Tensor.uniform(2, 4, -1, 1, 3);
        Tensor next = cell.step(x, State.of(h)).h();
        Tensor wIh = cell.namedParameters().get("weight_ih");
        Tensor wHh = cell.namedParameters().get("weight_hh");
        for (int b = 0; b < 2; b++) {
            for (int j = 0; j < 4; j++) {
                double z = 0;
                for (int i = 0; i < 3; i++) {
                    z += wIh.get(j, i) * x.get(b, i);
                }
                for (int i = 0; i < 4; i++) {
                    z += wHh.get(j, i) * h.get(b, i);
                }
                double expected = h.get(b, j) + 0.5 * (Math.tanh(z) - h.get(b, j));   // leak 0: rate 1/2
                assertEquals(expected, next.get(b, j), 1e-15);
            }
        }
    }

    @Test
    void gradientsOfEveryParameterAndTheStateMatchFiniteDifferences() {
        LeakyCell cell = new LeakyCell(3, 4, Randomness.seeded(4));
        cell.namedParameters().get("leak").data()[1] = 1.5;   // rates that differ per unit
        List<Tensor> xs = List.of(Tensor.uniform(2, 3, -1, 1, 5), Tensor.uniform(2, 3, -1, 1, 6));
        List<Tensor> leaves = new ArrayList<>(cell.parameters());
        leaves.add(Tensor.uniform(2, 4, -0.5, 0.5, 7));
        Function<List<Tensor>, Tensor> loss = in -> {
            State state = State.of(in.get(in.size() - 1));
            for (Tensor x : xs) {
                state = cell.step(x, state);
            }
            return state.h().mul(Tensor.uniform(2, 4, -1, 1, 8)).sum();
        };
        GradCheck.check(loss, leaves, 1e-6).assertBelow(1e-6);
    }

    @Test
    void aLayerRegistersTrainsAndCheckpointsTheLeakOfEveryLayerAndDirection() throws Exception {
        RecurrentLayer layer = layer(RecurrentOptions.defaults().layers(2).bidirectional(), 9);
        for (String name : List.of("leak_l0", "leak_l0_reverse", "leak_l1", "leak_l1_reverse", "weight_hh_l1_reverse")) {
            assertTrue(layer.namedParameters().containsKey(name), name + " in " + layer.namedParameters().keySet());
        }
        Parameter leak = layer.namedParameters().get("leak_l0");
        double[] before = leak.data().clone();
        Adam adam = new Adam(layer, 0.05);
        List<Tensor> inputs = List.of(Tensor.uniform(2, 3, -1, 1, 10), Tensor.uniform(2, 3, -1, 1, 11),
                Tensor.uniform(2, 3, -1, 1, 12));
        double first = 0;
        double last = 0;
        for (int step = 0; step < 30; step++) {
            layer.zeroGrad();
            try (Tape tape = Tape.record()) {
                List<Tensor> outputs = layer.forward(inputs).outputs();
                Tensor loss = outputs.get(outputs.size() - 1).sub(Tensor.full(2, 8, 0.3)).pow(2).mean();
                tape.backward(loss);
                last = loss.item();
            }
            first = step == 0 ? last : first;
            adam.step();
        }
        assertTrue(last < first / 2, "the layer learned: " + first + " -> " + last);
        assertNotEquals(before[0], leak.data()[0], "the optimizer moved the leak");

        Path file = dir.resolve("leaky.safetensors");
        Checkpoint.save(file, layer);
        RecurrentLayer restored = layer(RecurrentOptions.defaults().layers(2).bidirectional(), 77);
        Checkpoint.load(file, restored);
        assertArrayEquals(leak.data(), restored.namedParameters().get("leak_l0").data(), 0.0);
    }
}
