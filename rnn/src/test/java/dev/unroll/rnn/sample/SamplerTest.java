package dev.unroll.rnn.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Randomness;
import dev.unroll.rnn.model.LanguageModel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private final LanguageModel model = LanguageModel.lstm(6, 4, 8, 1, 3);

    @Test
    void theSameSeedGivesTheSameText() {
        int[] a = Sampler.temperature(model, 1.0, Randomness.seeded(5)).generate(new int[] {0}, 30, Sampler.NO_END);
        int[] b = Sampler.temperature(model, 1.0, Randomness.seeded(5)).generate(new int[] {0}, 30, Sampler.NO_END);
        assertArrayEquals(a, b);
        assertEquals(30, a.length);
    }

    @Test
    void argmaxPicksTheMostLikelyTokenAndAVeryLowTemperatureAgrees() {
        Sampler greedy = Sampler.argmax(model);
        Sampler.Stepper stepper = greedy.start(1, 2);
        double[] p = stepper.probabilities();
        int best = 0;
        for (int j = 1; j < p.length; j++) {
            best = p[j] > p[best] ? j : best;
        }
        assertEquals(1.0, p[best]);
        assertEquals(best, stepper.next());
        assertArrayEquals(greedy.generate(new int[] {1, 2}, 20, Sampler.NO_END),
                Sampler.temperature(model, 1e-6, Randomness.seeded(1)).generate(new int[] {1, 2}, 20, Sampler.NO_END));
    }

    @Test
    void topKNeverEmitsATokenOutsideTheTopK() {
        double[] logits = {5, 1, 4, 0, 3, 2};
        TokenChooser top2 = TokenChooser.topK(2, 2.0, Randomness.seeded(9));
        boolean[] seen = new boolean[6];
        for (int i = 0; i < 2000; i++) {
            seen[top2.choose(logits)] = true;
        }
        assertArrayEquals(new boolean[] {true, false, true, false, false, false}, seen);
    }

    @Test
    void samplingFollowsTheSoftmaxOfTheTemperedLogits() {
        double[] logits = {0, Math.log(3)};
        TokenChooser s = TokenChooser.temperature(1.0, Randomness.seeded(11));
        int ones = 0;
        for (int i = 0; i < 20000; i++) {
            ones += s.choose(logits);
        }
        assertEquals(0.75, ones / 20000.0, 0.01);
    }

    @Test
    void theEndTokenStopsGenerationAndPrimingChangesTheState() {
        Sampler greedy = Sampler.argmax(model);
        int[] free = greedy.generate(new int[] {0}, 40, Sampler.NO_END);
        int end = free[5];
        int[] stopped = greedy.generate(new int[] {0}, 40, end);
        int first = 0;
        while (free[first] != end) {
            first++;
        }
        assertArrayEquals(Arrays.copyOf(free, first + 1), stopped);
        double[] afterOne = greedy.start(0).state().get(0).h().data();
        double[] afterPrime = greedy.start(3, 4, 0).state().get(0).h().data();
        assertFalse(Arrays.equals(afterOne, afterPrime));
        assertThrows(IllegalArgumentException.class, () -> greedy.start());
        assertThrows(IllegalArgumentException.class, () -> Sampler.temperature(model, 0, Randomness.seeded(1)));
        assertTrue(free.length == 40);
    }

    @Test
    void aNegativeLengthIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sampler.argmax(model).generate(new int[] {0}, -1, Sampler.NO_END));
        assertEquals("Sampler.generate: maxLength -1 is negative; pass 0 or more", e.getMessage());
        assertEquals(0, Sampler.argmax(model).generate(new int[] {0}, 0, Sampler.NO_END).length);
    }
}
