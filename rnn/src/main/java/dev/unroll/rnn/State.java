package dev.unroll.rnn;

import dev.unroll.autograd.Tensor;

/**
 * What a recurrent cell carries from one timestep to the next: the hidden state h (batch x
 * hidden) and, for an LSTM, the cell state c (batch x hidden; {@code null} for RNN and GRU).
 *
 * @param h the hidden state, batch x hidden
 * @param c the LSTM cell state, batch x hidden, or {@code null}
 */
public record State(Tensor h, Tensor c) {

    /**
     * A state with only a hidden part (vanilla RNN, GRU).
     *
     * @param h the hidden state
     * @return a state without cell part
     */
    public static State of(Tensor h) {
        return new State(h, null);
    }

    /**
     * The same values with the history cut: what truncated BPTT carries into the next chunk.
     *
     * @return a state of detached leaves sharing these values
     */
    public State detach() {
        return new State(h.detach(), c == null ? null : c.detach());
    }

    /** @return the batch size (rows of h) */
    public int batch() {
        return h.rows();
    }
}
