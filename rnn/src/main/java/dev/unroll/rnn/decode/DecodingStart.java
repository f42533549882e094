package dev.unroll.rnn.decode;

import dev.unroll.rnn.State;
import dev.unroll.rnn.TokenModel;
import java.util.List;

/**
 * Where a decoder starts: a token model over some rows, the state of every row, and the token
 * every row reads first (a start token, or a prompt's last token).
 *
 * @param model steps all rows at once; row r of its logits and state must depend only on row r
 *     of its input token and state
 * @param state the state of every layer, one row per decoded row
 * @param tokens the first token of every row
 */
public record DecodingStart(TokenModel model, List<State> state, int[] tokens) {

    /**
     * Checks that the state and the tokens have the same rows.
     *
     * @param model the model
     * @param state the state
     * @param tokens the first tokens
     */
    public DecodingStart {
        for (State s : state) {
            if (s.batch() != tokens.length) {
                throw new IllegalArgumentException("DecodingStart: a state of " + s.batch() + " rows for " + tokens.length
                        + " first tokens; give one state row per token");
            }
        }
    }
}
