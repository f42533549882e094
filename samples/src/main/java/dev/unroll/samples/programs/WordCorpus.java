package dev.unroll.samples.programs;

import dev.unroll.rnn.data.WordTokenizer;
import dev.unroll.rnn.data.WordVocabulary;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A text as word ids, split as PyTorch's {@code word_language_model} reads its files: every line
 * is its tokens followed by {@value WordVocabulary#EOS} (an empty line too). The first 90 % of
 * the lines (rounded down) are the training split, the rest the validation split; the vocabulary
 * is built from the training lines alone, so a word seen only in validation is
 * {@value WordVocabulary#UNK} there.
 */
final class WordCorpus {

    private final WordVocabulary vocabulary;
    private final int[] train;
    private final int[] validation;
    private final int trainLines;
    private final int lines;

    /**
     * @param text the whole text
     * @param tokenizer how lines are split into words
     * @param minCount the vocabulary's frequency cutoff in the training lines
     */
    WordCorpus(String text, WordTokenizer tokenizer, int minCount) {
        List<String> all = text.lines().toList();
        this.lines = all.size();
        this.trainLines = (int) (lines * 0.9);
        List<String> trainText = all.subList(0, trainLines);
        this.vocabulary = WordVocabulary.build(trainText, tokenizer, minCount);
        this.train = encode(trainText);
        this.validation = encode(all.subList(trainLines, lines));
    }

    private int[] encode(List<String> lines) {
        return lines.stream().flatMapToInt(line -> IntStream.concat(
                Arrays.stream(vocabulary.encode(line)), IntStream.of(WordVocabulary.EOS_ID)))
                .toArray();
    }

    /** @return the vocabulary of the training lines */
    WordVocabulary vocabulary() {
        return vocabulary;
    }

    /** @return the training split's ids, {@value WordVocabulary#EOS} after every line */
    int[] train() {
        return train;
    }

    /** @return the validation split's ids */
    int[] validation() {
        return validation;
    }

    /** @return how many lines the training split has */
    int trainLines() {
        return trainLines;
    }

    /** @return how many lines the text has */
    int lines() {
        return lines;
    }

    /**
     * @param ids some ids of this corpus
     * @return the fraction of them that is {@value WordVocabulary#UNK}
     */
    static double unknownRate(int[] ids) {
        return (double) Arrays.stream(ids).filter(id -> id == WordVocabulary.UNK_ID).count() / ids.length;
    }
}
