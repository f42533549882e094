package dev.unroll.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.PrecisionCheck;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.clip.GradClipping;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.attention.AttentionOps;
import dev.unroll.rnn.cell.GateOps;
import dev.unroll.rnn.model.LanguageModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recurrent ops and a whole LSTM language model train in float32 as they do in float64, within float32 rounding. */
class Float32TrainingTest {

    @Test
    void fusedCellUpdatesAndAttentionOpsMatchFloat64() {
        Tensor gates = Tensor.uniform(3, 16, -2, 2, 1);
        Tensor c = Tensor.uniform(3, 4, -1, 1, 2);
        PrecisionCheck.compare(in -> GateOps.lstmHidden(in.get(0), GateOps.lstmCellState(in.get(0), in.get(1))), gates, c)
                .assertBelow(1e-5);
        Tensor x = Tensor.uniform(2, 12, -1, 1, 3);
        Tensor h = Tensor.uniform(2, 12, -1, 1, 4);
        Tensor prev = Tensor.uniform(2, 4, -1, 1, 5);
        PrecisionCheck.compare(in -> GateOps.gruHidden(in.get(0), in.get(1), in.get(2)), x, h, prev).assertBelow(1e-5);
        Tensor q = Tensor.uniform(2, 5, -1, 1, 6);
        Tensor k0 = Tensor.uniform(2, 5, -1, 1, 7);
        Tensor k1 = Tensor.uniform(2, 5, -1, 1, 8);
        PrecisionCheck.compare(in -> {
            Tensor w = AttentionOps.dotScores(in.get(0), List.of(in.get(1), in.get(2))).softmax();
            return AttentionOps.weightedSum(w, List.of(in.get(1), in.get(2)));
        }, q, k0, k1).assertBelow(1e-5);
    }

    @Test
    void anLstmLanguageModelTrainsInFloat32LikeInFloat64() {
        int[][] in = {{0, 3}, {1, 2}, {2, 2}, {2, 1}, {3, 0}};
        int[][] out = {{1, 2}, {2, 2}, {2, 1}, {3, 0}, {0, 3}};
        double[] wide = train(DType.F64, in, out);
        double[] narrow = train(DType.F32, in, out);
        for (int step = 0; step < wide.length; step++) {
            assertEquals(wide[step], narrow[step], 1e-4 * Math.abs(wide[step]), "loss at step " + step);
        }
        assertTrue(narrow[narrow.length - 1] < 0.8 * narrow[0], "float32 training lowers the loss");
    }

    private static double[] train(DType dtype, int[][] in, int[][] out) {
        LanguageModel model = LanguageModel.lstm(4, 6, 12, 2, 42);
        model.to(dtype);
        assertEquals(dtype, model.dtype());
        Adam adam = new Adam(model, 0.05);
        double[] losses = new double[20];
        for (int step = 0; step < losses.length; step++) {
            model.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor loss = model.loss(in, out, null, Reduction.MEAN).loss();
                assertEquals(dtype, loss.dtype());
                tape.backward(loss);
                losses[step] = loss.item();
            }
            GradClipping.clipGradNorm(model.parameters(), 0.5);
            adam.step();
        }
        return losses;
    }
}
