package dev.unroll.rnn.cell;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Storage;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.autograd.internal.Activations;
import dev.unroll.autograd.internal.ParallelRows;

/**
 * The float64 forward and backward of {@link GateOps}' fused cell updates (the float32 twin is
 * derived by the build). Shapes and precisions are checked by {@link GateOps}.
 */
final class GateOpsF64 {

    private GateOpsF64() {
    }


    /**
     * The LSTM cell state, c = sigmoid(f) * cPrev + sigmoid(i) * tanh(g), from the gate
     * pre-activations [i | f | g | o] (PyTorch's gate order; o is not used here).
     * Gradient: dL/di = dc tanh(g) s_i (1 - s_i), dL/df = dc cPrev s_f (1 - s_f),
     * dL/dg = dc s_i (1 - tanh(g)^2), dL/dcPrev = dc s_f.
     *
     * @param gates pre-activations, batch x 4H
     * @param cPrev the previous cell state, batch x H
     * @return the new cell state, batch x H
     */
    static Tensor lstmCellState(Tensor gates, Tensor cPrev) {
        int rows = cPrev.rows();
        int h = cPrev.cols();
        double[] gv = gates.data();
        double[] cp = cPrev.data();
        /* sigmoid(i) and sigmoid(f) of a row side by side, as i and f are in the gates: one kernel call for both */
        double[] sif = Storage.scratch(rows * 2 * h);
        double[] tg = Storage.scratch(rows * h);
        Tensor c = Tensor.empty(DType.F64, rows, h);
        double[] cv = c.data();
        ParallelRows.run(rows, 4 * h, (from, to) -> {
            for (int r = from; r < to; r++) {
                int g0 = r * 4 * h;
                Activations.sigmoid(gv, g0, sif, 2 * r * h, 2 * h);
                Activations.tanh(gv, g0 + 2 * h, tg, r * h, h);
                for (int j = 0; j < h; j++) {
                    int k = r * h + j;
                    cv[k] = sif[k + (r + 1) * h] * cp[k] + sif[k + r * h] * tg[k];
                }
            }
        });
        return Tape.record("lstmCellState", c, gates, cPrev, () -> {
            double[] dc = c.gradData();
            double[] dg = gates.requiresGrad() ? gates.gradData() : null;
            double[] dcp = cPrev.requiresGrad() ? cPrev.gradData() : null;
            ParallelRows.run(rows, 4 * h, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int g0 = r * 4 * h;
                    for (int j = 0; j < h; j++) {
                        int k = r * h + j;
                        double si = sif[k + r * h];
                        double sf = sif[k + (r + 1) * h];
                        if (dg != null) {
                            dg[g0 + j] += dc[k] * tg[k] * si * (1 - si);
                            dg[g0 + h + j] += dc[k] * cp[k] * sf * (1 - sf);
                            dg[g0 + 2 * h + j] += dc[k] * si * (1 - tg[k] * tg[k]);
                        }
                        if (dcp != null) {
                            dcp[k] += dc[k] * sf;
                        }
                    }
                }
            });
        });
    }

    /**
     * The LSTM hidden state, h = sigmoid(o) * tanh(c), from the gate pre-activations
     * [i | f | g | o] and the new cell state. Gradient: dL/do = dh tanh(c) s_o (1 - s_o),
     * dL/dc = dh s_o (1 - tanh(c)^2).
     *
     * @param gates pre-activations, batch x 4H
     * @param c the new cell state, batch x H
     * @return the hidden state, batch x H
     */
    static Tensor lstmHidden(Tensor gates, Tensor c) {
        int rows = c.rows();
        int h = c.cols();
        double[] gv = gates.data();
        double[] so = Storage.scratch(rows * h);
        double[] tc = Storage.scratch(rows * h);
        Tensor out = Tensor.empty(DType.F64, rows, h);
        double[] hv = out.data();
        double[] cv = c.data();
        ParallelRows.run(rows, 2 * h, (from, to) -> {
            for (int r = from; r < to; r++) {
                Activations.sigmoid(gv, r * 4 * h + 3 * h, so, r * h, h);
                Activations.tanh(cv, r * h, tc, r * h, h);
                for (int k = r * h; k < (r + 1) * h; k++) {
                    hv[k] = so[k] * tc[k];
                }
            }
        });
        return Tape.record("lstmHidden", out, gates, c, () -> {
            double[] dh = out.gradData();
            double[] dg = gates.requiresGrad() ? gates.gradData() : null;
            double[] dc = c.requiresGrad() ? c.gradData() : null;
            ParallelRows.run(rows, 2 * h, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int o0 = r * 4 * h + 3 * h;
                    for (int j = 0; j < h; j++) {
                        int k = r * h + j;
                        if (dg != null) {
                            dg[o0 + j] += dh[k] * tc[k] * so[k] * (1 - so[k]);
                        }
                        if (dc != null) {
                            dc[k] += dh[k] * so[k] * (1 - tc[k] * tc[k]);
                        }
                    }
                }
            });
        });
    }

    /**
     * The GRU update in PyTorch's formulation, from the input projection [r | z | n] =
     * x W_ih^T + b_ih and the hidden projection [r | z | n] = hPrev W_hh^T + b_hh:
     * <pre>
     * r = sigmoid(x_r + h_r),  z = sigmoid(x_z + h_z),  n = tanh(x_n + r * h_n)
     * h = (1 - z) * n + z * hPrev
     * </pre>
     * Gradient: with a_n = dh (1 - z)(1 - n^2), dL/dx_n = a_n, dL/dh_n = a_n r; with
     * a_r = a_n h_n r (1 - r), dL/dx_r = dL/dh_r = a_r; with a_z = dh (hPrev - n) z (1 - z),
     * dL/dx_z = dL/dh_z = a_z; dL/dhPrev = dh z.
     *
     * @param inputProj x W_ih^T + b_ih, batch x 3H
     * @param hiddenProj hPrev W_hh^T + b_hh, batch x 3H
     * @param hPrev the previous hidden state, batch x H
     * @return the new hidden state, batch x H
     */
    static Tensor gruHidden(Tensor inputProj, Tensor hiddenProj, Tensor hPrev) {
        int rows = hPrev.rows();
        int h = hPrev.cols();
        double[] xv = inputProj.data();
        double[] hv = hiddenProj.data();
        double[] hp = hPrev.data();
        /* r in the first half, z in the second: one sigmoid kernel call for both */
        int n = rows * h;
        double[] rz = Storage.scratch(2 * n);
        double[] ns = Storage.scratch(rows * h);
        Tensor out = Tensor.empty(DType.F64, rows, h);
        double[] o = out.data();
        for (int r = 0; r < rows; r++) {
            int b = r * 3 * h;
            for (int j = 0; j < h; j++) {
                int k = r * h + j;
                rz[k] = xv[b + j] + hv[b + j];
                rz[n + k] = xv[b + h + j] + hv[b + h + j];
            }
        }
        Activations.sigmoid(rz, 0, rz, 0, rz.length);
        for (int r = 0; r < rows; r++) {
            int b = r * 3 * h;
            for (int j = 0; j < h; j++) {
                int k = r * h + j;
                ns[k] = xv[b + 2 * h + j] + rz[k] * hv[b + 2 * h + j];
            }
        }
        Activations.tanh(ns, 0, ns, 0, ns.length);
        for (int k = 0; k < o.length; k++) {
            o[k] = (1 - rz[n + k]) * ns[k] + rz[n + k] * hp[k];
        }
        return Tape.record("gruHidden", out, inputProj, hiddenProj, hPrev, () -> {
            double[] dh = out.gradData();
            double[] dx = inputProj.requiresGrad() ? inputProj.gradData() : null;
            double[] dhp = hiddenProj.requiresGrad() ? hiddenProj.gradData() : null;
            double[] dprev = hPrev.requiresGrad() ? hPrev.gradData() : null;
            for (int r = 0; r < rows; r++) {
                int b = r * 3 * h;
                for (int j = 0; j < h; j++) {
                    int k = r * h + j;
                    double rk = rz[k];
                    double zk = rz[n + k];
                    double an = dh[k] * (1 - zk) * (1 - ns[k] * ns[k]);
                    double ar = an * hv[b + 2 * h + j] * rk * (1 - rk);
                    double az = dh[k] * (hp[k] - ns[k]) * zk * (1 - zk);
                    if (dx != null) {
                        dx[b + j] += ar;
                        dx[b + h + j] += az;
                        dx[b + 2 * h + j] += an;
                    }
                    if (dhp != null) {
                        dhp[b + j] += ar;
                        dhp[b + h + j] += az;
                        dhp[b + 2 * h + j] += an * rk;
                    }
                    if (dprev != null) {
                        dprev[k] += dh[k] * zk;
                    }
                }
            }
        });
    }
}
