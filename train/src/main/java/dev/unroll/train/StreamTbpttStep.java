package dev.unroll.train;

import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.rnn.LossAndState;
import dev.unroll.rnn.State;
import dev.unroll.rnn.tbptt.ParallelStreams;
import dev.unroll.rnn.tbptt.TruncatedBptt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A {@link GradientStep} for truncated BPTT over parallel streams, the char-rnn way: iteration n
 * trains chunk {@code n mod chunksPerEpoch} of k steps of every stream, starting from the state the
 * previous chunk ended in (detached, through {@link TruncatedBptt#chunk}); each epoch starts
 * from the initial state. The data position is the iteration number and the carried state is
 * saved with each checkpoint ({@link #carried()}), so a resumed run trains the bits of an
 * uninterrupted one.
 */
public final class StreamTbpttStep implements GradientStep {

    /** The loss of one chunk of the streams. */
    @FunctionalInterface
    public interface ChunkLoss {
        /**
         * @param inputs the chunk's inputs, {@code [step][stream]}
         * @param targets the chunk's targets, {@code [step][stream]}
         * @param state the state carried from the previous chunk, or the initial state
         * @return the chunk's loss and final state
         */
        LossAndState loss(int[][] inputs, int[][] targets, List<State> state);
    }

    private final ParallelStreams streams;
    private final int steps;
    private final int chunksPerEpoch;
    private final IntFunction<List<State>> initialState;
    private final ChunkLoss loss;
    private List<State> carried;

    /**
     * @param streams the training streams
     * @param steps k, the steps per chunk
     * @param initialState the state of a given batch size at the start of an epoch (e.g. {@code model::initialState})
     * @param loss the loss of one chunk
     * @throws IllegalArgumentException if the streams are shorter than one chunk
     */
    public StreamTbpttStep(ParallelStreams streams, int steps, IntFunction<List<State>> initialState, ChunkLoss loss) {
        if (steps < 1 || streams.length() < steps) {
            throw new IllegalArgumentException("StreamTbpttStep: chunks of " + steps + " steps do not fit streams of "
                    + streams.length() + " steps; use fewer steps per chunk, fewer streams or more data");
        }
        this.streams = streams;
        this.steps = steps;
        this.chunksPerEpoch = streams.length() / steps;
        this.initialState = initialState;
        this.loss = loss;
        this.carried = initialState.apply(streams.batch());
    }

    /** Prefix of the carried state's tensors in a checkpoint: {@code tbptt.<layer>.<part name>}. */
    public static final String CARRIED_STATE = "tbptt.";

    /** @return how many chunks make one pass over the streams */
    public int chunksPerEpoch() {
        return chunksPerEpoch;
    }

    @Override
    public Result compute(int iteration, Tape tape) {
        int chunk = iteration % chunksPerEpoch;
        if (chunk == 0) {
            carried = initialState.apply(streams.batch());
        }
        int from = chunk * steps;
        TruncatedBptt.Chunk done = TruncatedBptt.chunk(tape, from, from + steps, carried,
                (a, b, state) -> loss.loss(streams.inputs(a, b), streams.targets(a, b), state));
        carried = done.finalState();
        return new Result(done.loss(), (long) streams.batch() * steps);
    }

    /** @return the state the next chunk starts from, so a resumed run carries it on */
    @Override
    public Map<String, Tensor> carried() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int layer = 0; layer < carried.size(); layer++) {
            State state = carried.get(layer);
            for (int part = 0; part < state.size(); part++) {
                out.put(key(layer, state.names().get(part)), state.part(part));
            }
        }
        return out;
    }

    /**
     * Restores the carried state, when the checkpoint has one (else the next chunk starts fresh).
     *
     * @throws IllegalArgumentException if it is not a state of this model's layers, parts, shapes and precision
     */
    @Override
    public void restore(Map<String, Tensor> saved) {
        if (saved.isEmpty()) {
            return;
        }
        List<State> template = initialState.apply(streams.batch());
        List<State> restored = new ArrayList<>();
        int expected = 0;
        for (int layer = 0; layer < template.size(); layer++) {
            State shape = template.get(layer);
            List<Tensor> parts = new ArrayList<>();
            for (int part = 0; part < shape.size(); part++) {
                String key = key(layer, shape.names().get(part));
                Tensor t = saved.get(key);
                Tensor like = shape.part(part);
                if (t == null || t.rows() != like.rows() || t.cols() != like.cols() || t.dtype() != like.dtype()) {
                    throw new IllegalArgumentException("StreamTbpttStep: the checkpoint's carried state '" + key + "' is "
                            + (t == null ? "missing" : t.rows() + "x" + t.cols() + " " + t.dtype().label())
                            + " where this model carries " + like.rows() + "x" + like.cols() + " " + like.dtype().label()
                            + "; resume with the model and batch the checkpoint was written with");
                }
                parts.add(t);
                expected++;
            }
            restored.add(State.of(shape.names(), parts));
        }
        if (saved.size() != expected) {
            throw new IllegalArgumentException("StreamTbpttStep: the checkpoint carries " + saved.size() + " state tensors "
                    + "where this model carries " + expected + "; resume with the model the checkpoint was written with");
        }
        carried = restored;
    }

    private static String key(int layer, String part) {
        return CARRIED_STATE + layer + "." + part;
    }
}
