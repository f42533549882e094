package dev.unroll.samples.programs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Randomness;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keras' addition questions: generation rules, encoding, and epochs that visit every question once. */
class AdditionDataTest {

    private final AdditionData data = new AdditionData(3);

    @Test
    void questionsAreDifferentEvenWithTheirNumbersSwappedAndShuffled() {
        List<AdditionData.Question> questions = data.generate(20_000, Randomness.seeded(1));
        assertEquals(20_000, questions.size());
        Set<List<Integer>> pairs = new HashSet<>();
        for (AdditionData.Question q : questions) {
            assertTrue(q.a() >= 0 && q.a() <= 999 && q.b() >= 0 && q.b() <= 999, q.toString());
            assertTrue(pairs.add(List.of(Math.min(q.a(), q.b()), Math.max(q.a(), q.b()))), "drawn twice: " + q);
        }
        // Keras' numbers have 1 to 3 digits, each length equally likely: 70 % of those drawn are below 100 (1 or 2
        // digits, or 3 with a leading 0), about half of those kept once repeated pairs are skipped (measured: 50.6 %)
        long small = questions.stream().filter(q -> q.a() < 100).count();
        assertTrue(small > 0.45 * questions.size() && small < 0.55 * questions.size(), small + " below 100");
        assertEquals(questions, data.generate(20_000, Randomness.seeded(1)), "same seed, same questions");
    }

    /**
     * Of the 5,050 two-digit questions, 955 hold a number below 10, and these are drawn early
     * (each such number is drawn one time in 20); unshuffled, the last tenth would hold hardly any.
     */
    @Test
    void theQuestionsAreShuffledAfterTheDraw() {
        List<AdditionData.Question> questions = new AdditionData(2).generate(5000, Randomness.seeded(2));
        long small = questions.subList(4500, 5000).stream().filter(q -> Math.min(q.a(), q.b()) < 10).count();
        assertTrue(small > 50 && small < 150, small + " of the last 500 hold a number below 10; about 95 expected");
    }

    @Test
    void aQueryIsPaddedAndReversedAndTheAnswerEnds() {
        AdditionData.Batch batch = data.batch(List.of(new AdditionData.Question(12, 345), new AdditionData.Question(999, 999)));
        assertEquals(7, batch.source().length);
        StringBuilder query = new StringBuilder();
        for (int[] step : batch.source()) {
            query.append(AdditionData.QUERY_CHARACTERS.charAt(step[0]));
        }
        assertEquals(" 543+21", query.toString(), "'12+345 ' reversed");
        int[] first = new int[batch.target().length];
        int[] second = new int[batch.target().length];
        for (int t = 0; t < first.length; t++) {
            first[t] = batch.target()[t][0];
            second[t] = batch.target()[t][1];
        }
        int s = AdditionData.START;
        int e = AdditionData.END;
        assertArrayEquals(new int[] {s, 3, 5, 7, e, e}, first);
        assertArrayEquals(new int[] {s, 1, 9, 9, 8, e}, second);
        assertArrayEquals(new int[] {5, 6}, batch.targetLengths());
    }

    @Test
    void eachEpochVisitsEveryQuestionOnceInANewOrder() {
        List<AdditionData.Question> questions = data.generate(100, Randomness.seeded(3));
        Iterator<AdditionData.Batch> epochs = data.epochs(questions, 32, Randomness.seeded(4));
        List<List<AdditionData.Question>> orders = new ArrayList<>();
        for (int epoch = 0; epoch < 2; epoch++) {
            List<AdditionData.Question> seen = new ArrayList<>();
            for (int b = 0; b < AdditionData.batchesPerEpoch(questions.size(), 32); b++) {
                seen.addAll(epochs.next().questions());
            }
            assertEquals(new HashSet<>(questions), new HashSet<>(seen));
            assertEquals(questions.size(), seen.size());
            orders.add(seen);
        }
        assertNotEquals(orders.get(0), orders.get(1), "every epoch is shuffled anew");
    }

    @Test
    void everyDifferentQuestionCanBeDrawn() {
        assertEquals(5050, new AdditionData(2).distinctQuestions());
        assertEquals(5050, new AdditionData(2).generate(5050, Randomness.seeded(5)).size(), "all of them can be drawn");
    }
}
