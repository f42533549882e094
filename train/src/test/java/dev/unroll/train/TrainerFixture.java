package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.autograd.Reduction;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.optim.Adam;
import dev.unroll.nn.optim.Optimizer;
import dev.unroll.nn.optim.OptimizerState;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.rnn.tbptt.ParallelStreams;
import java.util.Iterator;
import java.util.SplittableRandom;

/** A tiny LSTM language model on seeded random tokens, and bitwise comparisons of what training leaves. */
final class TrainerFixture {

    static final int VOCABULARY = 7;

    final LanguageModel model = LanguageModel.lstm(VOCABULARY, 5, 8, 1, 42);
    final Optimizer optimizer = new Adam(model, 0.01);

    private TrainerFixture() {
    }

    static TrainerFixture create() {
        return new TrainerFixture();
    }

    /** 4 streams of seeded random tokens, 40 steps each: 5 chunks of 8 per epoch. */
    static ParallelStreams streams() {
        SplittableRandom rng = new SplittableRandom(7);
        int[] tokens = new int[4 * 41];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(VOCABULARY);
        }
        return new ParallelStreams(tokens, 4);
    }

    /** Truncated BPTT over {@link #streams()} in chunks of 8 steps. */
    StreamTbpttStep tbptt() {
        return new StreamTbpttStep(streams(), 8, model::initialState, (x, y, state) -> model.loss(x, y, state, Reduction.MEAN));
    }

    /** Endless batches of 3 random sequences of 6 steps (inputs then targets), the same for a seed. */
    static Iterator<int[][][]> batches(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public int[][][] next() {
                int[][][] b = new int[2][6][3];
                for (int[][] part : b) {
                    for (int[] row : part) {
                        for (int i = 0; i < row.length; i++) {
                            row[i] = rng.nextInt(VOCABULARY);
                        }
                    }
                }
                return b;
            }
        };
    }

    /** A step over {@link #batches(long)}. */
    BatchStep<int[][][]> batchStep(long seed) {
        return new BatchStep<>(batches(seed), b -> model.loss(b[0], b[1], null, Reduction.MEAN).loss(), b -> 18);
    }

    /** Asserts both fixtures hold the same parameters and optimizer state, to the bit. */
    static void assertSameBits(TrainerFixture expected, TrainerFixture actual) {
        for (var e : expected.model.namedParameters().entrySet()) {
            Parameter p = actual.model.namedParameters().get(e.getKey());
            assertArrayEquals(e.getValue().data(), p.data(), e.getKey());
        }
        OptimizerState a = expected.optimizer.state();
        OptimizerState b = actual.optimizer.state();
        assertEquals(a.step(), b.step());
        assertEquals(a.groups(), b.groups());
        assertEquals(a.parameterSteps(), b.parameterSteps());
        assertEquals(a.buffers().keySet(), b.buffers().keySet());
        a.buffers().forEach((k, v) -> assertArrayEquals(v.values(), b.buffers().get(k).values(), k));
    }
}
