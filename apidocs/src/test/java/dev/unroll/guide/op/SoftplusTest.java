package dev.unroll.guide.op;

import static dev.unroll.guide.op.Softplus.softplus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.PrecisionCheck;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import org.junit.jupiter.api.Test;

/** The guide's example op does what the guide says, and passes the checks the guide shows. */
class SoftplusTest {

    @Test
    void itIsLogOfOnePlusEToTheXWithoutOverflow() {
        Tensor y = softplus(Tensor.row(0, 1, -2, 800, -800));
        assertEquals(Math.log(2), y.get(0, 0), 1e-15);
        assertEquals(Math.log1p(Math.E), y.get(0, 1), 1e-15);
        assertEquals(Math.log1p(Math.exp(-2)), y.get(0, 2), 1e-15);
        assertEquals(800, y.get(0, 3), 0.0);
        assertEquals(0, y.get(0, 4), 0.0);
    }

    @Test
    void theGuidesChecksPassOnOneRowAndOnSeveralAndWithAnInputUsedTwice() {
        for (Tensor x : new Tensor[] {Tensor.uniform(1, 5, -3, 3, 7), Tensor.uniform(3, 4, -3, 3, 7)}) {
            GradCheck.check(in -> softplus(in.get(0)).sum(), x).assertBelow(1e-6);
            GradCheck.check(in -> softplus(in.get(0)).mul(in.get(0)).sum(), x).assertBelow(1e-6);
            PrecisionCheck.compare(in -> softplus(in.get(0)), x).assertBelow(1e-6);
        }
    }

    @Test
    void itRecordsOnlyWhenATapeIsOpenAndTheInputNeedsAGradient() {
        Tensor x = Tensor.row(0.5, -1).requiresGrad(true);
        assertFalse(softplus(x).requiresGrad(), "outside a tape an op only computes its value");
        try (Tape tape = Tape.record()) {
            assertFalse(softplus(x.detach()).requiresGrad(), "an input that needs no gradient records nothing");
            assertEquals(0, tape.size());
            Tensor y = softplus(x).sum();
            assertEquals(2, tape.size(), "softplus and sum");
            tape.backward(y);
        }
        assertEquals(1 / (1 + Math.exp(-0.5)), x.grad().get(0, 0), 1e-15);
        assertEquals(1 / (1 + Math.exp(1)), x.grad().get(0, 1), 1e-15);
    }

    @Test
    void aFloat32InputGivesAFloat32OutputAndGradient() {
        Tensor x = Tensor.row(0.5, -1).to(DType.F32).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor y = softplus(x);
            assertEquals(DType.F32, y.dtype());
            tape.backward(y.sum());
        }
        assertEquals(DType.F32, x.grad().dtype());
        assertEquals((float) (1 / (1 + Math.exp(-0.5))), x.grad().get(0, 0), 0.0);
    }
}
