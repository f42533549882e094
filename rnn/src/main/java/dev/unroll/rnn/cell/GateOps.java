package dev.unroll.rnn.cell;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Tensor;

/**
 * The fused per-step updates of the LSTM and GRU cells: each is one recorded op whose backward,
 * written beside its forward, replaces the ten or so elementwise ops the update is made of. Only
 * one timestep is fused; the recurrence over time still comes from replaying the tape. Shapes are
 * checked here; forward and backward are side by side in {@code GateOpsF64} (the float32 twin is
 * derived by the build).
 */
public final class GateOps {

    private GateOps() {
    }

    private static void checkGates(String op, Tensor gates, int blocks, Tensor state) {
        if (gates.cols() != blocks * state.cols() || gates.rows() != state.rows()) {
            throw new IllegalArgumentException(op + ": gate pre-activations " + gates.shape() + " do not fit state "
                    + state.shape() + "; they must be " + state.rows() + "x" + blocks * state.cols());
        }
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
    public static Tensor lstmCellState(Tensor gates, Tensor cPrev) {
        checkGates("lstmCellState", gates, 4, cPrev);
        return DType.common("lstmCellState", gates, cPrev) == DType.F32 ? GateOpsF32.lstmCellState(gates, cPrev)
                : GateOpsF64.lstmCellState(gates, cPrev);
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
    public static Tensor lstmHidden(Tensor gates, Tensor c) {
        checkGates("lstmHidden", gates, 4, c);
        return DType.common("lstmHidden", gates, c) == DType.F32 ? GateOpsF32.lstmHidden(gates, c)
                : GateOpsF64.lstmHidden(gates, c);
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
    public static Tensor gruHidden(Tensor inputProj, Tensor hiddenProj, Tensor hPrev) {
        checkGates("gruHidden", inputProj, 3, hPrev);
        checkGates("gruHidden", hiddenProj, 3, hPrev);
        DType.common("gruHidden", inputProj, hiddenProj);
        return DType.common("gruHidden", inputProj, hPrev) == DType.F32 ? GateOpsF32.gruHidden(inputProj, hiddenProj, hPrev)
                : GateOpsF64.gruHidden(inputProj, hiddenProj, hPrev);
    }
}
