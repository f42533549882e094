package dev.unroll.rnn.model;

import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.init.Init;
import dev.unroll.nn.layers.Dropout;
import dev.unroll.nn.layers.Embedding;
import dev.unroll.nn.layers.Linear;
import dev.unroll.rnn.CellFactory;
import dev.unroll.rnn.LossAndState;
import dev.unroll.rnn.SequenceOutput;
import dev.unroll.rnn.State;
import dev.unroll.rnn.TokenModel;
import dev.unroll.rnn.cell.RnnCell;
import dev.unroll.rnn.layer.Gru;
import dev.unroll.rnn.layer.Lstm;
import dev.unroll.rnn.layer.RecurrentLayer;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.layer.Rnn;
import java.util.List;

/**
 * A next-token model: tokens, one-hot or embedded, through a recurrent layer to a linear head
 * giving the logits of the next token, as in min-char-rnn and char-rnn. Parameters are named
 * {@code embedding.weight} (when embedded), {@code rnn.<PyTorch names>}, {@code head.weight},
 * {@code head.bias}. It is a {@link TokenModel}, so a sampler can generate from it.
 *
 * <p>A {@linkplain #tied tied} model, as PyTorch's {@code word_language_model} with
 * {@code --tied} ({@code decoder.weight = encoder.weight}), has no output weight of its own: the
 * head multiplies by the embedding's table, one {@link Parameter} used twice, whose gradient is
 * the sum of both uses; it also applies dropout ({@code drop}) to the embedded input and to the
 * recurrent output. A checkpoint stores the shared table once, as {@code embedding.weight}, and
 * loading it into a tied model fills both uses.
 */
public class LanguageModel extends Module implements TokenModel {

    private final int vocabulary;
    private final Embedding embedding;
    private final RecurrentLayer rnn;
    private final Linear head;
    private final Dropout drop;

    /**
     * A model over one-hot tokens (no embedding) when {@code embedding} is null.
     *
     * @param vocabulary the number of tokens
     * @param embedding the embedding (vocabulary x rnn input size), or {@code null} for one-hot input
     * @param rnn the recurrent layer (unidirectional)
     * @param seed the head's initialisation seed
     */
    public LanguageModel(int vocabulary, Embedding embedding, RecurrentLayer rnn, long seed) {
        this(vocabulary, embedding, checked(vocabulary, embedding, rnn), null, null, seed);
    }

    /** The model with {@code head}, or a new head from {@code seed} when it is null, and optional dropout. */
    private LanguageModel(int vocabulary, Embedding embedding, RecurrentLayer rnn, Linear head, Dropout drop, long seed) {
        this.vocabulary = vocabulary;
        this.embedding = embedding == null ? null : registerModule("embedding", embedding);
        this.rnn = registerModule("rnn", rnn);
        this.head = registerModule("head", head != null ? head : new Linear(rnn.outputSize(), vocabulary, seed));
        this.drop = drop == null ? null : registerModule("drop", drop);
    }

    /** Refuses a layer that reads the future or does not read what the embedding (or one-hot input) gives. */
    private static RecurrentLayer checked(int vocabulary, Embedding embedding, RecurrentLayer rnn) {
        if (rnn.options().isBidirectional()) {
            throw new IllegalArgumentException("LanguageModel: a next-token model cannot read the future; "
                    + "use a unidirectional layer");
        }
        int expectedInput = embedding == null ? vocabulary : embedding.weight().cols();
        if (rnn.inputSize() != expectedInput || (embedding != null && embedding.weight().rows() != vocabulary)) {
            throw new IllegalArgumentException("LanguageModel: the layer reads " + rnn.inputSize() + " features but "
                    + (embedding == null ? "one-hot tokens have " : "the embedding gives ") + expectedInput);
        }
        return rnn;
    }

    /**
     * A model whose output layer is tied to its input embedding, as PyTorch's
     * {@code decoder.weight = encoder.weight} (Press and Wolf 2017; Inan et al. 2017): the logits
     * are h E^T + b, with E the embedding's vocabulary x size table itself (not a copy) and b a
     * bias of its own, starting at zero. Dropout with probability {@code dropout} applies, in
     * training, to the embedded input and to the layer's output before the head, as in PyTorch's
     * {@code word_language_model}; set dropout between stacked layers in the layer's
     * {@link RecurrentOptions#dropout(double)}.
     *
     * @param embedding the vocabulary x size table, shared by the input and the output
     * @param rnn a unidirectional layer reading size features whose output has size features too
     *     (the last layer's hidden size, or an LSTM's projection size)
     * @param dropout drop probability in [0, 1); 0 for none
     * @param seed the dropout masks' seed
     * @return the tied model
     * @throws IllegalArgumentException naming both sizes and the fix, when the layer's output
     *     size differs from the embedding's
     */
    public static LanguageModel tied(Embedding embedding, RecurrentLayer rnn, double dropout, long seed) {
        int vocabulary = embedding.weight().rows();
        int size = embedding.weight().cols();
        checked(vocabulary, embedding, rnn);
        if (rnn.outputSize() != size) {
            throw new IllegalArgumentException("LanguageModel.tied: the recurrent layer outputs " + rnn.outputSize()
                    + " features but the embedding has " + size + " columns; the tied head multiplies the one by the "
                    + "other, so make the last layer's hidden size " + size + ", or project an LSTM's output to " + size
                    + " (RecurrentOptions.projection(" + size + "))");
        }
        Linear head = new Linear(embedding.weight(), Parameter.vector(Tensor.zeros(1, vocabulary)));
        return new LanguageModel(vocabulary, embedding, rnn, head, new Dropout(dropout, seed), seed);
    }

