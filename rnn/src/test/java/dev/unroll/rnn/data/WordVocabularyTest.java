package dev.unroll.rnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.rnn.model.LanguageModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordVocabularyTest {

    private static final List<String> TEXT = List.of("The cat sat on the mat.", "the cat ran; the dog sat!",
            "A dog's day, the end.");

    @Test
    void theTokenizersSplitAsDocumented() {
        assertEquals(List.of("don't,", "Sir!", "'tis"), WordTokenizer.whitespace().tokenize(" don't,\tSir!\n'tis "));
        assertEquals(List.of("don't", ",", "Sir", "!", "'", "tis", "o'er", "42", "-", "x"),
                WordTokenizer.wordsAndPunctuation().tokenize("don't, Sir! 'tis o'er 42-x"));
        assertEquals(List.of("élan", "naïve", "."), WordTokenizer.wordsAndPunctuation().lowercased().tokenize("Élan NAÏVE."));
        assertEquals(List.of(), WordTokenizer.whitespace().tokenize(" \n "));
    }

    @Test
    void specialTokensComeFirstThenWordsByFallingCountThenAlphabetically() {
        WordVocabulary v = WordVocabulary.build(TEXT, WordTokenizer.wordsAndPunctuation().lowercased(), 2);
        // counts: the 5, . 2, cat 2, sat 2; once: on mat ran ; dog ! a dog's day , end
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "the", ".", "cat", "sat"),
                List.of(v.word(0), v.word(1), v.word(2), v.word(3), v.word(4), v.word(5), v.word(6), v.word(7)));
        assertEquals(8, v.size());
        assertEquals(WordVocabulary.UNK_ID, v.id("mat"));
        assertFalse(v.contains("mat"));
        assertArrayEquals(new int[] {2, 4, 6, 1, 3}, v.encodeSentence("The cat ran"));
        assertEquals("<bos> the cat <unk> <eos>", v.decode(2, 4, 6, 1, 3, 0, 0));
    }

    @Test
    void maxWordsKeepsTheMostFrequentAndMinCountOneKeepsEveryWord() {
        WordVocabulary top2 = WordVocabulary.build(TEXT, WordTokenizer.wordsAndPunctuation().lowercased(), 1, 2);
        assertEquals(6, top2.size());
        assertEquals("the", top2.word(4));
        assertEquals(".", top2.word(5));
        WordVocabulary all = WordVocabulary.build(TEXT, WordTokenizer.whitespace(), 1);
        assertTrue(all.contains("dog's") && all.contains("The") && all.contains("the"));
        assertThrows(IllegalArgumentException.class, () -> WordVocabulary.build(TEXT, WordTokenizer.whitespace(), 0));
        assertThrows(IllegalArgumentException.class, () -> all.word(all.size()));
    }

    @Test
    void itIsSavedWithACheckpointAndRestoredWithTheSameIds(@TempDir Path dir) throws IOException {
        WordVocabulary v = WordVocabulary.build(TEXT, WordTokenizer.wordsAndPunctuation().lowercased(), 1);
        LanguageModel model = LanguageModel.lstm(v.size(), 4, 6, 1, 1);
        Path file = dir.resolve("word-lm.safetensors");
        Map<String, String> metadata = new HashMap<>(v.metadata("vocabulary."));
        metadata.put("model", "word-lm");
        Checkpoint.save(file, model, null, metadata);
        WordVocabulary restored = WordVocabulary.fromMetadata(Checkpoint.metadata(file), "vocabulary.");
        assertEquals(v.size(), restored.size());
        for (int id = 0; id < v.size(); id++) {
            assertEquals(v.word(id), restored.word(id));
        }
        assertEquals(v.tokenizer().name(), restored.tokenizer().name());
        assertArrayEquals(v.encode("The dog's end!"), restored.encode("The dog's end!"));
    }

    @Test
    void malformedMetadataIsRefusedNamingTheKey() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> WordVocabulary.fromMetadata(Map.of("model", "x"), "vocabulary."));
        assertTrue(missing.getMessage().contains("vocabulary.words"), missing.getMessage());
        IllegalArgumentException noSpecials = assertThrows(IllegalArgumentException.class, () -> WordVocabulary
                .fromMetadata(Map.of("v.words", "a\nb", "v.tokenizer", "whitespace"), "v."));
        assertTrue(noSpecials.getMessage().contains("special"), noSpecials.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> WordVocabulary
                .fromMetadata(Map.of("v.words", "<pad>\n<unk>\n<bos>\n<eos>\na\na", "v.tokenizer", "whitespace"), "v."));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
        IllegalArgumentException tokenizer = assertThrows(IllegalArgumentException.class, () -> WordVocabulary
                .fromMetadata(Map.of("v.words", "<pad>\n<unk>\n<bos>\n<eos>", "v.tokenizer", "bpe"), "v."));
        assertTrue(tokenizer.getMessage().contains("'bpe'"), tokenizer.getMessage());
    }
}
