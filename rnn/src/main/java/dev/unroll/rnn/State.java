package dev.unroll.rnn;

import dev.unroll.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * What a recurrent cell carries from one timestep to the next: one or more named parts, each
 * batch x width, in the order the cell declares them ({@link RecurrentCell#stateParts()}). The
 * first part is the hidden state h, the cell's output; an LSTM adds its cell state c; a cell of
 * your own may carry any parts. Immutable.
 */
public final class State {

    private static final List<String> H = List.of("h");
    private static final List<String> H_AND_C = List.of("h", "c");

    private final List<String> names;
    private final Tensor[] parts;

    private State(List<String> names, Tensor[] parts) {
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == null) {
                throw new IllegalArgumentException("State: part " + names.get(i) + " is null; give a batch x width tensor "
                        + "for every part (a cell's zeroState(batch) has them all)");
            }
            if (parts[i].rows() != parts[0].rows()) {
                throw new IllegalArgumentException("State: part " + names.get(i) + " is " + parts[i].shape() + " but part "
                        + names.get(0) + " is " + parts[0].shape() + "; every part needs one row per sequence");
            }
        }
        this.names = names;
        this.parts = parts;
    }

    /**
     * A state with only a hidden part h (vanilla RNN, GRU, most cells).
     *
     * @param h the hidden state, batch x width
     * @return the state [h]
     */
    public static State of(Tensor h) {
        return new State(H, new Tensor[] {h});
    }

    /**
     * An LSTM's state: the hidden state h and the cell state c.
     *
     * @param h the hidden state, batch x width
     * @param c the cell state, batch x width (as h, or wider for an LSTM with projection)
     * @return the state [h, c]
     */
    public static State of(Tensor h, Tensor c) {
        return new State(H_AND_C, new Tensor[] {h, c});
    }

    /**
     * A state of any parts.
     *
     * @param names the parts' names in the cell's order (see {@link RecurrentCell#stateNames()})
     * @param parts one batch x width tensor per name
     * @return the state
     */
    public static State of(List<String> names, List<Tensor> parts) {
        if (names.size() != parts.size() || names.isEmpty()) {
            throw new IllegalArgumentException("State: " + names.size() + " names " + names + " for " + parts.size()
                    + " parts; give one tensor per name, at least one");
        }
        for (int i = 1; i < names.size(); i++) {
            if (names.subList(0, i).contains(names.get(i))) {
                throw new IllegalArgumentException("State: the names " + names + " repeat; give every part its own name");
            }
        }
        return new State(List.copyOf(names), parts.toArray(new Tensor[0]));
    }

    /** @return the first part, the hidden state h the cell outputs */
    public Tensor h() {
        return parts[0];
    }

    /**
     * @param index the part's position, from 0
     * @return that part
     */
    public Tensor part(int index) {
        return parts[index];
    }

    /**
     * @param name a part's name, e.g. {@code "c"}
     * @return that part
     * @throws IllegalArgumentException naming the parts there are when the state has no such part
     */
    public Tensor part(String name) {
        int index = names.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("State: no part '" + name + "'; this state has " + names);
        }
        return parts[index];
    }

    /**
     * @param name a part's name
     * @return whether the state has that part
     */
    public boolean has(String name) {
        return names.contains(name);
    }

    /** @return the parts' names, in order */
    public List<String> names() {
        return names;
    }

    /** @return the parts, in order */
    public List<Tensor> parts() {
        return List.of(parts);
    }

    /** @return the number of parts */
    public int size() {
        return parts.length;
    }

    /** @return the batch size (rows of every part) */
    public int batch() {
        return parts[0].rows();
    }

    /**
     * The same state with another first part, e.g. a dropout mask applied to h.
     *
     * @param h the new hidden state, as wide as the old
     * @return the state with h replaced
     */
    public State withH(Tensor h) {
        Tensor[] copy = parts.clone();
        copy[0] = h;
        return new State(names, copy);
    }

    /**
     * The same values with the history cut: what truncated BPTT carries into the next chunk.
     *
     * @return a state of detached leaves sharing these values
     */
    public State detach() {
        Tensor[] detached = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            detached[i] = parts[i].detach();
        }
        return new State(names, detached);
    }

    /**
     * Applies a function to every part, e.g. to select rows of each.
     *
     * @param f maps a part's position and tensor to the new tensor
     * @return the state of the mapped parts
     */
    public State map(PartFunction f) {
        Tensor[] mapped = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            mapped[i] = f.apply(i, parts[i]);
        }
        return new State(names, mapped);
    }

    /** Maps one part of a state. */
    @FunctionalInterface
    public interface PartFunction {
        /**
         * @param index the part's position
         * @param part the part
         * @return its replacement, with the same rows
         */
        Tensor apply(int index, Tensor part);
    }

    /** @return the parts' names and shapes, e.g. {@code [h 2x3, c 2x3]} */
    @Override
    public String toString() {
        List<String> described = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            described.add(names.get(i) + " " + parts[i].shape());
        }
        return described.toString();
    }
}
