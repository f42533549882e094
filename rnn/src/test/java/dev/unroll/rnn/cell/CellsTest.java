package dev.unroll.rnn.cell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.rnn.RecurrentCell;
import dev.unroll.rnn.State;
import dev.unroll.rnn.StatePart;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CellsTest {

    private static final int IN = 3;
    private static final int H = 4;

    static Stream<Arguments> cells() {
        return Stream.of(
                Arguments.of("rnn tanh", new RnnCell(IN, H, 1)),
                Arguments.of("rnn relu", new RnnCell(IN, H, RnnCell.Activation.RELU, Randomness.seeded(2))),
                Arguments.of("lstm", new LstmCell(IN, H, 3)),
                Arguments.of("gru", new GruCell(IN, H, 4)),
                Arguments.of("rnn without bias", new RnnCell(IN, H, RnnCell.Activation.TANH, false, Randomness.seeded(5))),
                Arguments.of("rnn with one bias", new RnnCell(IN, H, RnnCell.Activation.TANH, true, false, Randomness.seeded(8))),
                Arguments.of("lstm without bias", new LstmCell(IN, H, false, 0, Double.NaN, Randomness.seeded(6))),
                Arguments.of("gru without bias", new GruCell(IN, H, false, Randomness.seeded(7))),
                Arguments.of("lstm with projection", new LstmCell(IN, H, true, 2, Double.NaN, Randomness.seeded(8))),
                Arguments.of("peephole lstm", new PeepholeLstmCell(IN, H, 9)),
                Arguments.of("layer-norm lstm", new LayerNormLstmCell(IN, H, 10)),
                Arguments.of("indrnn", new IndRnnCell(IN, H, 11)),
                Arguments.of("mgu", new MguCell(IN, H, 12)),
                Arguments.of("zoneout gru, evaluation", new ZoneoutCell(new GruCell(IN, H, 13), 0.3, Randomness.seeded(14))
                        .eval()));
    }

    private static Tensor weighted(Tensor t, long seed) {
        return t.mul(Tensor.uniform(t.rows(), t.cols(), 0.5, 1.5, seed)).sum();
    }

    /** Runs three steps from a given state; the loss weights every step's h and every part of the last state. */
    private static Tensor unrolled(RecurrentCell cell, List<Tensor> xs, State start) {
        State state = start;
        Tensor loss = Tensor.scalar(0);
        for (int t = 0; t < xs.size(); t++) {
            state = cell.step(xs.get(t), state);
            loss = loss.add(weighted(state.h(), 10 + t));
        }
        for (int i = 0; i < state.size(); i++) {
            loss = loss.add(weighted(state.part(i), 20 + i));
        }
        return loss;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void gradientsThroughThreeStepsMatchFiniteDifferences(String name, RecurrentCell cell) {
        for (int batch : new int[] {1, 3}) {
            List<Tensor> xs = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                xs.add(Tensor.uniform(batch, IN, -1, 1, 30 + t));
            }
            List<Tensor> inputs = new ArrayList<>(cell.parameters());
            int first = inputs.size() + 1;
            inputs.add(xs.get(0));
            for (StatePart part : cell.stateParts()) {
                inputs.add(Tensor.uniform(batch, part.width(), -0.5, 0.5, 40 + inputs.size()));
            }
            Function<List<Tensor>, Tensor> f = in -> unrolled(cell, xs, State.of(cell.stateNames(), in.subList(first,
                    in.size())));
            GradCheck.check(f, inputs, 1e-6).assertBelow(1e-6);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void theOneHotProjectionEqualsTheProjectionOfOneHotRows(String name, RecurrentCell cell) {
        int[] tokens = {2, 0};
        assertArrayEquals(cell.projectInput(ShapeOps.oneHot(tokens, IN)).data(), cell.projectOneHot(tokens).data(), 1e-15);
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** The gate pre-activations W_ih x + b_ih + W_hh h + b_hh written out with EJML (column convention per row). */
    private static DMatrixRMaj preActivations(GatedCell cell, Tensor x, Tensor h) {
        DMatrixRMaj a = new DMatrixRMaj(x.rows(), cell.weightIh().rows());
        CommonOps_DDRM.multTransB(x.value(), cell.weightIh().value(), a);
        CommonOps_DDRM.multAddTransB(h.value(), cell.weightHh().value(), a);
        for (int r = 0; r < a.numRows; r++) {
            for (int c = 0; c < a.numCols; c++) {
                a.add(r, c, cell.biasIh().data()[c] + cell.biasHh().data()[c]);
            }
        }
        return a;
    }

    @Test
    void anRnnWithTheInputBiasAloneIsMinCharRnnsStep() {
        RnnCell cell = new RnnCell(IN, H, RnnCell.Activation.TANH, true, false, Randomness.seeded(8));
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih"), List.copyOf(cell.namedParameters().keySet()));
        assertEquals(null, cell.biasHh());
        Tensor x = Tensor.uniform(2, IN, -1, 1, 9);
        Tensor h = Tensor.uniform(2, H, -1, 1, 10);
        DMatrixRMaj a = new DMatrixRMaj(2, H);
        CommonOps_DDRM.multTransB(x.value(), cell.weightIh().value(), a);
        CommonOps_DDRM.multAddTransB(h.value(), cell.weightHh().value(), a);
        double[] expected = new double[a.data.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = Math.tanh(a.data[i] + cell.biasIh().data()[i % H]);
        }
        assertArrayEquals(expected, cell.step(x, State.of(h)).h().data(), 1e-15);
    }

    @Test
    void anLstmStepFollowsThePublishedGateEquations() {
        LstmCell cell = new LstmCell(IN, H, 5);
        Tensor x = Tensor.uniform(2, IN, -1, 1, 6);
        Tensor h = Tensor.uniform(2, H, -1, 1, 7);
        Tensor c = Tensor.uniform(2, H, -1, 1, 8);
        State next = cell.step(x, State.of(h, c));
        DMatrixRMaj a = preActivations(cell, x, h);
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < H; j++) {
                double i = sigmoid(a.get(r, j));
                double f = sigmoid(a.get(r, H + j));
                double g = Math.tanh(a.get(r, 2 * H + j));
                double o = sigmoid(a.get(r, 3 * H + j));
                double cNew = f * c.get(r, j) + i * g;
                assertEquals(cNew, next.part("c").get(r, j), 1e-14);
                assertEquals(o * Math.tanh(cNew), next.h().get(r, j), 1e-14);
            }
        }
    }

    @Test
    void aGruStepFollowsPyTorchsEquations() {
        GruCell cell = new GruCell(IN, H, 9);
        Tensor x = Tensor.uniform(2, IN, -1, 1, 10);
        Tensor h = Tensor.uniform(2, H, -1, 1, 11);
        Tensor next = cell.step(x, State.of(h)).h();
        DMatrixRMaj xi = new DMatrixRMaj(2, 3 * H);
        CommonOps_DDRM.multTransB(x.value(), cell.weightIh().value(), xi);
        DMatrixRMaj hh = new DMatrixRMaj(2, 3 * H);
        CommonOps_DDRM.multTransB(h.value(), cell.weightHh().value(), hh);
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < H; j++) {
                double[] bi = cell.biasIh().data();
                double[] bh = cell.biasHh().data();
                double rg = sigmoid(xi.get(r, j) + bi[j] + hh.get(r, j) + bh[j]);
                double z = sigmoid(xi.get(r, H + j) + bi[H + j] + hh.get(r, H + j) + bh[H + j]);
                double n = Math.tanh(xi.get(r, 2 * H + j) + bi[2 * H + j] + rg * (hh.get(r, 2 * H + j) + bh[2 * H + j]));
                assertEquals((1 - z) * n + z * h.get(r, j), next.get(r, j), 1e-14);
            }
        }
    }

    @Test
    void fusedLstmAndGruOpsEqualTheirComposedElementwiseForm() {
        Tensor gates = Tensor.uniform(3, 4 * H, -2, 2, 12);
        Tensor cPrev = Tensor.uniform(3, H, -1, 1, 13);
        Tensor i = gates.sliceCols(0, H).sigmoid();
        Tensor f = gates.sliceCols(H, 2 * H).sigmoid();
        Tensor g = gates.sliceCols(2 * H, 3 * H).tanh();
        Tensor o = gates.sliceCols(3 * H, 4 * H).sigmoid();
        Tensor c = f.mul(cPrev).add(i.mul(g));
        assertArrayEquals(c.data(), GateOps.lstmCellState(gates, cPrev).data(), 1e-15);
        assertArrayEquals(o.mul(c.tanh()).data(), GateOps.lstmHidden(gates, c).data(), 1e-15);

        Tensor xp = Tensor.uniform(3, 3 * H, -2, 2, 14);
        Tensor hp = Tensor.uniform(3, 3 * H, -2, 2, 15);
        Tensor hPrev = Tensor.uniform(3, H, -1, 1, 16);
        Tensor r = xp.sliceCols(0, H).add(hp.sliceCols(0, H)).sigmoid();
        Tensor z = xp.sliceCols(H, 2 * H).add(hp.sliceCols(H, 2 * H)).sigmoid();
        Tensor n = xp.sliceCols(2 * H, 3 * H).add(r.mul(hp.sliceCols(2 * H, 3 * H))).tanh();
        Tensor expected = z.neg().addScalar(1).mul(n).add(z.mul(hPrev));
        assertArrayEquals(expected.data(), GateOps.gruHidden(xp, hp, hPrev).data(), 1e-15);
    }

    @Test
    void fusedOpsGradientsMatchFiniteDifferencesWithInputsUsedTwice() {
        Tensor gates = Tensor.uniform(2, 4 * H, -2, 2, 17);
        Tensor cPrev = Tensor.uniform(2, H, -1, 1, 18);
        GradCheck.check(in -> {
            Tensor c = GateOps.lstmCellState(in.get(0), in.get(1));
            return weighted(GateOps.lstmHidden(in.get(0), c), 1).add(weighted(c.mul(in.get(1)), 2));
        }, gates, cPrev).assertBelow(1e-6);
        Tensor xp = Tensor.uniform(2, 3 * H, -2, 2, 19);
        Tensor hp = Tensor.uniform(2, 3 * H, -2, 2, 20);
        Tensor hPrev = Tensor.uniform(2, H, -1, 1, 21);
        GradCheck.check(in -> weighted(GateOps.gruHidden(in.get(0), in.get(1), in.get(2)).mul(in.get(2)), 3),
                xp, hp, hPrev).assertBelow(1e-6);
    }

    @Test
    void theForgetBiasOptionSetsTheForgetGateBlock() {
        LstmCell cell = new LstmCell(2, 3, 1.0, Randomness.seeded(1));
        for (int j = 3; j < 6; j++) {
            assertEquals(1.0, cell.biasIh().data()[j]);
            assertEquals(0.0, cell.biasHh().data()[j]);
        }
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), List.copyOf(cell.namedParameters().keySet()));
        assertEquals("12x2", cell.weightIh().shape());
    }

    @Test
    void wrongShapesAreRejectedWithTheFix() {
        LstmCell cell = new LstmCell(IN, H, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cell.step(Tensor.zeros(2, IN + 1), cell.zeroState(2)));
        assertEquals("LstmCell: input 2x4 has 4 features but the cell expects 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cell.step(Tensor.zeros(2, IN), State.of(Tensor.zeros(2, H))));
        assertEquals("LstmCell: the state [h 2x4] does not fit; a batch of 2 needs [h 2x4, c 2x4]; start from "
                + "zeroState(2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cell.step(Tensor.zeros(2, IN), cell.zeroState(3)));
        assertEquals("LstmCell: the state [h 3x4, c 3x4] does not fit; a batch of 2 needs [h 2x4, c 2x4]; start from "
                + "zeroState(2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MatrixOps.linear(Tensor.zeros(1, 2), cell.weightIh(), null));
    }
}
