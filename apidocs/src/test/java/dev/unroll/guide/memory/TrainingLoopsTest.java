package dev.unroll.guide.memory;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.model.LanguageModel;
import org.junit.jupiter.api.Test;

/** The guide's two loops train alike, and the storage facts it states hold. */
class TrainingLoopsTest {

    private static final int[][] IN = {{0}, {1}, {2}, {2}};
    private static final int[][] OUT = {{1}, {2}, {2}, {3}};

    @Test
    void bothLoopsComputeTheSameNumbersAndLearn() {
        LanguageModel a = LanguageModel.lstm(4, 8, 16, 1, 42);
        LanguageModel b = LanguageModel.lstm(4, 8, 16, 1, 42);
        double perIteration = TrainingLoops.tapePerIteration(a, new Adam(a, 0.05), IN, OUT, 30);
        double cleared = TrainingLoops.oneClearedTape(b, new Adam(b, 0.05), IN, OUT, 30);
        assertEquals(perIteration, cleared, 0.0, "recycling storage must not change a bit");
        assertTrue(cleared < 0.1, "30 Adam steps should learn four transitions: " + cleared);
    }

    @Test
    void aValueReadAfterClearThrowsButADetachedOneIsKept() {
        Tensor w = Tensor.row(1, 2).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor dropped = w.mul(w);
            Tensor kept = w.mul(w).detach();
            tape.clear();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> dropped.get(0, 1));
            assertTrue(e.getMessage().contains("detach()"), e.getMessage());
            assertDoesNotThrow(() -> kept.get(0, 1));
            assertEquals(4, kept.get(0, 1), 0.0);
        }
    }

    @Test
    void aClosedTapeLeavesItsValuesReadable() {
        Tensor w = Tensor.row(1, 2).requiresGrad(true);
        Tensor y;
        try (Tape tape = Tape.record()) {
            y = w.mul(w);
        }
        assertEquals(4, y.get(0, 1), 0.0);
    }
}
