package dev.unroll.rnn.data;

import dev.unroll.rnn.loss.StepMask;
import java.util.Arrays;
import java.util.List;

/**
 * Token sequences of different lengths as one padded batch, as PyTorch's {@code pad_sequence}
 * (time-major, {@code batch_first=False}) makes them: {@code tokens[t][b]} is token t of
 * sequence b, or the padding token where sequence b is shorter than t + 1, with each sequence's
 * length and the {@link StepMask} that makes the sequence losses skip the padding. The recurrent
 * layers and models take the same arrays ({@code tokens[t][b]} and {@code lengths}). Immutable:
 * the accessors return copies.
 */
public final class PaddedBatch {

    private final int[][] tokens;
    private final int[] lengths;

    private PaddedBatch(int[][] tokens, int[] lengths) {
        this.tokens = tokens;
        this.lengths = lengths;
    }

    /**
     * Pads sequences to the longest one.
     *
     * @param sequences at least one sequence, each of at least one token
     * @param padding the token written past each sequence's end (e.g. {@link WordVocabulary#PAD_ID})
     * @return the batch, sequence b in column b
     * @throws IllegalArgumentException naming the sequence, if the list or a sequence is empty
     */
    public static PaddedBatch of(List<int[]> sequences, int padding) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("PaddedBatch: no sequences; give at least one");
        }
        int batch = sequences.size();
        int[] lengths = new int[batch];
        int steps = 0;
        for (int b = 0; b < batch; b++) {
            lengths[b] = sequences.get(b).length;
            if (lengths[b] == 0) {
                throw new IllegalArgumentException("PaddedBatch: sequence " + b + " is empty; every sequence needs at "
                        + "least one token (drop empty ones, or give them an end token)");
            }
            steps = Math.max(steps, lengths[b]);
        }
        int[][] tokens = new int[steps][batch];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                tokens[t][b] = t < lengths[b] ? sequences.get(b)[t] : padding;
            }
        }
        return new PaddedBatch(tokens, lengths);
    }

    /**
     * Pads the sequences at some positions of a list, e.g. one group of {@link LengthBuckets}.
     *
     * @param sequences all sequences
     * @param indices the positions of this batch's sequences, in batch order
     * @param padding the padding token
     * @return the batch, sequences.get(indices[b]) in column b
     */
    public static PaddedBatch of(List<int[]> sequences, int[] indices, int padding) {
        int[][] chosen = new int[indices.length][];
        for (int b = 0; b < indices.length; b++) {
            if (indices[b] < 0 || indices[b] >= sequences.size()) {
                throw new IllegalArgumentException("PaddedBatch: index " + indices[b] + " at position " + b
                        + " is outside the " + sequences.size() + " sequences");
            }
            chosen[b] = sequences.get(indices[b]);
        }
        return of(Arrays.asList(chosen), padding);
    }

    /** @return tokens[t][b], padded (a copy) */
    public int[][] tokens() {
        return copy(tokens, 0, tokens.length);
    }

    /** @return each sequence's length (a copy) */
    public int[] lengths() {
        return lengths.clone();
    }

    /** @return the number of timesteps T, the longest sequence's length */
    public int steps() {
        return tokens.length;
    }

    /** @return the number of sequences B */
    public int batch() {
        return lengths.length;
    }

    /** @return the steps each sequence really has (padding excluded), for {@link dev.unroll.rnn.loss.SequenceLoss} */
    public StepMask mask() {
        return StepMask.lengths(lengths, tokens.length);
    }

    /** @return how many of the T x B positions are padding: what bucketing by length reduces */
    public int paddedPositions() {
        int real = 0;
        for (int length : lengths) {
            real += length;
        }
        return tokens.length * lengths.length - real;
    }

    /**
     * The batch as next-token training data: read token t, predict token t + 1, for a
     * {@link dev.unroll.rnn.model.LanguageModel} (its stacked logits with
     * {@link dev.unroll.rnn.loss.SequenceLoss#crossEntropy(dev.unroll.autograd.Tensor, int[][], StepMask,
     * dev.unroll.autograd.Reduction)}).
     *
     * @return inputs and targets of T - 1 steps, and the mask of each sequence's length - 1 predictions
     * @throws IllegalArgumentException if a sequence has fewer than 2 tokens (nothing to predict)
     */
    public NextTokens nextTokens() {
        int[] predicted = new int[lengths.length];
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 2) {
                throw new IllegalArgumentException("PaddedBatch.nextTokens: sequence " + b + " has " + lengths[b]
                        + " token; next-token training needs at least 2 per sequence (e.g. <bos> and <eos> around it)");
            }
            predicted[b] = lengths[b] - 1;
        }
        int steps = tokens.length - 1;
        return new NextTokens(copy(tokens, 0, steps), copy(tokens, 1, steps + 1), StepMask.lengths(predicted, steps));
    }

    private static int[][] copy(int[][] rows, int from, int to) {
        int[][] out = new int[to - from][];
        for (int t = from; t < to; t++) {
            out[t - from] = rows[t].clone();
        }
        return out;
    }

    /**
     * Next-token training data of a padded batch.
     *
     * @param inputs inputs[t][b] = tokens[t][b], t &lt; T - 1
     * @param targets targets[t][b] = tokens[t + 1][b]
     * @param mask counts step t of sequence b when t &lt; length_b - 1
     */
    public record NextTokens(int[][] inputs, int[][] targets, StepMask mask) {
    }
}
