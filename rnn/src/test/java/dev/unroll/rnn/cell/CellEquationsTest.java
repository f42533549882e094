package dev.unroll.rnn.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.init.Init;
import dev.unroll.autograd.Randomness;
import dev.unroll.rnn.State;
import org.junit.jupiter.api.Test;

/** Each cell's step against its paper's equations, written out element by element. */
class CellEquationsTest {

    private static final int IN = 3;
    private static final int H = 4;
    private static final int BATCH = 2;
    private static final Tensor X = Tensor.uniform(BATCH, IN, -1, 1, 1);
    private static final Tensor HIDDEN = Tensor.uniform(BATCH, H, -1, 1, 2);
    private static final Tensor CELL = Tensor.uniform(BATCH, H, -1, 1, 3);

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** a W^T + b for row r and output j (b may be null). */
    private static double affine(Tensor a, int r, Tensor w, Tensor b, int j) {
        double sum = b == null ? 0 : b.data()[j];
        for (int k = 0; k < a.cols(); k++) {
            sum += a.get(r, k) * w.get(j, k);
        }
        return sum;
    }

    /** Layer normalization of one row of values with a gain and a bias, PyTorch's biased variance and eps 1e-5. */
    private static double[] normalized(double[] row, Parameter gain, Parameter bias) {
        double mean = 0;
        for (double v : row) {
            mean += v / row.length;
        }
        double variance = 0;
        for (double v : row) {
            variance += (v - mean) * (v - mean) / row.length;
        }
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (row[j] - mean) / Math.sqrt(variance + 1e-5) * gain.data()[j] + bias.data()[j];
        }
        return out;
    }

    @Test
    void aPeepholeLstmStepFollowsGersSchraudolphAndSchmidhuber() {
        PeepholeLstmCell cell = new PeepholeLstmCell(IN, H, 4);
        State next = cell.step(X, State.of(HIDDEN, CELL));
        Tensor ci = cell.localParameters().get("weight_ci");
        Tensor cf = cell.localParameters().get("weight_cf");
        Tensor co = cell.localParameters().get("weight_co");
        for (int r = 0; r < BATCH; r++) {
            for (int j = 0; j < H; j++) {
                double[] gate = new double[4];
                for (int g = 0; g < 4; g++) {
                    gate[g] = affine(X, r, cell.weightIh(), cell.biasIh(), g * H + j)
                            + affine(HIDDEN, r, cell.weightHh(), cell.biasHh(), g * H + j);
                }
                double c = CELL.get(r, j);
                double i = sigmoid(gate[0] + ci.data()[j] * c);
                double f = sigmoid(gate[1] + cf.data()[j] * c);
                double cNew = f * c + i * Math.tanh(gate[2]);
                double o = sigmoid(gate[3] + co.data()[j] * cNew);
                assertEquals(cNew, next.part("c").get(r, j), 1e-14);
                assertEquals(o * Math.tanh(cNew), next.h().get(r, j), 1e-14);
            }
        }
    }

    @Test
    void aLayerNormalizedLstmStepFollowsBaKirosAndHinton() {
        LayerNormLstmCell cell = new LayerNormLstmCell(IN, H, 5);
        cell.parameters().forEach(p -> Init.uniform(p, -1, 1, Randomness.seeded(p.size() + 17L * p.cols())));
        State next = cell.step(X, State.of(HIDDEN, CELL));
        var p = cell.namedParameters();
        for (int r = 0; r < BATCH; r++) {
            double[] input = new double[4 * H];
            double[] recurrent = new double[4 * H];
            for (int j = 0; j < 4 * H; j++) {
                input[j] = affine(X, r, cell.weightIh(), null, j);
                recurrent[j] = affine(HIDDEN, r, cell.weightHh(), null, j);
            }
            double[] a = normalized(input, p.get("ln_ih.weight"), p.get("ln_ih.bias"));
            double[] b = normalized(recurrent, p.get("ln_hh.weight"), p.get("ln_hh.bias"));
            double[] c = new double[H];
            for (int j = 0; j < H; j++) {
                c[j] = sigmoid(a[H + j] + b[H + j]) * CELL.get(r, j) + sigmoid(a[j] + b[j]) * Math.tanh(a[2 * H + j] + b[2 * H + j]);
                assertEquals(c[j], next.part("c").get(r, j), 1e-13);
            }
            double[] cNorm = normalized(c, p.get("ln_c.weight"), p.get("ln_c.bias"));
            for (int j = 0; j < H; j++) {
                assertEquals(sigmoid(a[3 * H + j] + b[3 * H + j]) * Math.tanh(cNorm[j]), next.h().get(r, j), 1e-13);
            }
        }
    }

    @Test
    void anIndRnnStepFollowsLiEtAl() {
        IndRnnCell cell = new IndRnnCell(IN, H, 6);
        Tensor next = cell.step(X, State.of(HIDDEN)).h();
        Tensor u = cell.weightHh();
        for (int r = 0; r < BATCH; r++) {
            for (int j = 0; j < H; j++) {
                double pre = affine(X, r, cell.localParameters().get("weight_ih"), cell.localParameters().get("bias_ih"), j)
                        + u.data()[j] * HIDDEN.get(r, j);
                assertEquals(Math.max(0, pre), next.get(r, j), 1e-15);
            }
        }
    }

    @Test
    void aMinimalGatedUnitStepFollowsZhouEtAl() {
        MguCell cell = new MguCell(IN, H, 7);
        Tensor next = cell.step(X, State.of(HIDDEN)).h();
        var p = cell.localParameters();
        for (int r = 0; r < BATCH; r++) {
            double[] f = new double[H];
            for (int j = 0; j < H; j++) {
                f[j] = sigmoid(affine(X, r, p.get("weight_ih"), p.get("bias_ih"), j) + affine(HIDDEN, r, p.get("weight_hf"), null, j));
            }
            Tensor gated = Tensor.row(f[0] * HIDDEN.get(r, 0), f[1] * HIDDEN.get(r, 1), f[2] * HIDDEN.get(r, 2),
                    f[3] * HIDDEN.get(r, 3));
            for (int j = 0; j < H; j++) {
                double n = Math.tanh(affine(X, r, p.get("weight_ih"), p.get("bias_ih"), H + j)
                        + affine(gated, 0, p.get("weight_hn"), null, j));
                assertEquals((1 - f[j]) * HIDDEN.get(r, j) + f[j] * n, next.get(r, j), 1e-15);
            }
        }
    }

    @Test
    void anLstmWithProjectionProjectsItsHiddenStateAsPyTorch() {
        LstmCell cell = new LstmCell(IN, H, true, 2, Double.NaN, Randomness.seeded(8));
        Tensor h = HIDDEN.sliceCols(0, 2);
        State next = cell.step(X, State.of(h, CELL));
        for (int r = 0; r < BATCH; r++) {
            double[] full = new double[H];
            for (int j = 0; j < H; j++) {
                double[] gate = new double[4];
                for (int g = 0; g < 4; g++) {
                    gate[g] = affine(X, r, cell.weightIh(), cell.biasIh(), g * H + j)
                            + affine(h, r, cell.weightHh(), cell.biasHh(), g * H + j);
                }
                double c = sigmoid(gate[1]) * CELL.get(r, j) + sigmoid(gate[0]) * Math.tanh(gate[2]);
                assertEquals(c, next.part("c").get(r, j), 1e-14);
                full[j] = sigmoid(gate[3]) * Math.tanh(c);
            }
            for (int k = 0; k < 2; k++) {
                assertEquals(affine(Tensor.row(full), 0, cell.weightHr(), null, k), next.h().get(r, k), 1e-14);
            }
        }
        assertEquals("2x4", cell.weightHr().shape());
        assertEquals("16x2", cell.weightHh().shape());
    }
}