    /**
     * PyTorch's {@code word_language_model} model with {@code --tied}: an embedding initialised
     * uniform in [-0.1, 0.1], a stacked LSTM of {@code size} units per layer with dropout between
     * the layers, dropout on its input and output, and the head tied to the embedding (see
     * {@link #tied}).
     *
     * @param vocabulary the number of tokens
     * @param size the embedding width, which is also every layer's hidden size
     * @param layers stacked layers
     * @param dropout drop probability in [0, 1), everywhere PyTorch's example applies it
     * @param seed initialisation and dropout seed
     * @return the tied model
     */
    public static LanguageModel tiedLstm(int vocabulary, int size, int layers, double dropout, long seed) {
        Embedding embedding = new Embedding(vocabulary, size, seed);
        Init.uniform(embedding.weight(), -0.1, 0.1, Randomness.seeded(seed));
        Lstm lstm = new Lstm(size, size, RecurrentOptions.defaults().layers(layers).dropout(dropout), seed + 1);
        return tied(embedding, lstm, dropout, seed + 2);
    }

    /**
     * A vanilla language model: one-hot characters, a tanh RNN with PyTorch's two biases
     * ({@code bias_ih}, {@code bias_hh}), a linear head. {@link #minCharRnn} has one bias.
     *
     * @param vocabulary the number of characters
     * @param hidden hidden units
     * @param seed initialisation seed
     * @return the model
     */
    public static LanguageModel vanilla(int vocabulary, int hidden, long seed) {
        return new LanguageModel(vocabulary, null,
                new Rnn(vocabulary, hidden, RnnCell.Activation.TANH, RecurrentOptions.defaults(), seed), seed + 1);
    }

    /**
     * min-char-rnn's model: one-hot characters, a tanh RNN with one hidden bias (Karpathy's
     * {@code bh}, stored as {@code rnn.bias_ih_l0}; the recurrent product has none), a linear
     * head; h' = tanh(x W_xh^T + b_h + h W_hh^T), y = h W_hy^T + b_y.
     *
     * @param vocabulary the number of characters
     * @param hidden hidden units
     * @param seed initialisation seed
     * @return the model
     */
    public static LanguageModel minCharRnn(int vocabulary, int hidden, long seed) {
        CellFactory oneBias = (in, rng) -> new RnnCell(in, hidden, RnnCell.Activation.TANH, true, false, rng);
        return new LanguageModel(vocabulary, null, new RecurrentLayer(vocabulary, oneBias, RecurrentOptions.defaults(),
                seed), seed + 1);
    }

    /**
     * char-rnn's model: an embedding, a stacked LSTM, a linear head.
     *
     * @param vocabulary the number of characters
     * @param embeddingSize embedding width
     * @param hidden hidden units per layer
     * @param layers stacked layers
     * @param seed initialisation seed
     * @return the model
     */
    public static LanguageModel lstm(int vocabulary, int embeddingSize, int hidden, int layers, long seed) {
        return new LanguageModel(vocabulary, new Embedding(vocabulary, embeddingSize, seed),
                new Lstm(embeddingSize, hidden, RecurrentOptions.defaults().layers(layers), seed + 1), seed + 2);
    }

    /**
     * An embedding, a stacked GRU, a linear head.
     *
     * @param vocabulary the number of tokens
     * @param embeddingSize embedding width
     * @param hidden hidden units per layer
     * @param layers stacked layers
     * @param seed initialisation seed
     * @return the model
     */
    public static LanguageModel gru(int vocabulary, int embeddingSize, int hidden, int layers, long seed) {
        return new LanguageModel(vocabulary, new Embedding(vocabulary, embeddingSize, seed),
                new Gru(embeddingSize, hidden, RecurrentOptions.defaults().layers(layers), seed + 1), seed + 2);
    }

