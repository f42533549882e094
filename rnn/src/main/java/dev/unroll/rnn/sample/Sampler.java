package dev.unroll.rnn.sample;

import dev.unroll.autograd.Tape;
import dev.unroll.rnn.State;
import dev.unroll.rnn.TokenModel;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Generates tokens from a {@link TokenModel}, one step at a time with the state carried, each
 * token chosen by a {@link TokenChooser} (argmax, temperature, top-k). Priming feeds a prefix
 * first; generation stops at an end token or a maximum length. Sampling never records on a tape.
 */
public final class Sampler {

    /** Pass as end token when generation should only stop at the maximum length. */
    public static final int NO_END = -1;

    private final TokenModel model;
    private final TokenChooser chooser;

    /**
     * @param model the model to sample from
     * @param chooser the rule that picks each token
     */
    public Sampler(TokenModel model, TokenChooser chooser) {
        this.model = model;
        this.chooser = chooser;
    }

    /**
     * @param model the model
     * @return a sampler that always picks the most likely token
     */
    public static Sampler argmax(TokenModel model) {
        return new Sampler(model, TokenChooser.argmax());
    }

    /**
     * @param model the model
     * @param temperature positive
     * @param rng the generator
     * @return a sampler drawing from softmax(logits / temperature)
     */
    public static Sampler temperature(TokenModel model, double temperature, RandomGenerator rng) {
        return new Sampler(model, TokenChooser.temperature(temperature, rng));
    }

    /**
     * @param model the model
     * @param k how many tokens to keep
     * @param temperature positive
     * @param rng the generator
     * @return a sampler drawing from the k most likely tokens
     */
    public static Sampler topK(TokenModel model, int k, double temperature, RandomGenerator rng) {
        return new Sampler(model, TokenChooser.topK(k, temperature, rng));
    }

    /**
     * Feeds a prefix through the model (priming its state) and returns a stepper positioned to
     * produce the token that follows it.
     *
     * @param prefix at least one token, e.g. a start token or a priming text
     * @return the stepper
     */
    public Stepper start(int... prefix) {
        return startFrom(null, prefix);
    }

    /**
     * Like {@link #start(int...)} but continuing from a given state (e.g. the hidden state a
     * training loop carries, as min-char-rnn samples from it).
     *
     * @param state the state to start from, or {@code null} for the model's initial state
     * @param prefix at least one token
     * @return the stepper
     */
    public Stepper startFrom(List<State> state, int... prefix) {
        if (prefix.length == 0) {
            throw new IllegalArgumentException("Sampler.start: give at least one token to condition on "
                    + "(a start token or a priming text)");
        }
        try (Tape.Paused paused = Tape.pause()) {
            List<State> current = state == null ? model.initialState(1) : state;
            TokenModel.Step step = null;
            for (int token : prefix) {
                step = model.step(new int[] {token}, current);
                current = step.state();
            }
            return new Stepper(step);
        }
    }

    /**
     * Generates up to {@code maxLength} tokens after a prefix, stopping after the end token.
     *
     * @param prefix the conditioning tokens (not included in the result)
     * @param maxLength the most tokens to generate
     * @param endToken the token that ends generation (included in the result), or {@link #NO_END}
     * @return the generated tokens
     */
    public int[] generate(int[] prefix, int maxLength, int endToken) {
        return generate(start(prefix), maxLength, endToken);
    }

    /**
     * Generates up to {@code maxLength} tokens from a stepper, stopping after the end token.
     *
     * @param stepper where to continue from (see {@link #startFrom})
     * @param maxLength the most tokens to generate, 0 or more
     * @param endToken the token that ends generation (included in the result), or {@link #NO_END}
     * @return the generated tokens
     * @throws IllegalArgumentException if maxLength is negative
     */
    public int[] generate(Stepper stepper, int maxLength, int endToken) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("Sampler.generate: maxLength " + maxLength + " is negative; pass 0 or more");
        }
        int[] out = new int[maxLength];
        int n = 0;
        while (n < maxLength) {
            out[n] = stepper.next();
            if (out[n++] == endToken) {
                break;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Produces one token per call, feeding each back into the model. */
    public final class Stepper {

        private TokenModel.Step current;

        private Stepper(TokenModel.Step current) {
            this.current = current;
        }

        /** @return the next token; the model's state advances past it */
        public int next() {
            int token = chooser.choose(current.logits().toArray()[0]);
            try (Tape.Paused paused = Tape.pause()) {
                current = model.step(new int[] {token}, current.state());
            }
            return token;
        }

        /** @return the distribution the next token is drawn from */
        public double[] probabilities() {
            return chooser.distribution(current.logits().toArray()[0]);
        }

        /** @return the state after the tokens produced so far */
        public List<State> state() {
            return current.state();
        }
    }
}
