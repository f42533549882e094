package dev.unroll.rnn.decode;

import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Tape;
import dev.unroll.rnn.State;
import dev.unroll.rnn.TokenModel;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of sequences a decoder can continue, several hypotheses per sequence: given how many
 * rows each sequence gets, it returns the {@link DecodingStart} of {@code sequences * copies}
 * rows, row {@code b * copies + j} reading sequence b's context (its prompt, source, features or
 * conditioning vector). Any {@link TokenModel} with prompts ({@link #prompted}), and the
 * encoder-decoder, attention and conditioned models ({@code decoding(...)}) give one.
 */
@FunctionalInterface
public interface Decodable {

    /**
     * @param copies rows per sequence, positive
     * @return the start of those rows
     */
    DecodingStart start(int copies);

    /**
     * Any token model continuing prompts: every prompt but its last token is fed first (all
     * prompts in one batch, each row advancing only while it has tokens left), and the last token
     * is what decoding reads first.
     *
     * @param model the model (it must start any batch size, as {@link TokenModel#initialState} says)
     * @param prompts one prompt per sequence, each of at least one token (a start token, or a text)
     * @return the decodable prompts
     */
    static Decodable prompted(TokenModel model, int[]... prompts) {
        int longest = 0;
        for (int b = 0; b < prompts.length; b++) {
            if (prompts[b].length == 0) {
                throw new IllegalArgumentException("Decodable.prompted: prompt " + b + " is empty; give at least one "
                        + "token to condition on (a start token or a priming text)");
            }
            longest = Math.max(longest, prompts[b].length);
        }
        if (prompts.length == 0) {
            throw new IllegalArgumentException("Decodable.prompted: no prompts; give one per sequence to decode");
        }
        int steps = longest - 1;
        return copies -> {
            try (Tape.Paused paused = Tape.pause()) {
                List<State> state = model.initialState(prompts.length);
                int[] last = new int[prompts.length];
                for (int t = 0; t < steps; t++) {
                    int[] tokens = new int[prompts.length];
                    boolean[] advance = new boolean[prompts.length];
                    for (int b = 0; b < prompts.length; b++) {
                        advance[b] = t < prompts[b].length - 1;
                        tokens[b] = prompts[b][advance[b] ? t : 0];
                    }
                    state = advanced(state, model.step(tokens, state).state(), advance);
                }
                for (int b = 0; b < prompts.length; b++) {
                    last[b] = prompts[b][prompts[b].length - 1];
                }
                int[] rows = StateRows.repeated(prompts.length, copies);
                return new DecodingStart(model, StateRows.gather(state, rows), StateRows.gather(last, rows));
            }
        };
    }

    /** Every part of every layer: the stepped row where advance says so, else the old row. */
    private static List<State> advanced(List<State> old, List<State> stepped, boolean[] advance) {
        List<State> out = new ArrayList<>(old.size());
        for (int l = 0; l < old.size(); l++) {
            State before = old.get(l);
            out.add(stepped.get(l).map((i, part) -> ShapeOps.selectRows(advance, part, before.part(i))));
        }
        return out;
    }
}
