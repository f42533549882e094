package dev.unroll.samples.programs;

import dev.unroll.rnn.data.LengthBuckets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The questions of Keras' {@code addition_rnn} example and their encoding. Generation follows
 * the example: each number has 1 to {@code digits} digits (length uniform, each digit uniform, so
 * "007" is 7), a question is skipped when its pair, sorted, was drawn before (no duplicates, and
 * b+a is not asked after a+b), then the questions are shuffled (the later ones hold mostly large
 * numbers) and the last tenth is the validation set. The query "a+b" is padded with spaces to
 * 2 x digits + 1 characters and reversed ("12+345 " reads " 543+21"); the answer is the sum's
 * digits, read by the decoder after a start token and followed by an end token.
 */
final class AdditionData {

    /** The query's characters; a source token is its index here. */
    static final String QUERY_CHARACTERS = "0123456789+ ";
    /** The answer's end token (a digit's token is the digit). */
    static final int END = 10;
    /** The token the decoder starts from. */
    static final int START = 11;
    /** Answer tokens: ten digits, end and start. */
    static final int ANSWER_VOCABULARY = 12;

    private final int digits;

    /** @param digits the most digits of each number, at least 1 */
    AdditionData(int digits) {
        this.digits = digits;
    }

    /** One question a+b. */
    record Question(int a, int b) {
        /** @return the sum's decimal digits */
        String answer() {
            return Integer.toString(a + b);
        }
    }

    /**
     * Encoded questions: source[t][b] the reversed padded queries, target[t][b] start, the
     * answer's digits, end (padded with end tokens), targetLengths each answer's tokens with start and end.
     */
    record Batch(List<Question> questions, int[][] source, int[][] target, int[] targetLengths) {
        /** @return the number of questions */
        int size() {
            return questions.size();
        }
    }

    /** @return characters of a query: two numbers of {@code digits} digits and the plus sign */
    int queryLength() {
        return 2 * digits + 1;
    }

    /** @return the most digits of an answer */
    int answerLength() {
        return digits + 1;
    }

    /** @return how many different questions there are (pairs a &lt;= b of numbers below 10^digits) */
    long distinctQuestions() {
        long numbers = (long) Math.pow(10, digits);
        return numbers * (numbers + 1) / 2;
    }

    /**
     * Keras' questions: drawn until {@code count} different ones, then shuffled.
     *
     * @param count how many, at most {@link #distinctQuestions()}
     * @param rng the generator of the numbers and the shuffle
     * @return the questions, in shuffled order
     */
    List<Question> generate(int count, RandomGenerator rng) {
        Set<Question> seen = new HashSet<>();
        List<Question> questions = new ArrayList<>(count);
        while (questions.size() < count) {
            int a = number(rng);
            int b = number(rng);
            if (seen.add(new Question(Math.min(a, b), Math.max(a, b)))) {
                questions.add(new Question(a, b));
            }
        }
        List<Question> shuffled = new ArrayList<>(count);
        for (int[] order : LengthBuckets.batches(queries(questions), count, rng)) {
            for (int i : order) {
                shuffled.add(questions.get(i));
            }
        }
        return shuffled;
    }

    private int number(RandomGenerator rng) {
        int length = 1 + rng.nextInt(digits);
        int value = 0;
        for (int d = 0; d < length; d++) {
            value = 10 * value + rng.nextInt(10);
        }
        return value;
    }

    /** @return each question's source tokens: "a+b" padded with spaces, reversed */
    private List<int[]> queries(List<Question> questions) {
        List<int[]> out = new ArrayList<>(questions.size());
        for (Question q : questions) {
            String padded = String.format("%-" + queryLength() + "s", q.a() + "+" + q.b());
            int[] tokens = new int[padded.length()];
            for (int t = 0; t < tokens.length; t++) {
                tokens[t] = QUERY_CHARACTERS.indexOf(padded.charAt(padded.length() - 1 - t));
            }
            out.add(tokens);
        }
        return out;
    }

    /**
     * @param questions the questions of one batch
     * @return them encoded for {@code Seq2Seq.loss} and {@code decode}
     */
    Batch batch(List<Question> questions) {
        int size = questions.size();
        List<int[]> queries = queries(questions);
        int[][] source = new int[queryLength()][size];
        int[][] target = new int[answerLength() + 2][size];
        int[] targetLengths = new int[size];
        for (int b = 0; b < size; b++) {
            for (int t = 0; t < source.length; t++) {
                source[t][b] = queries.get(b)[t];
            }
            String answer = questions.get(b).answer();
            target[0][b] = START;
            for (int t = 1; t < target.length; t++) {
                target[t][b] = t <= answer.length() ? answer.charAt(t - 1) - '0' : END;
            }
            targetLengths[b] = answer.length() + 2;
        }
        return new Batch(List.copyOf(questions), source, target, targetLengths);
    }

    /**
     * Endless training batches, epoch after epoch, each epoch a new shuffle of all questions cut
     * into batches (the last one smaller), as Keras' {@code fit(shuffle=True)}: every query has the
     * same length, so {@link LengthBuckets} is one shuffle.
     *
     * @param questions the training questions
     * @param batchSize questions per batch
     * @param rng the generator of the shuffles
     * @return the batches
     */
    Iterator<Batch> epochs(List<Question> questions, int batchSize, RandomGenerator rng) {
        List<int[]> queries = queries(questions);
        return new Iterator<>() {
            private Iterator<int[]> epoch = List.<int[]>of().iterator();

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Batch next() {
                if (!epoch.hasNext()) {
                    epoch = LengthBuckets.batches(queries, batchSize, rng).iterator();
                }
                List<Question> chosen = new ArrayList<>();
                for (int i : epoch.next()) {
                    chosen.add(questions.get(i));
                }
                return batch(chosen);
            }
        };
    }

    /**
     * @param questions how many questions an epoch trains on
     * @param batchSize questions per batch
     * @return the batches (updates) of one epoch
     */
    static int batchesPerEpoch(int questions, int batchSize) {
        return (questions + batchSize - 1) / batchSize;
    }

    /**
     * @param questions the questions to cut
     * @param size questions per chunk
     * @return consecutive chunks of them, encoded (for decoding a large set without one huge batch)
     */
    List<Batch> chunks(List<Question> questions, int size) {
        List<Batch> out = new ArrayList<>();
        for (int from = 0; from < questions.size(); from += size) {
            out.add(batch(questions.subList(from, Math.min(questions.size(), from + size))));
        }
        return out;
    }
}
