package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BPTT falls out of replaying the tape: a vanilla RNN h_t = tanh(W_hh h_{t-1} + W_xh x_t + b)
 * unrolled over T steps with shared weights gets the same gradients from the tape, from finite
 * differences, and from a hand-written BPTT loop that sums per-step contributions.
 */
class BackpropagationThroughTimeTest {

    private static final int T = 20;
    private static final int INPUT = 3;
    private static final int HIDDEN = 4;

    /** Column-vector convention of the equations: h is HIDDEN x 1, W_hh HIDDEN x HIDDEN. */
    private static Tensor unroll(Tensor whh, Tensor wxh, Tensor b, Tensor h0, List<Tensor> xs, Tensor readout) {
        Tensor h = h0;
        Tensor loss = Tensor.scalar(0);
        for (int t = 0; t < T; t++) {
            h = whh.matmul(h).add(wxh.matmul(xs.get(t))).add(b).tanh();
            loss = loss.add(readout.mul(h).sum());
        }
        return loss;
    }

    private static List<Tensor> inputs(int batchColumns) {
        List<Tensor> xs = new ArrayList<>();
        for (int t = 0; t < T; t++) {
            xs.add(Tensor.uniform(INPUT, batchColumns, -1, 1, 100 + t));
        }
        return xs;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void tapeGradientsEqualFiniteDifferencesAndAHandWrittenBpttLoop(int batch) {
        Tensor whh = Tensor.uniform(HIDDEN, HIDDEN, -0.6, 0.6, 1);
        Tensor wxh = Tensor.uniform(HIDDEN, INPUT, -0.6, 0.6, 2);
        Tensor b = Tensor.uniform(HIDDEN, 1, -0.2, 0.2, 3);
        Tensor h0 = Tensor.uniform(HIDDEN, batch, -0.5, 0.5, 4);
        Tensor readout = Tensor.uniform(HIDDEN, batch, -1, 1, 5);
        List<Tensor> xs = inputs(batch);

        GradCheck.check(in -> unroll(in.get(0), in.get(1), in.get(2), in.get(3), xs, readout), whh, wxh, b, h0)
                .assertBelow(1e-6);

        for (Tensor p : List.of(whh, wxh, b, h0)) {
            p.requiresGrad(true);
        }
        try (Tape tape = Tape.record()) {
            tape.backward(unroll(whh, wxh, b, h0, xs, readout));
        }
        HandWrittenBptt manual = new HandWrittenBptt(whh.value(), wxh.value(), b.value(), h0.value(), xs, readout.value());
        assertArrayEquals(manual.dWhh.data, whh.grad().data(), 1e-12);
        assertArrayEquals(manual.dWxh.data, wxh.grad().data(), 1e-12);
        assertArrayEquals(manual.db.data, b.grad().data(), 1e-12);
        assertArrayEquals(manual.dh0.data, h0.grad().data(), 1e-12);
    }

    /** BPTT written out by hand with EJML, no tape: forward stores h_t, backward sums per-step terms. */
    private static final class HandWrittenBptt {
        final DMatrixRMaj dWhh;
        final DMatrixRMaj dWxh;
        final DMatrixRMaj db;
        final DMatrixRMaj dh0;

        HandWrittenBptt(DMatrixRMaj whh, DMatrixRMaj wxh, DMatrixRMaj b, DMatrixRMaj h0, List<Tensor> xs,
                DMatrixRMaj readout) {
            int batch = h0.numCols;
            List<DMatrixRMaj> hs = new ArrayList<>();
            hs.add(h0);
            for (int t = 0; t < T; t++) {
                DMatrixRMaj a = new DMatrixRMaj(HIDDEN, batch);
                CommonOps_DDRM.mult(whh, hs.get(t), a);
                CommonOps_DDRM.multAdd(wxh, xs.get(t).value(), a);
                for (int r = 0; r < HIDDEN; r++) {
                    for (int c = 0; c < batch; c++) {
                        a.set(r, c, Math.tanh(a.get(r, c) + b.get(r, 0)));
                    }
                }
                hs.add(a);
            }
            dWhh = new DMatrixRMaj(HIDDEN, HIDDEN);
            dWxh = new DMatrixRMaj(HIDDEN, INPUT);
            db = new DMatrixRMaj(HIDDEN, 1);
            DMatrixRMaj dh = new DMatrixRMaj(HIDDEN, batch);
            for (int t = T - 1; t >= 0; t--) {
                CommonOps_DDRM.addEquals(dh, readout);
                DMatrixRMaj h = hs.get(t + 1);
                DMatrixRMaj da = new DMatrixRMaj(HIDDEN, batch);
                for (int i = 0; i < da.data.length; i++) {
                    da.data[i] = dh.data[i] * (1 - h.data[i] * h.data[i]);
                }
                CommonOps_DDRM.multAddTransB(da, hs.get(t), dWhh);
                CommonOps_DDRM.multAddTransB(da, xs.get(t).value(), dWxh);
                for (int r = 0; r < HIDDEN; r++) {
                    for (int c = 0; c < batch; c++) {
                        db.data[r] += da.get(r, c);
                    }
                }
                dh = new DMatrixRMaj(HIDDEN, batch);
                CommonOps_DDRM.multTransA(whh, da, dh);
            }
            dh0 = dh;
        }
    }

    @Test
    void tiedWeightsReceiveTheSumOfBothUses() {
        Tensor shared = Tensor.uniform(3, 3, -1, 1, 7).requiresGrad(true);
        Tensor copyA = shared.copy().requiresGrad(true);
        Tensor copyB = shared.copy().requiresGrad(true);
        Tensor x = Tensor.uniform(2, 3, -1, 1, 8);
        try (Tape tape = Tape.record()) {
            tape.backward(x.matmul(shared).tanh().matmulTransB(shared).sum());
        }
        try (Tape tape = Tape.record()) {
            tape.backward(x.matmul(copyA).tanh().matmulTransB(copyB).sum());
        }
        DMatrixRMaj sum = copyA.grad().value().copy();
        CommonOps_DDRM.addEquals(sum, copyB.grad().value());
        assertArrayEquals(sum.data, shared.grad().data(), 1e-14);
        GradCheck.check(in -> x.matmul(in.get(0)).tanh().matmulTransB(in.get(0)).sum(), shared).assertBelow(1e-6);
    }

    @Test
    void eachStepOfASharedWeightContributesAndTheContributionsAdd() {
        Tensor w = Tensor.scalar(0.7).requiresGrad(true);
        double h = 0.3;
        double grad = 0;
        double[] hs = new double[6];
        hs[0] = h;
        for (int t = 1; t <= 5; t++) {
            hs[t] = hs[t - 1] * 0.7;
        }
        for (int t = 1; t <= 5; t++) {
            grad += hs[5] / 0.7;
        }
        try (Tape tape = Tape.record()) {
            Tensor state = Tensor.scalar(h);
            for (int t = 0; t < 5; t++) {
                state = state.mul(w);
            }
            tape.backward(state);
        }
        assertEquals(grad, w.grad().item(), 1e-14);
    }
}
