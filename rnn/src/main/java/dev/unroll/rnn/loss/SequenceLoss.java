package dev.unroll.rnn.loss;

import dev.unroll.autograd.ElementwiseOps;
import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Tensor;
import dev.unroll.rnn.State;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Losses over the per-step outputs of any recurrent layer, counted where a {@link StepMask}
 * says: every step, padding excluded, only the last step, or the last k steps. With
 * {@link Reduction#MEAN} the sum is divided by the number of counted steps (times features for
 * MSE), so padding never dilutes the loss; {@link Reduction#NONE} gives the loss of every step
 * of every sequence, stacked step-major (row t*B + b), 0 where the mask does not count, as
 * PyTorch's {@code reduction='none'} with an ignore index gives 0 at padding.
 */
public final class SequenceLoss {

    private SequenceLoss() {
    }

    private static void checkSteps(String op, int steps, int batch, StepMask mask) {
        if (mask.steps() != steps || mask.batch() != batch) {
            throw new IllegalArgumentException(op + ": the mask covers " + mask.steps() + " steps of " + mask.batch()
                    + " sequences but there are " + steps + " steps of " + batch);
        }
        checkCounts(op, mask);
    }

    private static void checkCounts(String op, StepMask mask) {
        if (mask.count() == 0) {
            throw new IllegalArgumentException(op + ": the mask counts no step; nothing to learn from");
        }
    }

    private static double divisor(Reduction reduction, double count) {
        return reduction == Reduction.MEAN ? count : 1.0;
    }

    /**
     * Softmax cross-entropy summed over the counted steps, or averaged over them.
     *
     * @param logits one batch x classes tensor per step
     * @param targets targets[t][b], the class of sequence b at step t (ignored where not counted)
     * @param mask which steps count
     * @param reduction SUM, MEAN, or NONE
     * @return a 1x1 loss, or (T*B) x 1 per-step losses for NONE
     */
    public static Tensor crossEntropy(List<Tensor> logits, int[][] targets, StepMask mask, Reduction reduction) {
        if (logits.isEmpty()) {
            throw new IllegalArgumentException("SequenceLoss.crossEntropy: no steps of logits");
        }
        int batch = logits.get(0).rows();
        checkSteps("SequenceLoss.crossEntropy", logits.size(), batch, mask);
        for (int t = 1; t < logits.size(); t++) {
            if (logits.get(t).rows() != batch) {
                throw new IllegalArgumentException("SequenceLoss.crossEntropy: logits at step " + t + " are "
                        + logits.get(t).shape() + " but step 0 has " + batch + " rows; every step needs one row per sequence");
            }
        }
        return crossEntropy(logits.size() == 1 ? logits.get(0) : ShapeOps.concatRows(logits), targets, mask, reduction);
    }

    /**
     * The loss of a decoder trained to predict each next token: the mean softmax cross-entropy
     * of {@code logits[t]} predicting {@code tokens[t + 1]}, over the length - 1 predictions of
     * each sequence (padding excluded).
     *
     * @param logits one batch x classes tensor per step, tokens.length - 1 steps
     * @param tokens tokens[t][b], each sequence starting with its start token, padded
     * @param lengths each sequence's token count, start (and end) included, in [2, tokens.length]
     * @return a 1x1 loss
     */
    public static Tensor nextTokenCrossEntropy(List<Tensor> logits, int[][] tokens, int[] lengths) {
        int[] predicted = new int[lengths.length];
        for (int b = 0; b < lengths.length; b++) {
            predicted[b] = lengths[b] - 1;
        }
        return crossEntropy(logits, Arrays.copyOfRange(tokens, 1, tokens.length),
                StepMask.lengths(predicted, tokens.length - 1), Reduction.MEAN);
    }

    /**
     * Softmax cross-entropy over logits of every step stacked step-major, as
     * {@link dev.unroll.rnn.model.LanguageModel#forward} returns them: row t*B + b holds the
     * logits of sequence b at step t, B being {@code mask.batch()}. Summed over the counted
     * steps, or averaged over them; one fused op for all steps.
     *
     * @param stackedLogits (T*B) x classes
     * @param targets targets[t][b], the class of sequence b at step t (ignored where not counted)
     * @param mask which steps count, T x B
     * @param reduction SUM, MEAN, or NONE
     * @return a 1x1 loss, or (T*B) x 1 per-step losses (0 where not counted) for NONE
     */
    public static Tensor crossEntropy(Tensor stackedLogits, int[][] targets, StepMask mask, Reduction reduction) {
        int steps = mask.steps();
        int batch = mask.batch();
        if (stackedLogits.rows() != steps * batch) {
            throw new IllegalArgumentException("SequenceLoss.crossEntropy: stacked logits " + stackedLogits.shape()
                    + " have " + stackedLogits.rows() + " rows but the mask covers " + steps + " steps of " + batch
                    + " sequences (" + steps * batch + " rows, step-major)");
        }
        checkCounts("SequenceLoss.crossEntropy", mask);
        if (targets.length != steps) {
            throw new IllegalArgumentException("SequenceLoss.crossEntropy: " + targets.length + " target steps for "
                    + steps + " steps of logits");
        }
        double divisor = divisor(reduction, mask.count());
        int[] counted = new int[steps * batch];
        for (int t = 0; t < steps; t++) {
            if (targets[t].length != batch) {
                throw new IllegalArgumentException("SequenceLoss.crossEntropy: step " + t + " has " + targets[t].length
                        + " targets for " + batch + " sequences");
            }
            for (int b = 0; b < batch; b++) {
                counted[t * batch + b] = mask.counts(t, b) ? targets[t][b] : LossOps.DEFAULT_IGNORE_INDEX;
            }
        }
        Tensor total = LossOps.softmaxCrossEntropy(stackedLogits, counted, reduction == Reduction.NONE ? reduction
                : Reduction.SUM);
        return divisor == 1.0 ? total : total.scale(1.0 / divisor);
    }

    /**
     * Squared error summed over the counted steps, or averaged over them and the features.
     *
     * @param outputs one batch x features tensor per step
     * @param targets one batch x features tensor per step
     * @param mask which steps count
     * @param reduction SUM, MEAN, or NONE
     * @return a 1x1 loss, or (T*B) x features squared errors (0 where not counted) for NONE
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
        List<Tensor> perStep = new ArrayList<>();
        for (int t = 0; t < outputs.size(); t++) {
            double[] keep = new double[batch];
            boolean any = false;
            boolean all = true;
            for (int b = 0; b < batch; b++) {
                keep[b] = mask.counts(t, b) ? 1 : 0;
                any |= keep[b] == 1;
                all &= keep[b] == 1;
            }
            if (!any && reduction != Reduction.NONE) {
                continue;
            }
            Tensor out = outputs.get(t);
            Tensor target = targets.get(t);
            if (!all) {
                Tensor column = new Tensor(new DMatrixRMaj(batch, 1, true, keep));
                out = ElementwiseOps.maskMul(out, column);
                target = ElementwiseOps.maskMul(target, column);
            }
            if (reduction == Reduction.NONE) {
                perStep.add(LossOps.mse(out, target, Reduction.NONE));
                continue;
            }
            Tensor step = LossOps.mse(out, target, Reduction.SUM);
            total = total == null ? step : total.add(step);
        }
        if (reduction == Reduction.NONE) {
            return perStep.size() == 1 ? perStep.get(0) : ShapeOps.concatRows(perStep);
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
     * Mean squared error between a final hidden state and desired final activities: the mean
     * over the batch x hidden elements of (h - target)^2. It targets h only; for an LSTM's cell
     * state as well use {@link #finalState(State, State)}.
     *
     * @param state the final state (e.g. {@link dev.unroll.rnn.SequenceOutput#topState()})
     * @param target the desired h, batch x hidden
     * @return a 1x1 loss
     */
    public static Tensor finalState(State state, Tensor target) {
        return finalState(state, State.of(target));
    }

    /**
     * Mean squared error between a final state and a desired one, averaged over every element
     * of the parts the target has: h alone for a target made by {@code State.of(h)}, h and the
     * LSTM cell state c together for {@code State.of(h, c)} (the sum of both squared errors over
     * 2 x batch x hidden), any named parts of a cell's state likewise.
     *
     * @param state the final state
     * @param target the desired values of some or all of the state's parts, each of its part's shape
     * @return a 1x1 loss
     */
    public static Tensor finalState(State state, State target) {
        Tensor sum = null;
        int count = 0;
        for (int i = 0; i < target.size(); i++) {
            String name = target.names().get(i);
            if (!state.has(name)) {
                throw new IllegalArgumentException("SequenceLoss.finalState: the target has a part " + name + " but the "
                        + "state has only " + state.names() + "; give a target of those parts only");
            }
            Tensor part = state.part(name);
            Tensor squared = LossOps.mse(part, target.part(i), Reduction.SUM);
            sum = sum == null ? squared : sum.add(squared);
            count += part.size();
        }
        return sum.scale(1.0 / count);
    }
}
