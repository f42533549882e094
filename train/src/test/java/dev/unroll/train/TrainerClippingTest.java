package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.nn.clip.GradClipping;
import java.util.Arrays;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

/** The trainer clips as PyTorch's {@code clip_grad_value_} and {@code clip_grad_norm_} do, in that order. */
class TrainerClippingTest {

    /** What a hand-written loop leaves after {@code iterations} steps with the given clipping (0: none). */
    private static TrainerFixture byHand(int iterations, double bound, double maxNorm) {
        TrainerFixture f = TrainerFixture.create();
        Iterator<int[][][]> batches = TrainerFixture.batches(3);
        for (int n = 0; n < iterations; n++) {
            int[][][] b = batches.next();
            f.optimizer.zeroGrad();
            try (Tape tape = Tape.record()) {
                tape.backward(f.model.loss(b[0], b[1], null, Reduction.MEAN).loss());
            }
            if (bound > 0) {
                GradClipping.clipGradValue(f.optimizer.parameters().values(), bound);
            }
            if (maxNorm > 0) {
                GradClipping.clipGradNorm(f.optimizer.parameters().values(), maxNorm);
            }
            f.optimizer.step();
        }
        return f;
    }

    @Test
    void clippingByValueTrainsTheBitsOfTheHandWrittenLoop() {
        TrainerFixture f = TrainerFixture.create();
        Trainer.builder(f.model, f.optimizer).step(f.batchStep(3)).clipValue(0.01).stopOnInterrupt(false).build().fit(6);
        TrainerFixture.assertSameBits(byHand(6, 0.01, 0), f);
        TrainerFixture unclipped = byHand(6, 0, 0);
        assertFalse(unclipped.model.namedParameters().keySet().stream().allMatch(key -> Arrays.equals(
                unclipped.model.namedParameters().get(key).data(), f.model.namedParameters().get(key).data())),
                "a bound of 0.01 should change some gradient, else this test could not tell clipping from none");
    }

    @Test
    void valuesAreClippedBeforeTheNorm() {
        TrainerFixture f = TrainerFixture.create();
        Trainer.builder(f.model, f.optimizer).step(f.batchStep(3)).clipValue(0.01).clipNorm(0.02)
                .stopOnInterrupt(false).build().fit(6);
        TrainerFixture.assertSameBits(byHand(6, 0.01, 0.02), f);
    }

    @Test
    void aBoundThatIsNotAPositiveNumberIsRefused() {
        TrainerFixture f = TrainerFixture.create();
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Trainer.builder(f.model, f.optimizer).clipValue(bad));
            assertEquals("clipValue: " + bad + " must be a positive number; leave clipping out to train without it",
                    e.getMessage());
        }
    }
}
