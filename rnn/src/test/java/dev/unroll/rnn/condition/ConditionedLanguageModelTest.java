package dev.unroll.rnn.condition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.unroll.autograd.GradCheck;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.layer.CellType;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.sample.Sampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConditionedLanguageModelTest {

    @ParameterizedTest
    @EnumSource(ConditionedLanguageModel.Mode.class)
    void gradientsMatchFiniteDifferencesInEveryMode(ConditionedLanguageModel.Mode mode) {
        for (CellType type : CellType.values()) {
            ConditionedLanguageModel model = new ConditionedLanguageModel(4, 2, 3, type.cells(3, RecurrentOptions.defaults()), mode, 1);
            Tensor v = Tensor.uniform(2, 3, -1, 1, 2);
            int[][] tokens = {{0, 0}, {2, 3}, {1, 1}};
            GradCheck.check(in -> model.loss(in.get(0), tokens, new int[] {3, 2}), v).assertBelow(1e-6);
            Tensor one = v.sliceRows(0, 1);
            int[][] single = {{0}, {2}, {1}};
            GradCheck.check(in -> model.loss(in.get(0), single, new int[] {3}), one).assertBelow(1e-6);
            GradCheck.check(in -> model.loss(v, tokens, new int[] {3, 2}), model.parameters(), 1e-6).assertBelow(1e-6);
            GradCheck.check(in -> model.loss(one, single, new int[] {3}), model.parameters(), 1e-6).assertBelow(1e-6);
        }
    }

    /** The vector decides which word follows the start token: the model must read it. */
    @Test
    void theGeneratedSequenceDependsOnTheVectorInEachMode() {
        for (ConditionedLanguageModel.Mode mode : ConditionedLanguageModel.Mode.values()) {
            ConditionedLanguageModel model = new ConditionedLanguageModel(5, 4, 2, CellType.LSTM.cells(16, RecurrentOptions.defaults()), mode, 3);
            Adam adam = new Adam(model, 0.03);
            Tensor v = Tensor.of(new double[][] {{1, 0}, {0, 1}});
            int[][] tokens = {{0, 0}, {2, 4}, {3, 3}, {1, 1}};
            for (int step = 0; step < 150; step++) {
                model.zeroGrad();
                try (Tape tape = Tape.record()) {
                    tape.backward(model.loss(v, tokens, new int[] {4, 4}));
                }
                adam.step();
            }
            assertArrayEquals(new int[] {2, 3, 1},
                    Sampler.argmax(model.given(v.sliceRows(0, 1))).generate(new int[] {0}, 5, 1), mode.toString());
            assertArrayEquals(new int[] {4, 3, 1},
                    Sampler.argmax(model.given(v.sliceRows(1, 2))).generate(new int[] {0}, 5, 1), mode.toString());
        }
    }
}
