package dev.unroll.samples.programs;

import dev.unroll.rnn.decode.BeamSearch;
import dev.unroll.rnn.decode.Hypothesis;
import dev.unroll.rnn.sample.TokenChooser;
import dev.unroll.rnn.seq2seq.Seq2Seq;
import java.util.ArrayList;
import java.util.List;

/**
 * How well an addition model answers a set of questions, decoded greedily or by beam search:
 * the exact match (every digit right and the answer ended there), and Keras' per-character
 * accuracy (the answer and the decoding padded with spaces to the answer length, compared
 * position by position, as Keras' {@code accuracy} metric scores its fixed-length output).
 *
 * @param exactMatch the fraction of questions answered exactly
 * @param perCharacter the fraction of answer positions right
 * @param answers each question's decoded answer, in order
 */
record AdditionScore(double exactMatch, double perCharacter, List<String> answers) {

    /** Questions decoded at once. */
    private static final int CHUNK = 1000;

    /**
     * Decodes every question greedily (beam width 1) or by beam search, without recording.
     *
     * @param model the trained encoder-decoder
     * @param data the encoding
     * @param questions the questions
     * @param beamWidth 1 for greedy decoding, more for beam search
     * @return the score
     */
    static AdditionScore of(Seq2Seq model, AdditionData data, List<AdditionData.Question> questions, int beamWidth) {
        int maxLength = data.answerLength() + 1;
        BeamSearch beam = BeamSearch.width(beamWidth).endToken(AdditionData.END).maxLength(maxLength);
        List<String> answers = new ArrayList<>(questions.size());
        for (AdditionData.Batch chunk : data.chunks(questions, CHUNK)) {
            if (beamWidth == 1) {
                for (int[] tokens : model.decode(chunk.source(), null, AdditionData.START, AdditionData.END, maxLength,
                        TokenChooser.argmax())) {
                    answers.add(digits(tokens, tokens.length < maxLength));
                }
            } else {
                for (List<Hypothesis> best : beam.search(model.decoding(chunk.source(), null, AdditionData.START))) {
                    answers.add(digits(best.get(0).tokens(), best.get(0).ended()));
                }
            }
        }
        int exact = 0;
        int characters = 0;
        for (int i = 0; i < questions.size(); i++) {
            String expected = questions.get(i).answer();
            exact += expected.equals(answers.get(i)) ? 1 : 0;
            characters += sameCharacters(expected, answers.get(i), data.answerLength());
        }
        return new AdditionScore(exact / (double) questions.size(),
                characters / (double) ((long) questions.size() * data.answerLength()), answers);
    }

    /** The decoded digits; a decoding that never ended gets a trailing '?' so it matches no answer. */
    private static String digits(int[] tokens, boolean ended) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            sb.append(t < 10 ? (char) ('0' + t) : '?');
        }
        return ended ? sb.toString() : sb.append('?').toString();
    }

    /** Positions of the two strings, padded with spaces to {@code length}, that agree. */
    private static int sameCharacters(String expected, String decoded, int length) {
        int same = 0;
        for (int t = 0; t < length; t++) {
            char e = t < expected.length() ? expected.charAt(t) : ' ';
            char d = t < decoded.length() ? decoded.charAt(t) : ' ';
            same += e == d ? 1 : 0;
        }
        return same;
    }
}
