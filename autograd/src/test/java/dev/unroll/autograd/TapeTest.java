package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TapeTest {

    @Test
    void outsideATapeOpsOnlyComputeValues() {
        Tensor w = Tensor.row(1, 2).requiresGrad(true);
        Tensor y = w.mul(w).sum();
        assertEquals(5, y.item());
        assertFalse(y.requiresGrad());
        assertTrue(y.isLeaf());
    }

    @Test
    void opsOverTensorsThatNeedNoGradientAreNotRecorded() {
        try (Tape tape = Tape.record()) {
            Tensor.row(1, 2).tanh().sum();
            assertEquals(0, tape.size());
        }
    }

    @Test
    void backwardGivesTheGradientAndLeavesAccumulateUntilZeroed() {
        Tensor x = Tensor.row(1, 2, 3).requiresGrad(true);
        for (int i = 1; i <= 2; i++) {
            try (Tape tape = Tape.record()) {
                tape.backward(x.mul(x).sum());
            }
            assertArrayEquals(new double[] {2 * i, 4 * i, 6 * i}, x.grad().data());
        }
        x.zeroGrad();
        assertNull(x.grad());
        assertFalse(x.hasGrad());
    }

    @Test
    void zeroGradLeavesNoGradientUntilABackwardPassReachesTheLeafAgainAndReusesItsBuffer() {
        Tensor used = Tensor.row(1, 2).requiresGrad(true);
        Tensor unused = Tensor.row(5).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            tape.backward(used.mul(used).sum().add(unused.sum()));
        }
        double[] buffer = used.gradMatrix().data;
        used.zeroGrad();
        unused.zeroGrad();
        try (Tape tape = Tape.record()) {
            unused.scale(2);                      // recorded, but not part of the loss
            tape.backward(used.scale(3).sum());
        }
        assertArrayEquals(new double[] {3, 3}, used.grad().data());
        assertSame(buffer, used.gradMatrix().data);
        assertFalse(unused.hasGrad());
        assertNull(unused.gradMatrix());
        assertArrayEquals(new double[] {0}, unused.gradBuffer().data);
    }

    @Test
    void backwardWithASeedComputesAVectorJacobianProduct() {
        Tensor x = Tensor.row(1, 2).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            tape.backward(x.scale(3), Tensor.row(10, 100));
        }
        assertArrayEquals(new double[] {30, 300}, x.grad().data());
    }

    @Test
    void misuseThrowsIllegalStateSayingWhatToDo() {
        Tensor x = Tensor.row(1, 2).requiresGrad(true);
        Tape closed;
        try (Tape tape = Tape.record()) {
            Tensor y = x.tanh();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.backward(y));
            assertTrue(e.getMessage().contains("needs a 1x1 loss but got 1x2"), e.getMessage());
            Tensor loss = y.sum();
            tape.backward(loss);
            e = assertThrows(IllegalStateException.class, () -> tape.backward(loss));
            assertTrue(e.getMessage().contains("call tape.clear()"), e.getMessage());
            closed = tape;
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> closed.backward(Tensor.scalar(1)));
        assertTrue(e.getMessage().contains("the tape is closed"), e.getMessage());
        try (Tape tape = Tape.record()) {
            e = assertThrows(IllegalStateException.class, () -> tape.backward(Tensor.row(1, 2).sum()));
            assertTrue(e.getMessage().contains("requiresGrad(true)"), e.getMessage());
        }
    }

    @Test
    void aClearedTapeRecordsTheNextIteration() {
        Tensor w = Tensor.scalar(2).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            for (int i = 0; i < 3; i++) {
                tape.backward(w.mul(w));
                assertEquals(4.0 * (i + 1), w.grad().item());
                tape.clear();
                assertEquals(0, tape.size());
            }
        }
    }

    @Test
    void aTensorRecordedBeforeClearMustBeDetachedToBeUsedAgain() {
        Tensor w = Tensor.scalar(2).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor h = w.tanh();
            tape.backward(h);
            Tensor carried = h.detach();
            tape.clear();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.mul(w));
            assertTrue(e.getMessage().contains("detach()"), e.getMessage());
            assertEquals(Math.tanh(2), carried.item(), 0.0);
            tape.backward(carried.mul(w));
            assertEquals((1 - Math.pow(Math.tanh(2), 2)) + Math.tanh(2), w.grad().item(), 1e-12);
        }
    }

    @Test
    void clearingRecyclesTheRecordedValuesForTheNextIteration() {
        Tensor w = Tensor.row(1, 2, 3).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor first = w.tanh();
            double[] storage = first.data();
            double[] saved = Storage.scratch(7);
            saved[3] = 5;
            tape.clear();
            IllegalStateException e = assertThrows(IllegalStateException.class, first::value);
            assertTrue(e.getMessage().contains("cleared") && e.getMessage().contains("copy()"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> first.get(0, 0));
            assertTrue(first.toString().contains("recycled by tape.clear()"), first.toString());

            Tensor second = w.tanh();
            assertSame(storage, second.data(), "the next iteration's output reuses the recycled storage");
            assertEquals(Math.tanh(2), second.get(0, 1), 0.0);
            double[] again = Storage.scratch(7);
            assertSame(saved, again, "scratch arrays are recycled too");
            assertEquals(0.0, again[3], "and handed out zeroed");
        }
    }

    @Test
    void aDetachedTensorKeepsItsStorageAcrossClears() {
        Tensor w = Tensor.row(1, 2, 3).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor carried = w.tanh().detach();
            tape.clear();
            Tensor next = w.scale(10);
            assertNotSame(carried.data(), next.data());
            assertEquals(Math.tanh(3), carried.get(0, 2), 0.0);
        }
    }

    @Test
    void closingKeepsTheRecordedValuesReadable() {
        Tensor w = Tensor.row(1, 2).requiresGrad(true);
        Tensor loss;
        try (Tape tape = Tape.record()) {
            loss = w.mul(w).sum();
            tape.backward(loss);
        }
        assertEquals(5.0, loss.item(), 0.0);
    }

    @Test
    void intermediateGradientsAreFreedUnlessRetained() {
        Tensor x = Tensor.row(0.5, -0.5).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor kept = x.scale(2).retainGrad();
            Tensor dropped = kept.tanh();
            tape.backward(dropped.sum());
            assertNotNull(kept.grad());
            assertNull(dropped.grad());
            assertArrayEquals(new double[] {1 - Math.pow(Math.tanh(1), 2), 1 - Math.pow(Math.tanh(-1), 2)},
                    kept.grad().data(), 1e-15);
        }
    }

    @Test
    void recycledGradientBuffersNeverOverwriteRetainedOnes() {
        double[] retainedAlone = chainGradientAtStep(3, false);
        double[] retainedAmongRecycled = chainGradientAtStep(3, true);
        assertArrayEquals(retainedAlone, retainedAmongRecycled, 0.0);
    }

    /** dLoss/dh_k of h_{i+1} = tanh(1.5 h_i) over 12 same-shape steps, retaining all or only h_k. */
    private static double[] chainGradientAtStep(int k, boolean retainOnlyK) {
        Tensor x = Tensor.row(0.3, -0.7, 0.2).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor h = x;
            Tensor atK = null;
            for (int i = 0; i < 12; i++) {
                h = h.scale(1.5).tanh();
                if (i == k || !retainOnlyK) {
                    h.retainGrad();
                }
                if (i == k) {
                    atK = h;
                }
            }
            tape.backward(h.sum());
            return atK.grad().data().clone();
        }
    }

    @Test
    void aMillionNodeTapeBackpropagatesWithoutRecursion() {
        Tensor x = Tensor.scalar(1).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor y = x;
            for (int i = 0; i < 1_000_000; i++) {
                y = y.addScalar(1e-6);
            }
            assertEquals(1_000_000, tape.size());
            tape.backward(y);
        }
        assertEquals(1.0, x.grad().item());
    }

    @Test
    void checkingModeNamesTheFirstOpThatProducesANaN() {
        Tensor x = Tensor.row(1, -1).requiresGrad(true);
        try (Tape tape = Tape.recordChecked()) {
            Tensor y = x.tanh();
            NonFiniteException e = assertThrows(NonFiniteException.class, () -> y.sub(Tensor.row(0, 0)).log().sqrt());
            assertEquals("log", e.op());
            assertEquals(2, e.position());
            assertTrue(e.getMessage().startsWith("op 'log' at tape position 2 produced NaN in its output at (0, 1)"),
                    e.getMessage());
        }
        try (Tape tape = Tape.recordChecked()) {
            Tensor zero = Tensor.row(0, 1).requiresGrad(true);
            Tensor loss = zero.sqrt().sum();
            NonFiniteException e = assertThrows(NonFiniteException.class, () -> tape.backward(loss));
            assertEquals("sqrt", e.op());
        }
    }

    @Test
    void withoutCheckingModeNaNsFlowThrough() {
        try (Tape tape = Tape.record()) {
            Tensor y = Tensor.row(-1).requiresGrad(true).log();
            assertTrue(Double.isNaN(y.item()));
        }
    }

    @Test
    void nestedTapesCloseInnermostFirstAndRestoreTheOuterTape() {
        try (Tape outer = Tape.record()) {
            Tape inner = Tape.record();
            assertSame(inner, Tape.active());
            assertThrows(IllegalStateException.class, outer::close);
            inner.close();
            assertSame(outer, Tape.active());
        }
        assertNull(Tape.active());
    }

    @Test
    void aPausedScopeRecordsNothingAndThenRestoresTheTape() {
        Tensor w = Tensor.scalar(2).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            try (Tape.Paused paused = Tape.pause()) {
                Tensor y = w.mul(w);
                assertFalse(y.requiresGrad());
                assertNull(Tape.active());
            }
            assertSame(tape, Tape.active());
            tape.backward(w.mul(w));
            assertEquals(1, tape.size());
        }
    }

    @Test
    void summaryCountsOpsPerMarkedStep() {
        Tensor w = Tensor.scalar(0.5).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor h = Tensor.scalar(1);
            for (int t = 0; t < 2; t++) {
                Tape.mark("t=" + t);
                h = h.mul(w).tanh();
            }
            tape.backward(h);
            assertEquals("Tape: 4 ops, backward done\n  t=0: 1 mul, 1 tanh\n  t=1: 1 mul, 1 tanh", tape.summary());
        }
    }
}
