package dev.unroll.rnn.condition;

import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.layers.Embedding;
import dev.unroll.nn.layers.Linear;
import dev.unroll.rnn.CellFactory;
import dev.unroll.rnn.SequenceOutput;
import dev.unroll.rnn.State;
import dev.unroll.rnn.StatePart;
import dev.unroll.rnn.TokenModel;
import dev.unroll.rnn.decode.Decodable;
import dev.unroll.rnn.decode.ScheduledSampling;
import dev.unroll.rnn.decode.StateRows;
import dev.unroll.rnn.layer.RecurrentLayer;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.loss.SequenceLoss;
import dev.unroll.rnn.loss.StepMask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A next-token model conditioned on a vector v (an image's features, a class, a style), as in
 * the image captioning of Karpathy and Fei-Fei, for any cell, in either or both of two ways:
 * <ul>
 * <li>{@link Mode#EVERY_STEP}: v is appended to every step's input, so it enters every step's
 * gates, h_t = f(W_xh x_t + W_hh h_{t-1} + W_vh v) (W_vh being the last columns of
 * {@code rnn.weight_ih_l0});</li>
 * <li>{@link Mode#INITIAL_STATE}: v sets every part of the initial state, h_0 = tanh(W_h v + b_h),
 * and c_0 likewise for an LSTM (parameters {@code init_h.*}, {@code init_c.*}, one per part).</li>
 * </ul>
 * {@link #given(Tensor)} binds vectors and gives a {@link TokenModel} to sample from;
 * {@link #decoding} gives the batch to a beam search. Trained with teacher forcing ({@link #loss})
 * or scheduled sampling.
 */
public class ConditionedLanguageModel extends Module {

    /** Where the vector enters. */
    public enum Mode {
        /** Appended to every step's input. */
        EVERY_STEP,
        /** Through the initial state only. */
        INITIAL_STATE,
        /** Both. */
        BOTH
    }

    private final int vocabulary;
    private final int vectorWidth;
    private final Mode mode;
    private final Embedding embedding;
    private final RecurrentLayer rnn;
    private final List<Linear> initial = new ArrayList<>();
    private final Linear head;

    /**
     * @param vocabulary tokens
     * @param embeddingSize token embedding width
     * @param vectorWidth the width of the conditioning vector
     * @param cells builds the cell (one layer), e.g. {@code CellType.GRU.cells(16, RecurrentOptions.defaults())}
     * @param mode where the vector enters
     * @param seed initialisation seed
     */
    public ConditionedLanguageModel(int vocabulary, int embeddingSize, int vectorWidth, CellFactory cells, Mode mode,
            long seed) {
        this.vocabulary = vocabulary;
        this.vectorWidth = vectorWidth;
        this.mode = mode;
        embedding = registerModule("embedding", new Embedding(vocabulary, embeddingSize, seed));
        int inputWidth = embeddingSize + (mode == Mode.INITIAL_STATE ? 0 : vectorWidth);
        rnn = registerModule("rnn", new RecurrentLayer(inputWidth, cells, RecurrentOptions.defaults(), seed + 1));
        if (mode != Mode.EVERY_STEP) {
            RandomGenerator rng = Randomness.seeded(seed + 3);
            for (StatePart part : rnn.cell(0, false).stateParts()) {
                initial.add(registerModule("init_" + part.name(), new Linear(vectorWidth, part.width(), true, rng)));
            }
        }
        head = registerModule("head", new Linear(rnn.outputSize(), vocabulary, seed + 5));
    }

    private void checkVector(Tensor v, int batch) {
        if (v.cols() != vectorWidth || v.rows() != batch) {
            throw new IllegalArgumentException("ConditionedLanguageModel: vector " + v.shape() + " must be " + batch + "x"
                    + vectorWidth + " (one conditioning vector per sequence)");
        }
    }

    private List<State> initialState(Tensor v) {
        if (initial.isEmpty()) {
            return rnn.initialState(v.rows());
        }
        List<Tensor> parts = new ArrayList<>(initial.size());
        for (Linear linear : initial) {
            parts.add(linear.forward(v).tanh());
        }
        return List.of(State.of(rnn.cell(0, false).stateNames(), parts));
    }

    /** The input of one step: the tokens' embeddings, and v when it enters every step. */
    private Tensor input(int[] tokens, Tensor v) {
        Tensor embedded = embedding.forward(tokens);
        return mode == Mode.INITIAL_STATE ? embedded : ShapeOps.concatCols(List.of(embedded, v));
    }

    /**
     * The teacher-forced loss of predicting each next token given v.
     *
     * @param v batch x vectorWidth
     * @param tokens tokens[t][b], padded, each starting with a start token
     * @param lengths each sequence's token count (at least 2)
     * @return the mean cross-entropy over the predicted tokens
     */
    public Tensor loss(Tensor v, int[][] tokens, int[] lengths) {
        int batch = tokens[0].length;
        checkVector(v, batch);
        int steps = tokens.length - 1;
        int[] predicted = new int[lengths.length];
        for (int b = 0; b < predicted.length; b++) {
            predicted[b] = lengths[b] - 1;
        }
        List<Tensor> inputs = new ArrayList<>(steps);
        int[][] targets = new int[steps][];
        for (int t = 0; t < steps; t++) {
            inputs.add(input(tokens[t], v));
            targets[t] = tokens[t + 1];
        }
        SequenceOutput out = rnn.forward(inputs, initialState(v), predicted);
        List<Tensor> logits = new ArrayList<>(steps);
        for (Tensor h : out.outputs()) {
            logits.add(head.forward(h));
        }
        return SequenceLoss.crossEntropy(logits, targets, StepMask.lengths(predicted, steps), Reduction.MEAN);
    }

    /**
     * The loss with scheduled sampling: like {@link #loss(Tensor, int[][], int[])}, except that
     * from the second step on each sequence reads its own previous prediction with probability
     * 1 - ratio(iteration). The layer then runs step by step; when every coin says ground truth,
     * this is the teacher-forced loss.
     *
     * @param v batch x vectorWidth
     * @param tokens tokens[t][b], padded, each starting with a start token
     * @param lengths each sequence's token count (at least 2)
     * @param sampling the schedule, the choice of prediction and the seeded generator
     * @param iteration the training iteration, which sets the teacher-forcing ratio
     * @return the mean cross-entropy over the predicted tokens
     */
    public Tensor loss(Tensor v, int[][] tokens, int[] lengths, ScheduledSampling sampling, long iteration) {
        checkVector(v, tokens[0].length);
        int steps = tokens.length - 1;
        ScheduledSampling.Choices choices = sampling.flip(iteration, steps, lengths.length);
        if (choices.allGroundTruth()) {
            return loss(v, tokens, lengths);
        }
        return SequenceLoss.nextTokenCrossEntropy(choices.logits(given(v), initialState(v), Arrays.copyOf(tokens, steps)),
                tokens, lengths);
    }

    /**
     * A batch of vectors and prompts for {@link dev.unroll.rnn.decode.BeamSearch}: each vector is
     * repeated for every beam.
     *
     * @param v batch x vectorWidth
     * @param prompts one prompt per vector, each of at least one token (e.g. the start token)
     * @return the decodable batch
     */
    public Decodable decoding(Tensor v, int[]... prompts) {
        checkVector(v, prompts.length);
        return copies -> {
            int[] rows = StateRows.repeated(prompts.length, copies);
            int[][] repeated = new int[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                repeated[r] = prompts[rows[r]];
            }
            return Decodable.prompted(given(ShapeOps.gatherRows(v, rows)), repeated).start(1);
        };
    }

    /**
     * Binds conditioning vectors, for sampling (one vector) or decoding a batch.
     *
     * @param v batch x vectorWidth, one vector per sequence
     * @return a token model that generates given v, for batches of v's rows
     */
    public TokenModel given(Tensor v) {
        checkVector(v, v.rows());
        return new TokenModel() {
            @Override
            public int vocabulary() {
                return vocabulary;
            }

            @Override
            public List<State> initialState(int batch) {
                if (batch != v.rows()) {
                    throw new IllegalArgumentException("ConditionedLanguageModel.given: the bound vectors are for "
                            + v.rows() + " sequences; sample a batch of " + v.rows());
                }
                return ConditionedLanguageModel.this.initialState(v);
            }

            @Override
            public Step step(int[] tokens, List<State> state) {
                List<State> next = rnn.step(input(tokens, v), state);
                return new Step(head.forward(next.get(0).h()), next);
            }
        };
    }

    /** @return where the vector enters */
    public Mode mode() {
        return mode;
    }

    @Override
    protected String describeSelf() {
        return "(" + mode + ")";
    }
}
