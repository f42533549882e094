package dev.unroll.rnn.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.init.Init;
import dev.unroll.rnn.SequenceOutput;
import dev.unroll.rnn.State;
import dev.unroll.rnn.ToyCells.GainCell;
import dev.unroll.rnn.ToyCells.ReplayedRandom;
import dev.unroll.rnn.ToyCells.RunningMeanCell;
import dev.unroll.rnn.cell.LstmCell;
import dev.unroll.rnn.cell.RnnCell;
import dev.unroll.rnn.cell.ZoneoutCell;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecurrentLayersTest {

    private static final int IN = 2;
    private static final int H = 3;

    /**
     * A layer to check, and the generator its masks come from when it draws any (zoneout,
     * variational dropout), which {@link #forward} restarts so every evaluation of a gradient
     * check sees the same masks.
     */
    record Case(String name, RecurrentLayer layer, ReplayedRandom masks) {
        /**
         * Starts the learned initial states away from zero: a layer-normalized LSTM normalizes
         * h0 W_hh^T, whose derivative at h0 = 0 is 1/sqrt(eps), too steep for finite differences.
         */
        Case {
            layer.namedParameters().forEach((path, p) -> {
                if (path.matches(".*0_l\\d.*")) {
                    Init.uniform(p, 0.2, 0.6, Randomness.seeded(path.hashCode()));
                }
            });
        }

        SequenceOutput forward(List<Tensor> inputs, int[] lengths) {
            if (masks != null) {
                masks.reset();
            }
            return layer.forward(inputs, null, lengths);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every shipped cell, a cell of three parts and a cell without input split, stacked and bidirectional. */
    static Stream<Case> layers() {
        RecurrentOptions deep = RecurrentOptions.defaults().layers(2).bidirectional().learnedInitialState();
        ReplayedRandom zoneoutMasks = new ReplayedRandom(12);
        ReplayedRandom variationalMasks = new ReplayedRandom(13);
        return Stream.of(
                new Case("lstm", new Lstm(IN, H, deep, 1), null),
                new Case("gru", new Gru(IN, H, deep, 2), null),
                new Case("rnn", new Rnn(IN, H, RnnCell.Activation.TANH, deep, 3), null),
                new Case("lstm single", new Lstm(IN, H, 4), null),
                new Case("lstm without bias", new Lstm(IN, H, deep.bias(false), 5), null),
                new Case("gru without bias", new Gru(IN, H, deep.bias(false), 6), null),
                new Case("rnn without bias", new Rnn(IN, H, RnnCell.Activation.TANH, deep.bias(false), 7), null),
                new Case("lstm with projection", new Lstm(IN, H, deep.projection(2), 8), null),
                new Case("peephole lstm", CellType.PEEPHOLE_LSTM.layer(IN, H, deep, 9), null),
                new Case("layer-norm lstm", CellType.LAYER_NORM_LSTM.layer(IN, H, deep, 10), null),
                new Case("indrnn", CellType.IND_RNN.layer(IN, H, deep, 11), null),
                new Case("mgu", CellType.MGU.layer(IN, H, deep, 14), null),
                new Case("zoneout lstm, training", new RecurrentLayer(IN, (in, rng) -> new ZoneoutCell(
                        new LstmCell(in, H, Double.NaN, rng), Map.of("h", 0.3, "c", 0.5), rng), deep, zoneoutMasks),
                        zoneoutMasks),
                new Case("mgu with variational dropout, training", new RecurrentLayer(IN, CellType.MGU.cells(H, deep),
                        deep.variationalDropout(0.3, 0.4), variationalMasks), variationalMasks),
                new Case("running mean (three parts)", new RecurrentLayer(IN, (in, rng) -> new RunningMeanCell(in, H, rng),
                        deep, 15), null),
                new Case("gain cell (no input split)", new RecurrentLayer(IN, (in, rng) -> new GainCell(in, H, rng),
                        deep, 16), null));
    }

    private static List<Tensor> sequence(int steps, int batch, long seed) {
        List<Tensor> xs = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            xs.add(Tensor.uniform(batch, IN, -1, 1, seed + t));
        }
        return xs;
    }

    /** Weights every output step and every final state differently. */
    private static Tensor loss(SequenceOutput out) {
        Tensor loss = Tensor.scalar(0);
        int k = 0;
        for (Tensor o : out.outputs()) {
            loss = loss.add(o.mul(Tensor.uniform(1, o.cols(), 0.5, 1.5, 100 + k++)).sum());
        }
        int j = 0;
        for (State s : out.finalStates()) {
            for (int i = 0; i < s.size(); i++) {
                Tensor part = s.part(i);
                loss = loss.add(part.mul(Tensor.uniform(1, part.cols(), -1, 1, 200 + 100 * i + j)).sum());
            }
            j++;
        }
        return loss;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void gradientsMatchFiniteDifferencesForEveryParameterAndInput(Case c) {
        for (int batch : new int[] {1, 2}) {
            List<Tensor> xs = sequence(3, batch, 7);
            List<Tensor> inputs = new ArrayList<>(c.layer().parameters());
            inputs.add(xs.get(1));
            GradCheck.check(in -> loss(c.forward(xs, null)), inputs, 1e-6).assertBelow(1e-6);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void gradientsWithLengthsMatchFiniteDifferences(Case c) {
        List<Tensor> xs = sequence(4, 3, 8);
        int[] lengths = {4, 2, 3};
        List<Tensor> inputs = new ArrayList<>(c.layer().parameters());
        inputs.add(xs.get(2));
        GradCheck.check(in -> loss(c.forward(xs, lengths)), inputs, 1e-6).assertBelow(1e-6);
    }

    /** In evaluation, so the layers that draw masks in training (zoneout, variational dropout) draw none. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void aPaddedBatchGivesTheSameLossAndGradientsAsEachSequenceAlone(Case c) {
        RecurrentLayer layer = c.layer();
        layer.eval();
        int[] lengths = {4, 2, 3};
        List<Tensor> padded = sequence(4, 3, 9);
        List<List<Tensor>> alone = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            List<Tensor> seq = new ArrayList<>();
            for (int t = 0; t < lengths[b]; t++) {
                seq.add(padded.get(t).sliceRows(b, b + 1));
            }
            alone.add(seq);
        }
        for (int t = 0; t < 4; t++) {
            for (int b = 0; b < 3; b++) {
                if (t >= lengths[b]) {
                    padded.get(t).data()[b * IN] = 1e3;
                }
            }
        }
        double batchedLoss = lossAndGradients(layer, () -> loss(layer.forward(padded, null, lengths)));
        Map<String, double[]> batchedGrads = gradients(layer);
        double aloneLoss = lossAndGradients(layer, () -> {
            Tensor total = Tensor.scalar(0);
            for (List<Tensor> seq : alone) {
                total = total.add(loss(layer.forward(seq)));
            }
            return total;
        });
        assertEquals(aloneLoss, batchedLoss, 1e-10);
        gradients(layer).forEach((key, g) -> assertArrayEquals(g, batchedGrads.get(key), 1e-10, key));
    }

    private static double lossAndGradients(RecurrentLayer layer, java.util.function.Supplier<Tensor> loss) {
        layer.parameters().forEach(Parameter::clearGrad);
        try (Tape tape = Tape.record()) {
            Tensor l = loss.get();
            tape.backward(l);
            return l.item();
        }
    }

    private static Map<String, double[]> gradients(RecurrentLayer layer) {
        Map<String, double[]> out = new java.util.LinkedHashMap<>();
        layer.namedParameters().forEach((k, p) -> out.put(k, p.grad() == null ? new double[p.size()] : p.grad().data().clone()));
        return out;
    }

    @Test
    void parametersCarryPyTorchsNames() {
        Lstm lstm = new Lstm(IN, H, RecurrentOptions.defaults().layers(2).bidirectional().learnedInitialState(), 1);
        List<String> names = List.copyOf(lstm.namedParameters().keySet());
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse",
                "h0_l0", "c0_l0", "h0_l0_reverse", "c0_l0_reverse", "h0_l1", "c0_l1", "h0_l1_reverse", "c0_l1_reverse"),
                names);
        assertEquals("12x6", lstm.namedParameters().get("weight_ih_l1").shape());
        assertEquals(6, lstm.outputSize());
    }

    @Test
    void theReverseDirectionReadsEachSequenceBackwardsFromItsOwnEnd() {
        Gru gru = new Gru(IN, H, RecurrentOptions.defaults().bidirectional(), 5);
        List<Tensor> xs = sequence(4, 2, 11);
        int[] lengths = {4, 2};
        SequenceOutput out = gru.forward(xs, null, lengths);
        for (int b = 0; b < 2; b++) {
            State s = gru.cell(0, true).zeroState(1);
            for (int t = lengths[b] - 1; t >= 0; t--) {
                s = gru.cell(0, true).step(xs.get(t).sliceRows(b, b + 1), s);
                assertArrayEquals(s.h().data(), out.outputs().get(t).sliceRows(b, b + 1).sliceCols(H, 2 * H).data(), 1e-14);
            }
            assertArrayEquals(s.h().data(), out.finalStates().get(1).h().sliceRows(b, b + 1).data(), 1e-14);
        }
        assertArrayEquals(new double[2 * H], out.outputs().get(3).sliceRows(1, 2).data(), 0.0);
    }

    @Test
    void aSuppliedInitialStateIsUsedAndALearnedOneReceivesGradient() {
        Lstm lstm = new Lstm(IN, H, RecurrentOptions.defaults().learnedInitialState(), 6);
        List<Tensor> xs = sequence(3, 2, 12);
        State given = State.of(Tensor.uniform(2, H, -1, 1, 1), Tensor.uniform(2, H, -1, 1, 2));
        SequenceOutput out = lstm.forward(xs, List.of(given), null);
        State manual = given;
        for (Tensor x : xs) {
            manual = lstm.cell(0, false).step(x, manual);
        }
        assertArrayEquals(manual.h().data(), out.topState().h().data(), 1e-14);
        try (Tape tape = Tape.record()) {
            tape.backward(loss(lstm.forward(xs)));
        }
        assertTrue(Math.abs(lstm.namedParameters().get("h0_l0").grad().get(0, 0)) > 0);
        assertTrue(Math.abs(lstm.namedParameters().get("c0_l0").grad().get(0, 1)) > 0);
    }

    @Test
    void badInputsNameTheProblem() {
        Lstm lstm = new Lstm(IN, H, 1);
        List<Tensor> xs = sequence(2, 2, 1);
        assertEquals("Lstm: input at step 1 is 2x5 but the layer expects 2x2 (batch x input size) at every step",
                assertThrows(IllegalArgumentException.class,
                        () -> lstm.forward(List.of(xs.get(0), Tensor.zeros(2, 5)))).getMessage());
        assertEquals("lengths: sequence 1 has length 3 outside [1, 2]",
                assertThrows(IllegalArgumentException.class, () -> lstm.forward(xs, null, new int[] {1, 3})).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> lstm.forward(xs, List.of(), null)).getMessage().contains("0 initial states given but the layer has 1"));
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(List.of()));
        assertThrows(IllegalArgumentException.class, () -> RecurrentOptions.defaults().dropout(1.0));
    }

    @Test
    void aMissingStateIsRefusedWithTheFix() {
        Lstm lstm = new Lstm(IN, H, 1);
        List<Tensor> xs = sequence(2, 2, 1);
        assertEquals("Lstm: no state given; pass layer.initialState(2), or one State per layer and direction with the "
                + "parts of its cell (layer 0: [h 2x3, c 2x3])",
                assertThrows(IllegalArgumentException.class, () -> lstm.step(xs.get(0), null)).getMessage());
        assertEquals("Lstm: initial state 0 [h 2x3] does not fit its cell, which needs [h 2x3, c 2x3]; pass "
                + "layer.initialState(2), or one State per layer and direction with the parts of its cell (layer 0: "
                + "[h 2x3, c 2x3])", assertThrows(IllegalArgumentException.class,
                        () -> lstm.forward(xs, List.of(State.of(Tensor.zeros(2, H))), null)).getMessage());
        Gru gru = new Gru(IN, H, RecurrentOptions.defaults().layers(2), 2);
        assertEquals("Gru: initial state 1 is null; pass layer.initialState(2), or one State per layer and direction"
                + " with the parts of its cell (layer 0: [h 2x3])", assertThrows(IllegalArgumentException.class,
                        () -> gru.step(xs.get(0), java.util.Arrays.asList(gru.initialState(2).get(0), null))).getMessage());
        assertEquals("Gru: initial state 0 [h 2x3, c 2x3] does not fit its cell, which needs [h 2x3]; pass "
                + "layer.initialState(2), or one State per layer and direction with the parts of its cell (layer 0: "
                + "[h 2x3])", assertThrows(IllegalArgumentException.class, () -> gru.forward(xs,
                        List.of(State.of(Tensor.zeros(2, H), Tensor.zeros(2, H)), gru.initialState(2).get(1)), null))
                        .getMessage());
        assertEquals("State: part c is null; give a batch x width tensor for every part (a cell's zeroState(batch) "
                + "has them all)", assertThrows(IllegalArgumentException.class,
                        () -> State.of(Tensor.zeros(2, H), null)).getMessage());
    }

    @Test
    void topStateIsTheTopLayersForwardStateAndTopReverseStateItsReverseOne() {
        Lstm lstm = new Lstm(IN, H, RecurrentOptions.defaults().layers(2).bidirectional(), 16);
        List<Tensor> xs = sequence(3, 2, 17);
        SequenceOutput out = lstm.forward(xs);
        assertEquals(4, out.finalStates().size());
        assertTrue(out.topState() == out.finalStates().get(2));
        assertTrue(out.topReverseState() == out.finalStates().get(3));
        assertArrayEquals(out.last().sliceCols(0, H).data(), out.topState().h().data(), 0.0);
        assertArrayEquals(out.outputs().get(0).sliceCols(H, 2 * H).data(), out.topReverseState().h().data(), 0.0);
        SequenceOutput single = new Lstm(IN, H, RecurrentOptions.defaults().layers(2), 18).forward(xs);
        assertArrayEquals(single.last().data(), single.topState().h().data(), 0.0);
        assertThrows(IllegalStateException.class, single::topReverseState);
    }

    @Test
    void theForgetBiasOptionReachesEveryLayerAndDirectionOfAnLstm() {
        RecurrentOptions options = RecurrentOptions.defaults().layers(2).bidirectional().forgetBias(1.5);
        for (RecurrentLayer lstm : List.of(CellType.LSTM.layer(IN, H, options, 19), new Lstm(IN, H, options, 20))) {
            for (int l = 0; l < 2; l++) {
                for (boolean reverse : new boolean[] {false, true}) {
                    String where = "layer " + l + (reverse ? " reverse" : "");
                    double[] bih = ((LstmCell) lstm.cell(l, reverse)).biasIh().data();
                    double[] bhh = ((LstmCell) lstm.cell(l, reverse)).biasHh().data();
                    for (int j = 0; j < 4 * H; j++) {
                        boolean forget = j >= H && j < 2 * H;
                        assertEquals(forget, bih[j] == 1.5, where + " bias_ih[" + j + "]");
                        assertEquals(forget, bhh[j] == 0.0, where + " bias_hh[" + j + "]");
                    }
                }
            }
        }
        assertTrue(options.toString().contains("forget bias=1.5"), options.toString());
        double[] defaults = new Lstm(IN, H, RecurrentOptions.defaults(), 19).cell(0, false).biasIh().data();
        assertTrue(defaults[H] != 1.5 && Math.abs(defaults[H]) < 1 / Math.sqrt(H));
        assertEquals("Gru: the options set forgetBias(1.5) but the layer's cells (GruCell) were not built with it; only the"
                + " LSTM has a forget gate: use Lstm, or leave it unset",
                assertThrows(IllegalArgumentException.class, () -> CellType.GRU.layer(IN, H, options, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CellType.RNN.layer(IN, H, options, 1));
        assertThrows(IllegalArgumentException.class, () -> RecurrentOptions.defaults().forgetBias(Double.NaN));
    }

    @Test
    void dropoutBetweenLayersActsOnlyInTraining() {
        Lstm lstm = new Lstm(IN, H, RecurrentOptions.defaults().layers(2).dropout(0.5), 3);
        List<Tensor> xs = sequence(3, 4, 13);
        lstm.eval();
        double[] a = lstm.forward(xs).last().data();
        double[] b = lstm.forward(xs).last().data();
        assertArrayEquals(a, b);
        lstm.train(true);
        double[] c = lstm.forward(xs).last().data();
        assertTrue(!java.util.Arrays.equals(a, c));
    }

    @Test
    void oneHotInputAndSteppingAgreeWithTheWholeSequenceOfRows() {
        Lstm lstm = new Lstm(4, H, RecurrentOptions.defaults().layers(2), 14);
        int[][] tokens = {{1, 3}, {0, 2}, {3, 3}};
        List<Tensor> oneHot = new ArrayList<>();
        for (int[] step : tokens) {
            oneHot.add(dev.unroll.autograd.ShapeOps.oneHot(step, 4));
        }
        SequenceOutput viaIds = lstm.forwardOneHot(tokens, null, null);
        SequenceOutput viaRows = lstm.forward(oneHot);
        List<State> state = lstm.initialState(2);
        for (int t = 0; t < tokens.length; t++) {
            assertArrayEquals(viaRows.outputs().get(t).data(), viaIds.outputs().get(t).data(), 1e-14);
            state = lstm.step(oneHot.get(t), state);
            assertArrayEquals(viaRows.outputs().get(t).data(), state.get(1).h().data(), 1e-14);
        }
        assertThrows(IllegalStateException.class, () -> new Gru(IN, H, RecurrentOptions.defaults().bidirectional(), 1)
                .step(Tensor.zeros(1, IN), null));
    }
}
