package dev.unroll.rnn;

import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.layers.LayerNorm;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Small cells written the way a user writes one, for the tests of the cell contract. */
public final class ToyCells {

    private ToyCells() {
    }

    /**
     * A cell without an input split, with parameters beyond any built-in layout (a vector gain
     * and a LayerNorm submodule): h' = gain * tanh(norm(x W^T + h U^T)).
     */
    public static final class GainCell extends RecurrentCell {
        private final Parameter weight;
        private final Parameter recurrent;
        private final Parameter gain;
        private final LayerNorm norm;

        /**
         * @param inputSize input features
         * @param hidden hidden units
         * @param rng the initialisation generator
         */
        public GainCell(int inputSize, int hidden, RandomGenerator rng) {
            super(inputSize, hidden);
            weight = registerParameter("weight", Parameter.of(Tensor.uniform(hidden, inputSize, -0.7, 0.7, rng)));
            recurrent = registerParameter("recurrent", Parameter.of(Tensor.uniform(hidden, hidden, -0.7, 0.7, rng)));
            gain = registerParameter("gain", Parameter.vector(Tensor.uniform(1, hidden, 0.5, 1.5, rng)));
            norm = registerModule("norm", new LayerNorm(hidden));
        }

        @Override
        public State stepProjected(Tensor input, State state) {
            Tensor pre = MatrixOps.addLinear(MatrixOps.linear(input, weight, null), state.h(), recurrent, null);
            return State.of(norm.forward(pre).tanh().mul(gain));
        }

        /** @return the gain vector */
        public Parameter gain() {
            return gain;
        }
    }

    /**
     * A cell of three named parts: the running mean of x W^T over the steps so far. Its state
     * is [h = tanh(mean), total, steps], so a layer's final state tells how many steps each
     * sequence took.
     */
    public static final class RunningMeanCell extends RecurrentCell {
        private final Parameter weight;

        /**
         * @param inputSize input features
         * @param hidden hidden units
         * @param rng the initialisation generator
         */
        public RunningMeanCell(int inputSize, int hidden, RandomGenerator rng) {
            super(inputSize, List.of(new StatePart("h", hidden), new StatePart("total", hidden), new StatePart("steps", 1)));
            weight = registerParameter("weight", Parameter.of(Tensor.uniform(hidden, inputSize, -1, 1, rng)));
        }

        @Override
        public Tensor projectInput(Tensor inputs) {
            return MatrixOps.linear(inputs, weight, null);
        }

        @Override
        public State stepProjected(Tensor projected, State state) {
            Tensor total = state.part("total").add(projected);
            Tensor steps = state.part("steps").addScalar(1);
            return State.of(stateNames(), List.of(total.div(steps).tanh(), total, steps));
        }
    }

    /** A cell without parameters that adds its input to its state, h' = h + x, to watch masks act. */
    public static final class AccumulatorCell extends RecurrentCell {

        /** @param width the input and state width */
        public AccumulatorCell(int width) {
            super(width, width);
        }

        @Override
        public State stepProjected(Tensor input, State state) {
            return State.of(state.h().add(input));
        }
    }

    /** A cell that declares [h, c] but returns only h: the bug a layer must name. */
    public static final class ForgetfulCell extends RecurrentCell {

        /** @param width the input and state width */
        public ForgetfulCell(int width) {
            super(width, List.of(new StatePart("h", width), new StatePart("c", width)));
        }

        @Override
        public State stepProjected(Tensor input, State state) {
            return State.of(state.h().add(input));
        }
    }

    /**
     * A generator that starts its sequence again on {@link #reset()}, so a layer or cell that
     * draws masks draws the same ones at every evaluation of a gradient check.
     */
    public static final class ReplayedRandom implements RandomGenerator {
        private final long seed;
        private SplittableRandom random;

        /** @param seed the sequence's seed */
        public ReplayedRandom(long seed) {
            this.seed = seed;
            reset();
        }

        /** Starts the sequence again. */
        public void reset() {
            random = new SplittableRandom(seed);
        }

        @Override
        public long nextLong() {
            return random.nextLong();
        }
    }
}
