package dev.unroll.rnn.tbptt;

import dev.unroll.autograd.Tape;
import dev.unroll.rnn.LossAndState;
import dev.unroll.rnn.State;
import java.util.ArrayList;
import java.util.List;

/**
 * Truncated backpropagation through time: walks a long sequence in chunks of k steps; each
 * chunk is recorded on a fresh tape and backpropagated, its final state is carried into the next
 * chunk detached, and the tape is closed before the caller's update runs (step the optimizer
 * there), so memory stays that of one chunk however long the sequence.
 *
 * <p>The first chunk starts from the initial state as given. Pass {@code null} to let the model
 * use its own default initial state: the chunk then computes it on its tape, so a learned
 * initial state (h0, c0) receives its gradient, and with k equal to the whole length the
 * gradients are exactly those of full BPTT. (A state computed from learned parameters before
 * {@code run}, outside the chunk's tape, carries no history and gives them no gradient.)
 *
 * <pre>{@code
 * TruncatedBptt.run(data.length(), 25, null,
 *         (from, to, state) -> model.loss(data.inputs(from, to), data.targets(from, to), state, Reduction.MEAN),
 *         (chunk, loss, tapeSize) -> { adam.step(); model.zeroGrad(); });
 * }</pre>
 */
public final class TruncatedBptt {

    /** Computes the loss of one chunk from the carried state. */
    @FunctionalInterface
    public interface ChunkLoss {
        /**
         * Called with the chunk's tape open.
         *
         * @param from first step of the chunk (inclusive)
         * @param to last step (exclusive)
         * @param state at the first chunk the initial state given to {@code run} ({@code null}
         *     for the model's default, to compute on this chunk's tape); afterwards the previous
         *     chunk's final state as detached leaves
         * @return the chunk's loss and final state
         */
        LossAndState apply(int from, int to, List<State> state);
    }

    /**
     * Called after each chunk's backward, while the gradients are there, with no tape recording:
     * the chunk's tape is already closed and any enclosing tape is paused, so the update may run
     * tensor ops (compute a validation loss, sample) without building a graph.
     */
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
     * @param initial the state to start from, or {@code null} for the model's default initial
     *     state computed on the first chunk's tape (needed for a learned initial state to get its
     *     gradient); parts with history from another tape are detached, leaves are used as given
     * @param chunkLoss computes each chunk's loss
     * @param update called after each chunk's backward, outside any recording (zero gradients,
     *     clip, step there)
     * @return the final state, detached
     */
    public static List<State> run(int length, int chunkLength, List<State> initial, ChunkLoss chunkLoss,
            Update update) {
        if (length < 1 || chunkLength < 1) {
            throw new IllegalArgumentException("TruncatedBptt: length " + length + " and chunk length " + chunkLength
                    + " must both be at least 1");
        }
        List<State> state = initial == null ? null : withoutForeignHistory(initial);
        int chunk = 0;
        for (int from = 0; from < length; from += chunkLength) {
            int to = Math.min(length, from + chunkLength);
            Chunk done;
            try (Tape tape = Tape.record()) {
                done = chunk(tape, from, to, state, chunkLoss);
            }
            state = done.finalState();
            try (Tape.Paused paused = Tape.pause()) {
                update.afterBackward(chunk++, done.loss(), done.tapeSize());
            }
        }
        return state;
    }

    /**
     * One chunk of {@link #run} on a tape the caller keeps open (a training loop that reuses one
     * tape's storage from update to update): records the chunk's loss from the carried state,
     * backpropagates it, detaches the final state and clears the tape, leaving the gradients for
     * the caller's update.
     *
     * @param tape the open tape to record on; cleared before this returns
     * @param from first step of the chunk (inclusive)
     * @param to last step (exclusive)
     * @param state the carried state (detached leaves), or {@code null} for the model's default
     * @param chunkLoss computes the chunk's loss
     * @return the chunk's loss value, how many ops it recorded and its final state, detached
     */
    public static Chunk chunk(Tape tape, int from, int to, List<State> state, ChunkLoss chunkLoss) {
        LossAndState result = chunkLoss.apply(from, to, state);
        tape.backward(result.loss());
        double loss = result.loss().item();
        int tapeSize = tape.size();
        List<State> carried = detach(result.finalState());
        tape.clear();
        return new Chunk(loss, tapeSize, carried);
    }

    /**
     * What one chunk left behind.
     *
     * @param loss the chunk's loss value
     * @param tapeSize how many ops it recorded
     * @param finalState its final state, detached, to carry into the next chunk
     */
    public record Chunk(double loss, int tapeSize, List<State> finalState) {
    }

    private static List<State> detach(List<State> states) {
        List<State> out = new ArrayList<>(states.size());
        for (State s : states) {
            out.add(s.detach());
        }
        return out;
    }

    /** Detaches the parts recorded on some other tape (unusable on the chunk's); keeps leaves. */
    private static List<State> withoutForeignHistory(List<State> states) {
        List<State> out = new ArrayList<>(states.size());
        for (State s : states) {
            out.add(s == null ? null : s.map((i, part) -> part.isLeaf() ? part : part.detach()));
        }
        return out;
    }
}
