package dev.unroll.rnn.seq2seq;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.layers.Embedding;
import dev.unroll.nn.layers.Linear;
import dev.unroll.rnn.CellFactory;
import dev.unroll.rnn.SequenceOutput;
import dev.unroll.rnn.State;
import dev.unroll.rnn.TokenModel;
import dev.unroll.rnn.decode.Decodable;
import dev.unroll.rnn.decode.DecodingStart;
import dev.unroll.rnn.decode.ScheduledSampling;
import dev.unroll.rnn.decode.StateRows;
import dev.unroll.rnn.layer.RecurrentLayer;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.loss.SequenceLoss;
import dev.unroll.rnn.loss.StepMask;
import dev.unroll.rnn.sample.TokenChooser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An encoder-decoder (Sutskever et al.): the encoder reads the source and its final state, every
 * layer's, starts the decoder, which is trained with teacher forcing (it reads the true previous
 * target token, or with {@link ScheduledSampling} its own predictions too) and decodes greedily,
 * by sampling or by beam search ({@link #decoding}) at inference. Parameters:
 * {@code encoder_embedding.weight}, {@code encoder.*}, {@code decoder_embedding.weight},
 * {@code decoder.*}, {@code head.*}.
 */
public class Seq2Seq extends Module {

    private final Embedding encoderEmbedding;
    private final RecurrentLayer encoder;
    private final Embedding decoderEmbedding;
    private final RecurrentLayer decoder;
    private final Linear head;
    private final TokenModel decoderSteps = new DecoderSteps();

    /**
     * An encoder and a decoder of the same cells and structure, e.g.
     * {@code new Seq2Seq(13, 13, 16, CellType.LSTM.cells(128, options), options, seed)}.
     *
     * @param sourceVocabulary source tokens
     * @param targetVocabulary target tokens (including start and end tokens)
     * @param embeddingSize embedding width of both sides
     * @param cells builds the cells of both sides
     * @param options the structure of both sides (layers, dropout, ...); unidirectional, as the
     *     decoder reads one token at a time
     * @param seed initialisation seed
     */
    public Seq2Seq(int sourceVocabulary, int targetVocabulary, int embeddingSize, CellFactory cells,
            RecurrentOptions options, long seed) {
        if (options.isBidirectional()) {
            throw new IllegalArgumentException("Seq2Seq: the decoder reads one token at a time and cannot read the "
                    + "sequence backwards; give unidirectional options");
        }
        encoderEmbedding = registerModule("encoder_embedding", new Embedding(sourceVocabulary, embeddingSize, seed));
        encoder = registerModule("encoder", new RecurrentLayer(embeddingSize, cells, options, seed + 1));
        decoderEmbedding = registerModule("decoder_embedding", new Embedding(targetVocabulary, embeddingSize, seed + 2));
        decoder = registerModule("decoder", new RecurrentLayer(embeddingSize, cells, options, seed + 3));
        head = registerModule("head", new Linear(decoder.outputSize(), targetVocabulary, seed + 4));
    }

    private static List<Tensor> embed(Embedding embedding, int[][] tokens) {
        List<Tensor> out = new ArrayList<>(tokens.length);
        for (int[] step : tokens) {
            out.add(embedding.forward(step));
        }
        return out;
    }

    /**
     * Encodes a batch of source sequences.
     *
     * @param source source[t][b], padded
     * @param lengths each source's length, or {@code null} when all are full
     * @return the encoder's outputs and final states (one per layer)
     */
    public SequenceOutput encode(int[][] source, int[] lengths) {
        return encoder.forward(embed(encoderEmbedding, source), null, lengths);
    }

    /**
     * The teacher-forced loss: the decoder reads target token t and predicts token t + 1.
     *
     * @param source source[t][b], padded
     * @param sourceLengths each source's length, or {@code null}
     * @param target target[t][b], each starting with the start token and ending with the end token, padded
     * @param targetLengths each target's token count including start and end (at least 2)
     * @return the mean cross-entropy over the predicted target tokens
     */
    public Tensor loss(int[][] source, int[] sourceLengths, int[][] target, int[] targetLengths) {
        List<State> start = encode(source, sourceLengths).finalStates();
        int steps = target.length - 1;
        int[] predicted = new int[targetLengths.length];
        for (int b = 0; b < predicted.length; b++) {
            predicted[b] = targetLengths[b] - 1;
        }
        SequenceOutput out = decoder.forward(embed(decoderEmbedding, Arrays.copyOf(target, steps)), start, predicted);
        List<Tensor> logits = new ArrayList<>(steps);
        for (Tensor h : out.outputs()) {
            logits.add(head.forward(h));
        }
        return SequenceLoss.crossEntropy(logits, Arrays.copyOfRange(target, 1, target.length),
                StepMask.lengths(predicted, steps), Reduction.MEAN);
    }

    /**
     * The loss with scheduled sampling: like the teacher-forced {@link #loss(int[][], int[], int[][], int[])},
     * except that from the second step on each sequence's decoder input is its own previous
     * prediction with probability 1 - ratio(iteration). The decoder then runs step by step; when
     * every coin says ground truth, this is the teacher-forced loss.
     *
     * @param source source[t][b], padded
     * @param sourceLengths each source's length, or {@code null}
     * @param target target[t][b], each starting with the start token and ending with the end token, padded
     * @param targetLengths each target's token count including start and end (at least 2)
     * @param sampling the schedule, the choice of prediction and the seeded generator
     * @param iteration the training iteration, which sets the teacher-forcing ratio
     * @return the mean cross-entropy over the predicted target tokens
     */
    public Tensor loss(int[][] source, int[] sourceLengths, int[][] target, int[] targetLengths,
            ScheduledSampling sampling, long iteration) {
        int steps = target.length - 1;
        ScheduledSampling.Choices choices = sampling.flip(iteration, steps, targetLengths.length);
        if (choices.allGroundTruth()) {
            return loss(source, sourceLengths, target, targetLengths);
        }
        List<State> start = encode(source, sourceLengths).finalStates();
        return SequenceLoss.nextTokenCrossEntropy(choices.logits(decoderSteps, start, Arrays.copyOf(target, steps)),
                target, targetLengths);
    }

    /**
     * A batch of sources for {@link dev.unroll.rnn.decode.BeamSearch}: each source is encoded
     * once and its final state repeated for every beam.
     *
     * @param source source[t][b], padded
     * @param sourceLengths each source's length, or {@code null}
     * @param startToken the token the decoder starts from
     * @return the decodable batch, e.g. for {@code BeamSearch.width(5).endToken(end).search(...)}
     */
    public Decodable decoding(int[][] source, int[] sourceLengths, int startToken) {
        return copies -> {
            int[] rows = StateRows.repeated(source[0].length, copies);
            int[] starts = new int[rows.length];
            Arrays.fill(starts, startToken);
            return new DecodingStart(decoderSteps, StateRows.gather(encode(source, sourceLengths).finalStates(), rows),
                    starts);
        };
    }

    /** The decoder as a token model: embed the previous token, step every layer, project the top h. */
    private final class DecoderSteps implements TokenModel {
        @Override
        public int vocabulary() {
            return head.weight().rows();
        }

        @Override
        public List<State> initialState(int batch) {
            return decoder.initialState(batch);
        }

        @Override
        public Step step(int[] tokens, List<State> state) {
            List<State> next = decoder.step(decoderEmbedding.forward(tokens), state);
            return new Step(head.forward(next.get(next.size() - 1).h()), next);
        }
    }

    /**
     * Decodes a batch (without recording), each sequence until its end token or the maximum
     * length; call {@link #eval()} first when the cells or options act differently in training.
     *
     * @param source source[t][b], padded
     * @param sourceLengths each source's length, or {@code null}
     * @param startToken the token the decoder starts from
     * @param endToken the token that ends a sequence (not included in the result)
     * @param maxLength the most tokens per sequence, 0 or more
     * @param chooser argmax for greedy decoding, or a sampling rule
     * @return each sequence's decoded tokens
     * @throws IllegalArgumentException if maxLength is negative
     */
    public int[][] decode(int[][] source, int[] sourceLengths, int startToken, int endToken, int maxLength,
            TokenChooser chooser) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("Seq2Seq.decode: maxLength " + maxLength + " is negative; pass 0 or more");
        }
        try (Tape.Paused paused = Tape.pause()) {
            List<State> state = encode(source, sourceLengths).finalStates();
            int batch = source[0].length;
            int[] previous = new int[batch];
            Arrays.fill(previous, startToken);
            int[][] out = new int[batch][maxLength];
            int[] count = new int[batch];
            boolean[] done = new boolean[batch];
            int finished = 0;
            for (int t = 0; t < maxLength && finished < batch; t++) {
                TokenModel.Step step = decoderSteps.step(previous, state);
                state = step.state();
                double[][] logits = step.logits().toArray();
                for (int b = 0; b < batch; b++) {
                    previous[b] = chooser.choose(logits[b]);
                    if (!done[b]) {
                        if (previous[b] == endToken) {
                            done[b] = true;
                            finished++;
                        } else {
                            out[b][count[b]++] = previous[b];
                        }
                    }
                }
            }
            for (int b = 0; b < batch; b++) {
                out[b] = Arrays.copyOf(out[b], count[b]);
            }
            return out;
        }
    }
}
