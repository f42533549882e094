package dev.unroll.samples.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Characters are code points: one outside the Basic Multilingual Plane is one id, not two surrogates. */
class CorpusTest {

    @Test
    void anEmojiIsOneCharacter() {
        Corpus corpus = Corpus.of("ab😀a😀🎭");
        assertEquals(4, corpus.vocabularySize());
        assertEquals("ab🎭😀", corpus.vocabulary());  // sorted by code point: U+1F3AD before U+1F600
        assertArrayEquals(new int[] {0, 1, 3, 0, 3, 2}, corpus.ids());
        assertEquals("ab😀a😀🎭", corpus.decode(corpus.ids()));
        assertEquals("🎭", corpus.decode(2));
    }

    @Test
    void aVocabularyInAnyOrderEncodesAndRefusesOtherCharacters() {
        Corpus hello = new Corpus("hello", "helo");
        assertArrayEquals(new int[] {0, 1, 2, 2, 3}, hello.encode("hello"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hello.encode("hex"));
        assertEquals("character 'x' is not in the vocabulary of 4 characters; use text from the training corpus", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Corpus("hi", "hih"));
    }
}
