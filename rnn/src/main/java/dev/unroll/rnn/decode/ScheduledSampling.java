package dev.unroll.rnn.decode;

import dev.unroll.autograd.Tensor;
import dev.unroll.rnn.State;
import dev.unroll.rnn.TokenModel;
import dev.unroll.rnn.sample.TokenChooser;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Scheduled sampling (Bengio et al. 2015) for a decoder trained with teacher forcing: at every
 * step after the first, each sequence's input is the ground-truth previous token with probability
 * eps_i (the {@linkplain TeacherForcingSchedule teacher-forcing ratio} of training iteration i),
 * else the token the model itself predicted at the previous step, so that training comes to
 * resemble inference, where the decoder reads its own output. A coin is flipped per sequence
 * per step ({@link #flip}), from the seeded generator: same seed, same choices. When every coin
 * says ground truth (always at ratio 1) the decoders run plain teacher forcing.
 *
 * <p>The model's prediction is {@link Prediction#SAMPLED sampled} from its softmax by default,
 * as in the paper ("one sampled from the model itself", figure 1): sampling exposes the decoder
 * to the mistakes it makes at inference with a sampler, and to more than one of them;
 * {@link Prediction#ARGMAX} feeds its most likely token, matching greedy or beam decoding. The
 * choice is not differentiated (as in the paper): gradients flow into every step's logits and,
 * through the recurrent state, into all earlier steps, but not through which token was chosen.
 */
public final class ScheduledSampling {

    /** How the model's own previous token is chosen. */
    public enum Prediction {
        /** Drawn from softmax(logits), as Bengio et al. do. */
        SAMPLED,
        /** The most likely token. */
        ARGMAX
    }

    private final TeacherForcingSchedule schedule;
    private final RandomGenerator rng;
    private final TokenChooser chooser;

    /**
     * @param schedule the teacher-forcing ratio per training iteration
     * @param prediction how the model's own token is chosen
     * @param rng the generator of the coins (and of the sampled predictions)
     */
    public ScheduledSampling(TeacherForcingSchedule schedule, Prediction prediction, RandomGenerator rng) {
        this.schedule = schedule;
        this.rng = rng;
        this.chooser = prediction == Prediction.ARGMAX ? TokenChooser.argmax() : TokenChooser.temperature(1.0, rng);
    }

    /**
     * @param iteration the training iteration
     * @return its teacher-forcing ratio
     */
    public double ratio(long iteration) {
        double ratio = schedule.ratio(iteration);
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("ScheduledSampling: the schedule gave the ratio " + ratio + " at iteration "
                    + iteration + "; a ratio must be in [0, 1]");
        }
        return ratio;
    }

    /**
     * Flips the coins of one training pass, all before the pass (they do not depend on the
     * model), so a decoder can see whether it reads the ground truth everywhere.
     *
     * @param iteration the training iteration, which sets the ratio
     * @param steps the decoder steps; step 0 (reading the start token) always reads the truth
     * @param batch the sequences
     * @return the choices
     */
    public Choices flip(long iteration, int steps, int batch) {
        double ratio = ratio(iteration);
        boolean[][] truth = new boolean[steps][batch];
        boolean all = true;
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                truth[t][b] = t == 0 || rng.nextDouble() < ratio;
                all &= truth[t][b];
            }
        }
        return new Choices(truth, all);
    }

    /** The coins of one training pass: which decoder inputs are the ground truth. */
    public final class Choices {
        private final boolean[][] truth;
        private final boolean allGroundTruth;

        private Choices(boolean[][] truth, boolean allGroundTruth) {
            this.truth = truth;
            this.allGroundTruth = allGroundTruth;
        }

        /**
         * @return whether every input is the ground truth: the pass is plain teacher forcing,
         *     which a decoder then runs as such (bit for bit, and batched where it batches)
         */
        public boolean allGroundTruth() {
            return allGroundTruth;
        }

        /**
         * @param t the step
         * @param b the sequence
         * @return whether sequence b reads the ground truth at step t
         */
        public boolean groundTruth(int t, int b) {
            return truth[t][b];
        }

        /**
         * The inputs of step t: the ground truth where the coin says so, else the model's own
         * choice from its logits of step t - 1.
         *
         * @param t the step, from 1
         * @param groundTruth the true tokens of step t, one per sequence
         * @param previousLogits the model's logits of step t - 1, batch x vocabulary
         * @return the tokens to feed
         */
        public int[] inputs(int t, int[] groundTruth, Tensor previousLogits) {
            double[][] logits = null;
            int[] out = new int[groundTruth.length];
            for (int b = 0; b < groundTruth.length; b++) {
                if (truth[t][b]) {
                    out[b] = groundTruth[b];
                } else {
                    logits = logits == null ? previousLogits.toArray() : logits;
                    out[b] = chooser.choose(logits[b]);
                }
            }
            return out;
        }

        /**
         * Runs a decoder step by step over the teacher-forcing inputs, mixing in its own
         * predictions, recording on the open tape as any forward pass does.
         *
         * @param model the decoder's steps
         * @param start its state before the first step
         * @param inputs inputs[t][b], the ground-truth input tokens, as many steps as were flipped
         * @return the logits of every step, batch x vocabulary each
         */
        public List<Tensor> logits(TokenModel model, List<State> start, int[][] inputs) {
            if (inputs.length != truth.length) {
                throw new IllegalArgumentException("ScheduledSampling: " + inputs.length + " input steps for coins of "
                        + truth.length + " steps; flip one coin per step");
            }
            List<Tensor> logits = new ArrayList<>(inputs.length);
            List<State> state = start;
            for (int t = 0; t < inputs.length; t++) {
                int[] tokens = t == 0 ? inputs[0] : inputs(t, inputs[t], logits.get(t - 1));
                TokenModel.Step step = model.step(tokens, state);
                logits.add(step.logits());
                state = step.state();
            }
            return logits;
        }
    }
}
