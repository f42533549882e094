package dev.unroll.samples.programs;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.rnn.LossAndState;
import dev.unroll.rnn.State;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.rnn.tbptt.ParallelStreams;
import java.util.List;

/** The validation loss of a language model over parallel streams, for char-lstm, custom-cell and word-lm. */
final class StreamValidation {

    private StreamValidation() {
    }

    /**
     * Mean loss per token over the first {@code end} steps of every stream, from their start, in
     * chunks of {@code steps} (the last may be shorter) with the state carried from chunk to
     * chunk, without recording a tape and with dropout off (the model's mode is restored after).
     *
     * @param model the model
     * @param streams the validation streams
     * @param steps steps per chunk
     * @param end how many steps of each stream to read, at most {@code streams.length()}
     * @return the mean cross-entropy, nats per token
     */
    static double meanLoss(LanguageModel model, ParallelStreams streams, int steps, int end) {
        boolean training = model.isTraining();
        model.eval();
        try (Tape.Paused paused = Tape.pause()) {
            List<State> state = model.initialState(streams.batch());
            double sum = 0;
            for (int from = 0; from < end; from += steps) {
                int to = Math.min(end, from + steps);
                LossAndState r = model.loss(streams.inputs(from, to), streams.targets(from, to), state, Reduction.SUM);
                sum += r.loss().item();
                state = r.finalState();
            }
            return sum / ((double) end * streams.batch());
        } finally {
            model.train(training);
        }
    }
}
