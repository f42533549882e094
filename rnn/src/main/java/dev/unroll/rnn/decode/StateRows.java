package dev.unroll.rnn.decode;

import dev.unroll.autograd.ShapeOps;
import dev.unroll.rnn.State;
import java.util.ArrayList;
import java.util.List;

/**
 * Row bookkeeping for decoding several hypotheses per sequence in one batch: row
 * {@code b * copies + j} holds copy j of sequence b.
 */
public final class StateRows {

    private StateRows() {
    }

    /**
     * @param sequences B
     * @param copies rows per sequence, positive
     * @return B * copies row indices, {@code b} repeated {@code copies} times for each b
     */
    public static int[] repeated(int sequences, int copies) {
        if (copies < 1) {
            throw new IllegalArgumentException("StateRows: copies " + copies + " must be at least 1");
        }
        int[] rows = new int[sequences * copies];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = r / copies;
        }
        return rows;
    }

    /**
     * @param states one state per layer
     * @param rows the rows to take, in order (repeats allowed)
     * @return the states of those rows: row i is row {@code rows[i]} of every part of every layer
     */
    public static List<State> gather(List<State> states, int[] rows) {
        List<State> out = new ArrayList<>(states.size());
        for (State s : states) {
            out.add(s.map((i, part) -> ShapeOps.gatherRows(part, rows)));
        }
        return out;
    }

    /**
     * @param values one value per row
     * @param rows the rows to take
     * @return {@code values[rows[i]]} for every i
     */
    public static int[] gather(int[] values, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return out;
    }
}
