package dev.unroll.rnn.tbptt;

import dev.unroll.autograd.Tape;
import dev.unroll.rnn.LossAndState;
import dev.unroll.rnn.State;
import java.util.ArrayList;
import java.util.List;

/**
 * Truncated backpropagation through time: walks a long sequence in chunks of k steps; each
 * chunk is recorded on a fresh recording, backpropagated, handed to the caller's update (step
 * the optimizer there), and its final state carried into the next chunk detached, so memory
 * stays that of one chunk however long the sequence. With k equal to the whole length it is
 * exactly full BPTT.
 */
public final class TruncatedBptt {

    /** Computes the loss of one chunk from the carried state. */
    @FunctionalInterface
    public interface ChunkLoss {
        /**
         * @param from first step of the chunk (inclusive)
         * @param to last step (exclusive)
         * @param state the state carried in (detached leaves)
         * @return the chunk's loss and final state
         */
        LossAndState apply(int from, int to, List<State> state);
    }

    /** Called after each chunk's backward, while the gradients are there. */
    @FunctionalInterface
    public interface Update {
        /**
         * @param chunk the chunk's index, from 0
         * @param loss the chunk's loss value
         * @param tapeSize how many ops the chunk recorded (bounded by the chunk length)
         */
        void afterBackward(int chunk, double loss, int tapeSize);
    }

    private TruncatedBptt() {
    }

    /**
     * Runs the chunks.
     *
     * @param length total steps
     * @param chunkLength k, the steps per chunk (the last chunk may be shorter)
     * @param initial the state to start from
     * @param chunkLoss computes each chunk's loss
     * @param update called after each chunk's backward (zero gradients, clip, step there)
     * @return the final state, detached
     */
    public static List<State> run(int length, int chunkLength, List<State> initial, ChunkLoss chunkLoss,
            Update update) {
        if (length < 1 || chunkLength < 1) {
            throw new IllegalArgumentException("TruncatedBptt: length " + length + " and chunk length " + chunkLength
                    + " must both be at least 1");
        }
        List<State> state = detach(initial);
        int chunk = 0;
        for (int from = 0; from < length; from += chunkLength) {
            int to = Math.min(length, from + chunkLength);
            try (Tape tape = Tape.record()) {
                LossAndState result = chunkLoss.apply(from, to, state);
                tape.backward(result.loss());
                update.afterBackward(chunk++, result.loss().item(), tape.size());
                state = detach(result.finalState());
            }
        }
        return state;
    }

    private static List<State> detach(List<State> states) {
        List<State> out = new ArrayList<>(states.size());
        for (State s : states) {
            out.add(s.detach());
        }
        return out;
    }
}
