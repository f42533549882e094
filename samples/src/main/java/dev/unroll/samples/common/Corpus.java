package dev.unroll.samples.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A text as a sequence of character ids: the sorted distinct Unicode code points of the text are
 * the vocabulary, so a character outside the Basic Multilingual Plane (an emoji, say) is one id,
 * not two UTF-16 surrogates. Reads any UTF-8 file, or the bundled tiny-shakespeare when no file
 * is given.
 */
public final class Corpus {

    /** The resource name of the bundled tiny-shakespeare text. */
    public static final String BUNDLED = "/data/tinyshakespeare.txt";

    private final String text;
    private final int[] vocabulary;
    private final int[] sortedCodePoints;
    private final int[] sortedIds;

    /**
     * @param text the text
     * @param vocabulary the characters (code points), each once, in id order; must cover the text
     */
    public Corpus(String text, String vocabulary) {
        this.text = text;
        this.vocabulary = vocabulary.codePoints().toArray();
        int n = this.vocabulary.length;
        long[] pairs = new long[n];
        for (int id = 0; id < n; id++) {
            pairs[id] = ((long) this.vocabulary[id] << 32) | id;
        }
        Arrays.sort(pairs);
        sortedCodePoints = new int[n];
        sortedIds = new int[n];
        for (int i = 0; i < n; i++) {
            sortedCodePoints[i] = (int) (pairs[i] >>> 32);
            sortedIds[i] = (int) pairs[i];
            if (i > 0 && sortedCodePoints[i] == sortedCodePoints[i - 1]) {
                throw new IllegalArgumentException("Corpus: character '" + Character.toString(sortedCodePoints[i])
                        + "' is twice in the vocabulary");
            }
        }
        encode(text);
    }

    /**
     * @param text a text
     * @return the text with its own sorted distinct characters as vocabulary
     */
    public static Corpus of(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("Corpus: the text is empty");
        }
        StringBuilder sb = new StringBuilder();
        text.codePoints().distinct().sorted().forEach(sb::appendCodePoint);
        return new Corpus(text, sb.toString());
    }

    /**
     * @param file a UTF-8 text file, or {@code null} for the bundled tiny-shakespeare
     * @return the corpus
     */
    public static Corpus load(Path file) {
        try {
            if (file != null) {
                return of(Files.readString(file, StandardCharsets.UTF_8));
            }
            try (InputStream in = Corpus.class.getResourceAsStream(BUNDLED)) {
                if (in == null) {
                    throw new IllegalStateException("the bundled text " + BUNDLED + " is missing from the class path");
                }
                return of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return the text */
    public String text() {
        return text;
    }

    /** @return the vocabulary, one character (code point) per id */
    public String vocabulary() {
        return new String(vocabulary, 0, vocabulary.length);
    }

    /** @return the number of distinct characters (code points) */
    public int vocabularySize() {
        return vocabulary.length;
    }

    /**
     * @param s text made of vocabulary characters
     * @return their ids, one per code point
     */
    public int[] encode(String s) {
        int[] ids = s.codePoints().toArray();
        for (int i = 0; i < ids.length; i++) {
            int id = indexOf(ids[i]);
            if (id < 0) {
                throw new IllegalArgumentException("character '" + Character.toString(ids[i]) + "' is not in the vocabulary of "
                        + vocabulary.length + " characters; use text from the training corpus");
            }
            ids[i] = id;
        }
        return ids;
    }

    private int indexOf(int codePoint) {
        int i = Arrays.binarySearch(sortedCodePoints, codePoint);
        return i < 0 ? -1 : sortedIds[i];
    }

    /**
     * @param ids character ids
     * @return the text they spell
     */
    public String decode(int... ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            sb.appendCodePoint(vocabulary[id]);
        }
        return sb.toString();
    }

    /** @return the whole text as ids */
    public int[] ids() {
        return encode(text);
    }
}