    /**
     * The logits of the next token at every step, for all steps at once.
     *
     * @param tokens tokens[t][b], the input token of sequence b at step t
     * @param initial the state to start from, or {@code null} for the layer's default
     * @return (T*B) x vocabulary logits, step-major (row t*B + b), and the final state
     */
    public Output forward(int[][] tokens, List<State> initial) {
        if (embedding == null) {
            for (int[] step : tokens) {
                checkOneHot(step);
            }
        }
        SequenceOutput out = embedding == null ? rnn.forwardOneHot(tokens, initial, null)
                : readsTableDirectly() ? rnn.forwardEmbedded(embedding.weight(), checkedIds(tokens), initial, null)
                : rnn.forward(embedded(tokens), initial, null);
        List<Tensor> hs = out.outputs();
        Tensor stacked = hs.size() == 1 ? hs.get(0) : ShapeOps.concatRows(hs);
        return new Output(head.forward(dropped(stacked)), out.finalStates());
    }

    /**
     * Whether the layer may read the embedding's table itself ({@link RecurrentLayer#forwardEmbedded},
     * which projects the table once instead of every looked-up row): only when nothing happens
     * between the lookup and the layer, i.e. no padding row to keep from its gradient and no
     * dropout on the embedded input.
     */
    private boolean readsTableDirectly() {
        return embedding.paddingIndex() == Embedding.NO_PADDING
                && (drop == null || !drop.isTraining() || drop.probability() == 0);
    }

    private int[][] checkedIds(int[][] tokens) {
        for (int[] step : tokens) {
            embedding.checkIds(step);
        }
        return tokens;
    }

    private List<Tensor> embedded(int[][] tokens) {
        Tensor[] steps = new Tensor[tokens.length];
        for (int t = 0; t < tokens.length; t++) {
            steps[t] = dropped(embedding.forward(tokens[t]));
        }
        return List.of(steps);
    }

    /** The input through the model's dropout, when it has one (in training; unchanged in evaluation). */
    private Tensor dropped(Tensor x) {
        return drop == null ? x : drop.forward(x);
    }

    /**
     * The cross-entropy of predicting {@code targets} from {@code inputs}, over every step.
     *
     * @param inputs inputs[t][b]
     * @param targets targets[t][b], usually the inputs shifted by one
     * @param initial the state to start from, or {@code null}
     * @param reduction {@link Reduction#SUM} (min-char-rnn) or {@link Reduction#MEAN} over all
     *     steps and sequences (char-rnn)
     * @return the loss and the final state (to carry into the next chunk, detached)
     */
    public LossAndState loss(int[][] inputs, int[][] targets, List<State> initial, Reduction reduction) {
        if (targets.length != inputs.length) {
            throw new IllegalArgumentException("LanguageModel.loss: " + targets.length + " target steps for "
                    + inputs.length + " input steps");
        }
        Output out = forward(inputs, initial);
        int batch = inputs[0].length;
        int[] flat = new int[targets.length * batch];
        for (int t = 0; t < targets.length; t++) {
            if (targets[t].length != batch) {
                throw new IllegalArgumentException("LanguageModel.loss: step " + t + " has " + targets[t].length
                        + " targets for " + batch + " sequences");
            }
            System.arraycopy(targets[t], 0, flat, t * batch, batch);
        }
        return new LossAndState(LossOps.softmaxCrossEntropy(out.logits(), flat, reduction), out.finalState());
    }

    @Override
    public int vocabulary() {
        return vocabulary;
    }

    @Override
    public List<State> initialState(int batch) {
        return rnn.initialState(batch);
    }

    @Override
    public Step step(int[] tokens, List<State> state) {
        if (embedding == null) {
            checkOneHot(tokens);
        }
        Tensor x = embedding == null ? ShapeOps.oneHot(tokens, vocabulary).to(dtype()) : dropped(embedding.forward(tokens));
        List<State> next = rnn.step(x, state);
        return new Step(head.forward(dropped(next.get(next.size() - 1).h())), next);
    }

    /** Refuses a token id outside the vocabulary, naming it (the embedding checks its own ids). */
    private void checkOneHot(int[] tokens) {
        for (int token : tokens) {
            if (token < 0 || token >= vocabulary) {
                throw new IllegalArgumentException("LanguageModel: token id " + token + " is outside the vocabulary of "
                        + vocabulary + " tokens (ids 0 to " + (vocabulary - 1) + "); check how the ids were made");
            }
        }
    }

    /** @return the recurrent layer */
    public RecurrentLayer rnn() {
        return rnn;
    }

    /** @return whether the head's weight is the embedding's table (see {@link #tied}) */
    public boolean isTied() {
        return embedding != null && head.weight() == embedding.weight();
    }

    /**
     * Logits for every step and the final state.
     *
     * @param logits (T*B) x vocabulary, row t*B + b for sequence b at step t
     * @param finalState the state after the last step, one per layer
     */
    public record Output(Tensor logits, List<State> finalState) {
    }
}
