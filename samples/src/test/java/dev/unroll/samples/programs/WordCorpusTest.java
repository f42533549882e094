package dev.unroll.samples.programs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.unroll.rnn.data.WordTokenizer;
import dev.unroll.rnn.data.WordVocabulary;
import org.junit.jupiter.api.Test;

/** word-lm's data: the line split, {@code <eos>} after every line, the vocabulary of the training lines, the unigram baseline. */
class WordCorpusTest {

    @Test
    void theFirstNinetyPercentOfTheLinesTrainAndOnlyTheyMakeTheVocabulary() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            text.append("to be or not\n");
        }
        text.append("to sleep\n");
        WordCorpus corpus = new WordCorpus(text.toString(), WordTokenizer.whitespace(), 1);
        assertEquals(10, corpus.lines());
        assertEquals(9, corpus.trainLines());
        assertFalse(corpus.vocabulary().contains("sleep"), "a word of the validation lines only is <unk>");
        WordVocabulary v = corpus.vocabulary();
        assertArrayEquals(new int[] {v.id("to"), WordVocabulary.UNK_ID, WordVocabulary.EOS_ID}, corpus.validation());
        assertEquals(9 * 5, corpus.train().length, "four words and <eos> per line");
        assertEquals(WordVocabulary.EOS_ID, corpus.train()[4]);
        assertEquals(1.0 / 3, WordCorpus.unknownRate(corpus.validation()), 1e-15);
    }

    @Test
    void theUnigramModelIsAddOneSmoothedOverTheWholeVocabulary() {
        UnigramModel unigram = new UnigramModel(new int[] {0, 0, 1}, 3);
        // p = (2 + 1) / 6, (1 + 1) / 6, (0 + 1) / 6: targets 0 and 2 give exp(-(ln 1/2 + ln 1/6) / 2) = sqrt(12)
        assertEquals(Math.sqrt(12), unigram.perplexity(new int[][] {{0}, {2}}), 1e-12);
    }
}
