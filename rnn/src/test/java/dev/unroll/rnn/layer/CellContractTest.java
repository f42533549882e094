package dev.unroll.rnn.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.SequenceOutput;
import dev.unroll.rnn.State;
import dev.unroll.rnn.ToyCells.AccumulatorCell;
import dev.unroll.rnn.ToyCells.ForgetfulCell;
import dev.unroll.rnn.ToyCells.GainCell;
import dev.unroll.rnn.ToyCells.RunningMeanCell;
import dev.unroll.rnn.cell.LstmCell;
import dev.unroll.rnn.cell.ZoneoutCell;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cell of one's own in a RecurrentLayer: what the layer owes it, and the misuse it names. */
class CellContractTest {

    private static final int IN = 2;
    private static final int H = 3;
    private static final RecurrentOptions DEEP = RecurrentOptions.defaults().layers(2).bidirectional();

    private static List<Tensor> sequence(int steps, int batch, int width, long seed) {
        List<Tensor> xs = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            xs.add(Tensor.uniform(batch, width, -1, 1, seed + t));
        }
        return xs;
    }

    private static List<Tensor> ones(int steps, int batch, int width) {
        List<Tensor> xs = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            xs.add(Tensor.ones(batch, width));
        }
        return xs;
    }

    private static RecurrentLayer gainLayer(long seed) {
        return new RecurrentLayer(IN, (in, rng) -> new GainCell(in, H, rng), DEEP, seed);
    }

    private static Tensor sumOfOutputs(SequenceOutput out) {
        Tensor loss = Tensor.scalar(0);
        int k = 0;
        for (Tensor o : out.outputs()) {
            loss = loss.add(o.mul(Tensor.uniform(1, o.cols(), -1, 1, 50 + k++)).sum());
        }
        return loss;
    }

    @Test
    void everyParameterOfEveryCellIsTheLayersUnderTheCellsNameWithPyTorchsSuffixes() {
        RecurrentLayer layer = gainLayer(1);
        List<String> cell = List.of("weight", "recurrent", "gain", "norm_weight", "norm_bias");
        List<String> expected = new ArrayList<>();
        for (String suffix : List.of("_l0", "_l0_reverse", "_l1", "_l1_reverse")) {
            cell.forEach(name -> expected.add(name + suffix));
        }
        assertEquals(expected, List.copyOf(layer.namedParameters().keySet()));
        assertEquals("3x6", layer.namedParameters().get("weight_l1").shape(), "layer 1 reads both directions of layer 0");
        assertTrue(layer.namedParameters().get("gain_l1_reverse") == ((GainCell) layer.cell(1, true)).gain());
        assertEquals(6, layer.outputSize());
    }

    /** The trap of issue 11: a parameter a cell adds must be trained, zeroed and checkpointed like any other. */
    @Test
    void aCellsExtraParameterIsTrainedZeroedAndCheckpointed(@TempDir Path dir) throws IOException {
        RecurrentLayer layer = gainLayer(2);
        Parameter gain = ((GainCell) layer.cell(1, true)).gain();
        Parameter normBias = layer.namedParameters().get("norm_bias_l0");
        double[] gainBefore = gain.data().clone();
        Adam adam = new Adam(layer, 0.05);
        List<Tensor> xs = sequence(3, 2, IN, 3);
        for (int step = 0; step < 3; step++) {
            layer.zeroGrad();
            try (Tape tape = Tape.record()) {
                tape.backward(sumOfOutputs(layer.forward(xs)));
            }
            adam.step();
        }
        assertFalse(Arrays.equals(gainBefore, gain.data()), "the optimizer updated the cell's own gain");
        assertTrue(Arrays.stream(normBias.data()).anyMatch(v -> v != 0), "and its submodule's bias");
        layer.zeroGrad();
        assertFalse(gain.hasGrad(), "zeroGrad() zeroed the gain's gradient");

        Path file = dir.resolve("gain.safetensors");
        Checkpoint.save(file, layer);
        RecurrentLayer loaded = gainLayer(99);
        assertFalse(Arrays.equals(gain.data(), ((GainCell) loaded.cell(1, true)).gain().data()));
        Checkpoint.load(file, loaded);
        assertArrayEquals(gain.data(), ((GainCell) loaded.cell(1, true)).gain().data(), 0.0);
        assertArrayEquals(layer.forward(xs).last().data(), loaded.forward(xs).last().data(), 0.0);
    }

    @Test
    void aCellWithoutInputSplitRunsAsItsOwnStepsWouldAndTakesOneHotTokens() {
        RecurrentLayer layer = new RecurrentLayer(4, (in, rng) -> new GainCell(in, H, rng),
                RecurrentOptions.defaults().layers(2), 4);
        int[][] tokens = {{1, 3}, {0, 2}, {3, 3}};
        List<Tensor> rows = new ArrayList<>();
        for (int[] step : tokens) {
            rows.add(ShapeOps.oneHot(step, 4));
        }
        SequenceOutput out = layer.forward(rows);
        SequenceOutput viaTokens = layer.forwardOneHot(tokens, null, null);
        List<State> state = layer.initialState(2);
        List<State> stepped = layer.initialState(2);
        for (int t = 0; t < tokens.length; t++) {
            State lower = layer.cell(0, false).step(rows.get(t), state.get(0));
            State upper = layer.cell(1, false).step(lower.h(), state.get(1));
            state = List.of(lower, upper);
            stepped = layer.step(rows.get(t), stepped);
            assertArrayEquals(upper.h().data(), out.outputs().get(t).data(), 1e-14);
            assertArrayEquals(upper.h().data(), viaTokens.outputs().get(t).data(), 1e-14);
            assertArrayEquals(upper.h().data(), stepped.get(1).h().data(), 1e-14);
        }
    }

    @Test
    void everyStatePartStopsAtItsSequencesEndAndEveryPartCanBeLearned() {
        RecurrentLayer layer = new RecurrentLayer(IN, (in, rng) -> new RunningMeanCell(in, H, rng),
                DEEP.learnedInitialState(), 5);
        assertTrue(layer.namedParameters().keySet().containsAll(List.of("h0_l0", "total0_l0", "steps0_l0",
                "steps0_l1_reverse")));
        layer.namedParameters().forEach((name, p) -> {
            if (name.startsWith("steps0")) {
                p.data()[0] = 10;
            }
        });
        SequenceOutput out = layer.forward(sequence(4, 3, IN, 6), null, new int[] {4, 1, 3});
        for (State s : out.finalStates()) {
            assertArrayEquals(new double[] {14, 11, 13}, s.part("steps").data(), 0.0, "10 learned + each length");
        }
        RecurrentLayer onlyTotal = new RecurrentLayer(IN, (in, rng) -> new RunningMeanCell(in, H, rng),
                RecurrentOptions.defaults().learnedInitialState("total"), 5);
        assertEquals(List.of("weight_l0", "total0_l0"), List.copyOf(onlyTotal.namedParameters().keySet()));
        Lstm lstm = new Lstm(IN, H, RecurrentOptions.defaults().learnedInitialState("h"), 7);
        assertNotNull(lstm.namedParameters().get("h0_l0"));
        assertFalse(lstm.namedParameters().containsKey("c0_l0"));
    }

    @Test
    void misuseIsNamedWhereItHappens() {
        assertEquals("Lstm: learnedInitialState(\"n\") names a state part LstmCell does not have; its parts are [h, c]",
                assertThrows(IllegalArgumentException.class,
                        () -> new Lstm(IN, H, RecurrentOptions.defaults().learnedInitialState("n"), 1)).getMessage());
        assertEquals("LstmCell: projection size 3 must be smaller than the hidden size 3 (as PyTorch's proj_size), or 0 "
                + "for no projection", assertThrows(IllegalArgumentException.class,
                        () -> new Lstm(IN, H, RecurrentOptions.defaults().projection(3), 1)).getMessage());
        assertEquals("RecurrentLayer: the options set bias(false) but the layer's cells (MguCell) were not built with "
                + "it; it is a setting of the built-in RNN, LSTM and GRU: use Rnn, Lstm or Gru, or build your cells "
                + "without biases, or leave it unset", assertThrows(IllegalArgumentException.class,
                        () -> CellType.MGU.layer(IN, H, RecurrentOptions.defaults().bias(false), 1)).getMessage());
        assertEquals("Gru: the options set projection(2) but the layer's cells (GruCell) were not built with it; only "
                + "the LSTM has a projection: use Lstm, or leave it unset", assertThrows(IllegalArgumentException.class,
                        () -> new Gru(IN, H, RecurrentOptions.defaults().projection(2), 1)).getMessage());
        assertEquals("RecurrentLayer: the cell factory built MguCell reading 2 features for layer 1, which reads 3; "
                + "build every cell with the input size the factory is given", assertThrows(IllegalArgumentException.class,
                        () -> new RecurrentLayer(IN, (in, rng) -> CellType.MGU.cells(H, RecurrentOptions.defaults())
                                .create(IN, rng), RecurrentOptions.defaults().layers(2), 1)).getMessage());

        RecurrentLayer running = new RecurrentLayer(IN, (in, rng) -> new RunningMeanCell(in, H, rng),
                RecurrentOptions.defaults(), 1);
        List<Tensor> xs = sequence(2, 2, IN, 1);
        assertEquals("RecurrentLayer: initial state 0 [h 2x3, c 2x3] does not fit its cell, which needs [h 2x3, total "
                + "2x3, steps 2x1]; pass layer.initialState(2), or one State per layer and direction with the parts of "
                + "its cell (layer 0: [h 2x3, total 2x3, steps 2x1])", assertThrows(IllegalArgumentException.class,
                        () -> running.forward(xs, List.of(State.of(Tensor.zeros(2, H), Tensor.zeros(2, H))), null))
                        .getMessage());
        RecurrentLayer forgetful = new RecurrentLayer(IN, (in, rng) -> new ForgetfulCell(in), RecurrentOptions.defaults(), 1);
        assertEquals("ForgetfulCell: a step returned the state [h 2x2] but the cell declares [h 2x2, c 2x2]; return one "
                + "batch x width tensor per declared part, in order (State.of(cell.stateNames(), parts))",
                assertThrows(IllegalStateException.class, () -> forgetful.forward(xs)).getMessage());
        GainCell gain = new GainCell(IN, H, Randomness.seeded(3));
        assertEquals("GainCell: the state [h 2x3, c 2x3] does not fit; a batch of 2 needs [h 2x3]; start from "
                + "zeroState(2)", assertThrows(IllegalArgumentException.class, () -> gain.step(Tensor.zeros(2, IN),
                        State.of(Tensor.zeros(2, H), Tensor.zeros(2, H)))).getMessage(), "any cell's step checks its state");
        assertEquals("State: no part 'c'; this state has [h]", assertThrows(IllegalArgumentException.class,
                () -> State.of(Tensor.zeros(1, 1)).part("c")).getMessage());
        assertEquals("ZoneoutCell: LstmCell has no state part 'n'; its parts are [h, c]",
                assertThrows(IllegalArgumentException.class, () -> new ZoneoutCell(new LstmCell(IN, H, 1),
                        Map.of("n", 0.1), Randomness.seeded(1))).getMessage());
    }

    /** One mask per sequence: the same units are dropped at every step, different ones in other sequences. */
    @Test
    void variationalDropoutKeepsOneMaskPerSequenceForTheInputAndTheHiddenState() {
        RecurrentLayer inputOnly = new RecurrentLayer(8, (in, rng) -> new AccumulatorCell(in),
                RecurrentOptions.defaults().variationalDropout(0.5, 0), 3);
        SequenceOutput out = inputOnly.forward(ones(5, 4, 8));
        for (int t = 0; t < 5; t++) {
            for (int k = 0; k < 32; k++) {
                double perStep = out.outputs().get(t).data()[k] / (t + 1);
                assertTrue(perStep == 0 || perStep == 2, "each step adds the same masked input, 0 or 1 / (1 - p)");
                assertEquals(out.outputs().get(0).data()[k], perStep, 0.0, "the mask of step 0 at step " + t);
            }
        }
        double[] first = out.outputs().get(0).data();
        assertFalse(Arrays.equals(Arrays.copyOfRange(first, 0, 8), Arrays.copyOfRange(first, 8, 16)),
                "another sequence, another mask");
        assertFalse(Arrays.equals(first, inputOnly.forward(ones(5, 4, 8)).outputs().get(0).data()),
                "another forward, other masks");

        RecurrentLayer hiddenOnly = new RecurrentLayer(8, (in, rng) -> new AccumulatorCell(in),
                RecurrentOptions.defaults().variationalDropout(0, 0.5), 4);
        SequenceOutput recurrent = hiddenOnly.forward(ones(3, 4, 8));
        int kept = 0;
        for (int k = 0; k < 32; k++) {
            double[] path = {recurrent.outputs().get(0).data()[k], recurrent.outputs().get(1).data()[k],
                recurrent.outputs().get(2).data()[k]};
            boolean dropped = Arrays.equals(path, new double[] {1, 1, 1});
            assertTrue(dropped || Arrays.equals(path, new double[] {1, 3, 7}),
                    "h_t = m * h_(t-1) + 1 with the same m = 0 or 2 at every step: " + Arrays.toString(path));
            kept += dropped ? 0 : 1;
        }
        assertTrue(kept > 0 && kept < 32);

        hiddenOnly.eval();
        assertArrayEquals(new double[32], hiddenOnly.forward(ones(3, 4, 8)).last().sub(Tensor.full(4, 8, 3)).data(), 0.0,
                "no masks in evaluation");
        hiddenOnly.train(true);
        assertTrue(assertThrows(IllegalStateException.class, () -> hiddenOnly.step(Tensor.ones(4, 8),
                hiddenOnly.initialState(4))).getMessage().contains("call eval() before stepping"));
        RecurrentLayer again = new RecurrentLayer(8, (in, rng) -> new AccumulatorCell(in),
                RecurrentOptions.defaults().variationalDropout(0, 0.5), 4);
        assertArrayEquals(recurrent.last().data(), again.forward(ones(3, 4, 8)).last().data(), 0.0, "same seed, same masks");
    }

    /** Each unit keeps its previous value with probability p in training, and takes the expectation in evaluation. */
    @Test
    void zoneoutKeepsEachUnitOrUpdatesItAndTakesTheExpectationInEvaluation() {
        RecurrentLayer layer = new RecurrentLayer(8, (in, rng) -> new ZoneoutCell(new AccumulatorCell(in), 0.25, rng),
                RecurrentOptions.defaults(), 5);
        SequenceOutput out = layer.forward(ones(4, 4, 8));
        int keptSteps = 0;
        for (int t = 1; t < 4; t++) {
            double[] before = out.outputs().get(t - 1).data();
            double[] after = out.outputs().get(t).data();
            for (int k = 0; k < after.length; k++) {
                double step = after[k] - before[k];
                assertTrue(step == 0 || step == 1, "kept (0) or updated (1): " + step);
                keptSteps += step == 0 ? 1 : 0;
            }
        }
        assertTrue(keptSteps > 0 && keptSteps < 3 * 32, "some units zoned out, not all: " + keptSteps);
        layer.eval();
        double[] expected = new double[32];
        Arrays.fill(expected, 0.75 + 0.75 + 0.75);
        assertArrayEquals(expected, layer.forward(ones(3, 4, 8)).last().data(), 1e-15,
                "h' = h + (1 - p) * 1 from h = 0, three times");
        ZoneoutCell lstm = new ZoneoutCell(new LstmCell(IN, H, 1), Map.of("c", 0.5), Randomness.seeded(2));
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), List.copyOf(lstm.namedParameters().keySet()),
                "a zoneout LSTM has the LSTM's names, so PyTorch's weights load into it");
    }
}
