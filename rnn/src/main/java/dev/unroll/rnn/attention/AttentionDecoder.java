package dev.unroll.rnn.attention;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.layers.Embedding;
import dev.unroll.nn.layers.Linear;
import dev.unroll.rnn.CellFactory;
import dev.unroll.rnn.RecurrentCell;
import dev.unroll.rnn.State;
import dev.unroll.rnn.StatePart;
import dev.unroll.rnn.TokenModel;
import dev.unroll.rnn.decode.Decodable;
import dev.unroll.rnn.decode.DecodingStart;
import dev.unroll.rnn.decode.ScheduledSampling;
import dev.unroll.rnn.decode.StateRows;
import dev.unroll.rnn.cell.LstmCell;
import dev.unroll.rnn.loss.SequenceLoss;
import dev.unroll.rnn.loss.StepMask;
import dev.unroll.rnn.sample.TokenChooser;
import dev.unroll.autograd.Randomness;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * A recurrent decoder that attends over a set of feature vectors at every step (Show, Attend and
 * Tell; Bahdanau et al.): the image regions of a caption model, or the encoder outputs of a
 * translation model. Its cell is an LSTM, or any cell from a {@link CellFactory}.
 * <pre>
 * s_0      = tanh(W_p mean(features)) for every part p of the state (h0, c0 for the LSTM)
 * ctx_t    = attention(h_{t-1}, features)
 * s_t      = cell([embed(y_{t-1}) ; ctx_t], s_{t-1})
 * logits_t = W_o [h_t ; ctx_t] + b_o
 * </pre>
 * Parameters: {@code embedding.*}, {@code init_<part>.*} ({@code init_h}, {@code init_c}),
 * {@code cell.*}, {@code attention.*}, {@code head.*}. It is trained with teacher forcing
 * ({@link #loss}) or scheduled sampling, and decodes greedily, by sampling ({@link #decode}) or
 * by beam search ({@link #decoding}).
 */
public class AttentionDecoder extends Module {

    private final Embedding embedding;
    private final List<Linear> initial = new ArrayList<>();
    private final RecurrentCell cell;
    private final Attention attention;
    private final Linear head;
    private final int featureWidth;

    /**
     * A decoder whose cell is an LSTM with its forget-gate bias at 1.
     *
     * @param vocabulary output tokens
     * @param embeddingSize token embedding width
     * @param featureWidth the width of each feature vector
     * @param hidden LSTM hidden units
     * @param attention how to attend (its query width must be {@code hidden}, key width {@code featureWidth})
     * @param seed initialisation seed
     */
    public AttentionDecoder(int vocabulary, int embeddingSize, int featureWidth, int hidden, Attention attention,
            long seed) {
        this(vocabulary, embeddingSize, featureWidth, (in, rng) -> new LstmCell(in, hidden, 1.0, rng), attention, seed);
    }

    /**
     * A decoder of any cell.
     *
     * @param vocabulary output tokens
     * @param embeddingSize token embedding width
     * @param featureWidth the width of each feature vector
     * @param cells builds the cell, which reads embeddingSize + featureWidth features
     * @param attention how to attend (its query width must be the cell's output width, key width {@code featureWidth})
     * @param seed initialisation seed
     */
    public AttentionDecoder(int vocabulary, int embeddingSize, int featureWidth, CellFactory cells, Attention attention,
            long seed) {
        RandomGenerator rng = Randomness.seeded(seed);
        this.featureWidth = featureWidth;
        embedding = registerModule("embedding", new Embedding(vocabulary, embeddingSize, Embedding.NO_PADDING, rng));
        RecurrentCell made = cells.create(embeddingSize + featureWidth, rng);
        if (made.inputSize() != embeddingSize + featureWidth) {
            throw new IllegalArgumentException("AttentionDecoder: the cell factory built " + made.getClass().getSimpleName()
                    + " reading " + made.inputSize() + " features, but the cell reads the embedding and the context, "
                    + (embeddingSize + featureWidth) + "; build it with the input size the factory is given");
        }
        checkWidths(attention, made.outputSize(), featureWidth);
        for (StatePart part : made.stateParts()) {
            initial.add(registerModule("init_" + part.name(), new Linear(featureWidth, part.width(), true, rng)));
        }
        cell = registerModule("cell", made);
        this.attention = registerModule("attention", attention);
        head = registerModule("head", new Linear(made.outputSize() + featureWidth, vocabulary, true, rng));
    }

    private static void checkWidths(Attention attention, int hidden, int featureWidth) {
        if (attention.kind() != Attention.Kind.ADDITIVE) {
            if (hidden != featureWidth) {
                throw new IllegalArgumentException("AttentionDecoder: " + attention.kind() + " attention compares the "
                        + hidden + "-wide hidden state with " + featureWidth + "-wide features; make hidden equal "
                        + "featureWidth or use Attention.additive(" + hidden + ", " + featureWidth + ", width, seed)");
            }
        } else if (attention.queryWidth() != hidden || attention.keyWidth() != featureWidth) {
            throw new IllegalArgumentException("AttentionDecoder: the attention takes queries of width "
                    + attention.queryWidth() + " and keys of width " + attention.keyWidth() + " but the decoder's "
                    + "queries (its hidden state) are " + hidden + " wide and its features " + featureWidth
                    + "; use Attention.additive(" + hidden + ", " + featureWidth + ", width, seed)");
        }
    }

    /** The features of a batch, prepared once for every step. */
    private final class Context {
        final List<Tensor> features;
        final Attention.Keys keys;
        final boolean[][] valid;

        Context(List<Tensor> features, boolean[][] valid) {
            if (features.isEmpty() || features.get(0).cols() != featureWidth) {
                throw new IllegalArgumentException("AttentionDecoder: features must be a non-empty list of batch x "
                        + featureWidth + " tensors");
            }
            this.features = features;
            this.keys = attention.prepare(features);
            this.valid = valid;
        }

        State initialState() {
            int batch = features.get(0).rows();
            int n = features.size();
            DMatrixRMaj w = new DMatrixRMaj(batch, n);
            for (int b = 0; b < batch; b++) {
                int count = 0;
                for (int p = 0; p < n; p++) {
                    count += valid == null || valid[b][p] ? 1 : 0;
                }
                for (int p = 0; p < n; p++) {
                    w.data[b * n + p] = valid == null || valid[b][p] ? 1.0 / count : 0.0;
                }
            }
            Tensor mean = AttentionOps.weightedSum(new Tensor(w).to(features.get(0).dtype()), features);
            List<Tensor> parts = new ArrayList<>(initial.size());
            for (Linear linear : initial) {
                parts.add(linear.forward(mean).tanh());
            }
            return State.of(cell.stateNames(), parts);
        }

        Step step(int[] previous, State state) {
            Attention.Result attended = attention.attend(state.h(), keys, features, valid);
            Tensor input = ShapeOps.concatCols(List.of(embedding.forward(previous), attended.context()));
            State next = cell.step(input, state);
            Tensor logits = head.forward(ShapeOps.concatCols(List.of(next.h(), attended.context())));
            return new Step(logits, next, attended.weights());
        }

        /** The steps over these features as a token model (its state is the cell's, as one layer). */
        TokenModel steps() {
            return new TokenModel() {
                @Override
                public int vocabulary() {
                    return head.weight().rows();
                }

                @Override
                public List<State> initialState(int batch) {
                    if (batch != features.get(0).rows()) {
                        throw new IllegalArgumentException("AttentionDecoder: the features are of " + features.get(0).rows()
                                + " sequences, not " + batch);
                    }
                    return List.of(Context.this.initialState());
                }

                @Override
                public TokenModel.Step step(int[] tokens, List<State> state) {
                    var s = Context.this.step(tokens, state.get(0));
                    return new TokenModel.Step(s.logits(), List.of(s.state()));
                }
            };
        }
    }

    private record Step(Tensor logits, State state, Tensor weights) {
    }

    /**
     * The teacher-forced loss: at step t the decoder reads token t and predicts token t + 1.
     *
     * @param features one batch x featureWidth tensor per position
     * @param valid valid[b][n] for padded sets, or {@code null}
     * @param tokens tokens[t][b], each sequence starting with the start token and ending with the end token
     * @param lengths each sequence's token count including start and end (at least 2)
     * @return the mean cross-entropy over the predicted tokens
     */
    public Tensor loss(List<Tensor> features, boolean[][] valid, int[][] tokens, int[] lengths) {
        return teacherForced(features, valid, tokens, lengths).loss();
    }

    /**
     * Like {@link #loss} but also returns the attention weights of every step, to inspect or
     * plot during training, or to regularise (they are recorded on the tape, so a penalty on
     * them, e.g. Show, Attend and Tell's doubly stochastic one, backpropagates).
     *
     * @param features one batch x featureWidth tensor per position
     * @param valid valid[b][n] for padded sets, or {@code null}
     * @param tokens tokens[t][b], each sequence starting with the start token and ending with the end token
     * @param lengths each sequence's token count including start and end (at least 2)
     * @return the loss and the weights of each of the tokens.length - 1 steps
     */
    public TeacherForced teacherForced(List<Tensor> features, boolean[][] valid, int[][] tokens, int[] lengths) {
        Context ctx = new Context(features, valid);
        State state = ctx.initialState();
        List<Tensor> logits = new ArrayList<>();
        List<Tensor> weights = new ArrayList<>();
        for (int t = 0; t + 1 < tokens.length; t++) {
            Step s = ctx.step(tokens[t], state);
            logits.add(s.logits());
            weights.add(s.weights());
            state = s.state();
        }
        return new TeacherForced(SequenceLoss.nextTokenCrossEntropy(logits, tokens, lengths), weights);
    }

    /**
     * The loss with scheduled sampling: like {@link #loss(List, boolean[][], int[][], int[])},
     * except that from the second step on each sequence reads its own previous prediction with
     * probability 1 - ratio(iteration).
     *
     * @param features one batch x featureWidth tensor per position
     * @param valid valid[b][n] for padded sets, or {@code null}
     * @param tokens tokens[t][b], each sequence starting with the start token and ending with the end token
     * @param lengths each sequence's token count including start and end (at least 2)
     * @param sampling the schedule, the choice of prediction and the seeded generator
     * @param iteration the training iteration, which sets the teacher-forcing ratio
     * @return the mean cross-entropy over the predicted tokens
     */
    public Tensor loss(List<Tensor> features, boolean[][] valid, int[][] tokens, int[] lengths,
            ScheduledSampling sampling, long iteration) {
        ScheduledSampling.Choices choices = sampling.flip(iteration, tokens.length - 1, lengths.length);
        if (choices.allGroundTruth()) {
            return loss(features, valid, tokens, lengths);
        }
        Context ctx = new Context(features, valid);
        List<Tensor> logits = choices.logits(ctx.steps(), List.of(ctx.initialState()),
                Arrays.copyOf(tokens, tokens.length - 1));
        return SequenceLoss.nextTokenCrossEntropy(logits, tokens, lengths);
    }

    /**
     * A batch of feature sets for {@link dev.unroll.rnn.decode.BeamSearch}: every set (and its
     * validity mask) is repeated for each beam.
     *
     * @param features one batch x featureWidth tensor per position
     * @param valid valid[b][n] for padded sets, or {@code null}
     * @param start the start token
     * @return the decodable batch
     */
    public Decodable decoding(List<Tensor> features, boolean[][] valid, int start) {
        return copies -> {
            int[] rows = StateRows.repeated(features.get(0).rows(), copies);
            List<Tensor> repeated = new ArrayList<>(features.size());
            for (Tensor f : features) {
                repeated.add(ShapeOps.gatherRows(f, rows));
            }
            boolean[][] repeatedValid = null;
            if (valid != null) {
                repeatedValid = new boolean[rows.length][];
                for (int r = 0; r < rows.length; r++) {
                    repeatedValid[r] = valid[rows[r]];
                }
            }
            Context ctx = new Context(repeated, repeatedValid);
            int[] starts = new int[rows.length];
            Arrays.fill(starts, start);
            return new DecodingStart(ctx.steps(), List.of(ctx.initialState()), starts);
        };
    }

    /**
     * The outcome of a teacher-forced pass.
     *
     * @param loss the mean cross-entropy over the predicted tokens, 1x1
     * @param weights the attention weights at each step (the step reading token t predicts
     *     token t + 1), batch x positions, rows summing to 1; a sequence's steps past its length
     *     are computed but not counted in the loss
     */
    public record TeacherForced(Tensor loss, List<Tensor> weights) {
    }

    /**
     * Decodes a batch step by step (without recording), feeding each chosen token back.
     *
     * @param features one batch x featureWidth tensor per position
     * @param valid valid[b][n] for padded sets, or {@code null}
     * @param start the start token
     * @param end the end token (decoding of a sequence stops after it)
     * @param maxLength the most tokens per sequence
     * @param chooser how to pick each token (argmax for greedy decoding)
     * @return the tokens of each sequence (without start, up to and excluding end) and the
     *     attention weights of every step
     */
    public Decoded decode(List<Tensor> features, boolean[][] valid, int start, int end, int maxLength,
            TokenChooser chooser) {
        try (Tape.Paused paused = Tape.pause()) {
            Context ctx = new Context(features, valid);
            int batch = features.get(0).rows();
            State state = ctx.initialState();
            int[] previous = new int[batch];
            Arrays.fill(previous, start);
            List<List<Integer>> out = new ArrayList<>();
            boolean[] done = new boolean[batch];
            for (int b = 0; b < batch; b++) {
                out.add(new ArrayList<>());
            }
            List<Tensor> weights = new ArrayList<>();
            for (int t = 0; t < maxLength; t++) {
                Step s = ctx.step(previous, state);
                state = s.state();
                weights.add(s.weights());
                boolean all = true;
                double[][] logits = s.logits().toArray();
                for (int b = 0; b < batch; b++) {
                    int token = chooser.choose(logits[b]);
                    previous[b] = token;
                    if (!done[b]) {
                        if (token == end) {
                            done[b] = true;
                        } else {
                            out.get(b).add(token);
                        }
                    }
                    all &= done[b];
                }
                if (all) {
                    break;
                }
            }
            int[][] tokens = new int[batch][];
            for (int b = 0; b < batch; b++) {
                tokens[b] = out.get(b).stream().mapToInt(Integer::intValue).toArray();
            }
            return new Decoded(tokens, weights);
        }
    }

    /**
     * The result of decoding.
     *
     * @param tokens each sequence's tokens, without start and end
     * @param weights the attention weights at each step, batch x positions
     */
    public record Decoded(int[][] tokens, List<Tensor> weights) {
    }
}
