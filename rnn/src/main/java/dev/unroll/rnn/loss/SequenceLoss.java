package dev.unroll.rnn.loss;

import dev.unroll.autograd.ElementwiseOps;
import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Tensor;
import dev.unroll.rnn.State;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Losses over the per-step outputs of any recurrent layer, counted where a {@link StepMask}
 * says: every step, padding excluded, only the last step, or the last k steps. With
 * {@link Reduction#MEAN} the sum is divided by the number of counted steps (times features for
 * MSE), so padding never dilutes the loss.
 */
public final class SequenceLoss {

    private SequenceLoss() {
    }

    private static void checkSteps(String op, int steps, int batch, StepMask mask) {
        if (mask.steps() != steps || mask.batch() != batch) {
            throw new IllegalArgumentException(op + ": the mask covers " + mask.steps() + " steps of " + mask.batch()
                    + " sequences but there are " + steps + " steps of " + batch);
        }
        if (mask.count() == 0) {
            throw new IllegalArgumentException(op + ": the mask counts no step; nothing to learn from");
        }
    }

    private static double divisor(Reduction reduction, double count) {
        if (reduction == Reduction.NONE) {
            throw new IllegalArgumentException("SequenceLoss: reduction NONE is per step; use SUM or MEAN here, "
                    + "or LossOps on a single step");
        }
        return reduction == Reduction.MEAN ? count : 1.0;
    }

    /**
     * Softmax cross-entropy summed over the counted steps, or averaged over them.
     *
     * @param logits one batch x classes tensor per step
     * @param targets targets[t][b], the class of sequence b at step t (ignored where not counted)
     * @param mask which steps count
     * @param reduction SUM or MEAN
     * @return a 1x1 loss
     */
    public static Tensor crossEntropy(List<Tensor> logits, int[][] targets, StepMask mask, Reduction reduction) {
        int batch = logits.get(0).rows();
        checkSteps("SequenceLoss.crossEntropy", logits.size(), batch, mask);
        if (targets.length != logits.size()) {
            throw new IllegalArgumentException("SequenceLoss.crossEntropy: " + targets.length + " target steps for "
                    + logits.size() + " steps of logits");
        }
        double divisor = divisor(reduction, mask.count());
        Tensor total = null;
        for (int t = 0; t < logits.size(); t++) {
            int[] counted = new int[batch];
            boolean any = false;
            for (int b = 0; b < batch; b++) {
                boolean c = mask.counts(t, b);
                counted[b] = c ? targets[t][b] : LossOps.DEFAULT_IGNORE_INDEX;
                any |= c;
            }
            if (any) {
                Tensor step = LossOps.softmaxCrossEntropy(logits.get(t), counted, Reduction.SUM);
                total = total == null ? step : total.add(step);
            }
        }
        return divisor == 1.0 ? total : total.scale(1.0 / divisor);
    }

    /**
     * Squared error summed over the counted steps, or averaged over them and the features.
     *
     * @param outputs one batch x features tensor per step
     * @param targets one batch x features tensor per step
     * @param mask which steps count
     * @param reduction SUM or MEAN
     * @return a 1x1 loss
     */
    public static Tensor mse(List<Tensor> outputs, List<Tensor> targets, StepMask mask, Reduction reduction) {
        int batch = outputs.get(0).rows();
        checkSteps("SequenceLoss.mse", outputs.size(), batch, mask);
        if (targets.size() != outputs.size()) {
            throw new IllegalArgumentException("SequenceLoss.mse: " + targets.size() + " target steps for "
                    + outputs.size() + " output steps");
        }
        double divisor = divisor(reduction, (double) mask.count() * outputs.get(0).cols());
        Tensor total = null;
        for (int t = 0; t < outputs.size(); t++) {
            double[] keep = new double[batch];
            boolean any = false;
            boolean all = true;
            for (int b = 0; b < batch; b++) {
                keep[b] = mask.counts(t, b) ? 1 : 0;
                any |= keep[b] == 1;
                all &= keep[b] == 1;
            }
            if (!any) {
                continue;
            }
            Tensor out = outputs.get(t);
            Tensor target = targets.get(t);
            if (!all) {
                Tensor column = new Tensor(new DMatrixRMaj(batch, 1, true, keep));
                out = ElementwiseOps.maskMul(out, column);
                target = ElementwiseOps.maskMul(target, column);
            }
            Tensor step = LossOps.mse(out, target, Reduction.SUM);
            total = total == null ? step : total.add(step);
        }
        return divisor == 1.0 ? total : total.scale(1.0 / divisor);
    }

    /**
     * Each sequence's output at its own last step: what a many-to-one model classifies.
     *
     * @param outputs one batch x features tensor per step
     * @param lengths each sequence's length, or {@code null} when all are T
     * @return batch x features
     */
    public static Tensor lastOutputs(List<Tensor> outputs, int[] lengths) {
        int steps = outputs.size();
        if (lengths == null) {
            return outputs.get(steps - 1);
        }
        int batch = outputs.get(0).rows();
        StepMask.lengths(lengths, steps);
        int[] rows = new int[batch];
        for (int b = 0; b < batch; b++) {
            rows[b] = (lengths[b] - 1) * batch + b;
        }
        return ShapeOps.gatherRows(steps == 1 ? outputs.get(0) : ShapeOps.concatRows(outputs), rows);
    }

    /**
     * Mean squared error between a final hidden state and desired final activities.
     *
     * @param state the final state
     * @param target the desired h, batch x hidden
     * @return a 1x1 loss
     */
    public static Tensor finalState(State state, Tensor target) {
        return LossOps.mse(state.h(), target, Reduction.MEAN);
    }
}
