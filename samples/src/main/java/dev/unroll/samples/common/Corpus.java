package dev.unroll.samples.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;

/**
 * A text as a sequence of character ids: the sorted distinct characters of the text are the
 * vocabulary. Reads any UTF-8 file, or the bundled tiny-shakespeare when no file is given.
 */
public final class Corpus {

    /** The resource name of the bundled tiny-shakespeare text. */
    public static final String BUNDLED = "/data/tinyshakespeare.txt";

    private final String text;
    private final String vocabulary;

    /**
     * @param text the text
     * @param vocabulary the characters, each once, in id order; must cover the text
     */
    public Corpus(String text, String vocabulary) {
        this.text = text;
        this.vocabulary = vocabulary;
        for (int i = 0; i < text.length(); i++) {
            if (vocabulary.indexOf(text.charAt(i)) < 0) {
                throw new IllegalArgumentException("Corpus: character '" + text.charAt(i) + "' is not in the vocabulary");
            }
        }
    }

    /**
     * @param text a text
     * @return the text with its own sorted distinct characters as vocabulary
     */
    public static Corpus of(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("Corpus: the text is empty");
        }
        TreeSet<Character> chars = new TreeSet<>();
        for (int i = 0; i < text.length(); i++) {
            chars.add(text.charAt(i));
        }
        StringBuilder sb = new StringBuilder();
        chars.forEach(sb::append);
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

    /** @return the vocabulary, one character per id */
    public String vocabulary() {
        return vocabulary;
    }

    /** @return the number of distinct characters */
    public int vocabularySize() {
        return vocabulary.length();
    }

    /**
     * @param s text made of vocabulary characters
     * @return their ids
     */
    public int[] encode(String s) {
        int[] ids = new int[s.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.indexOf(s.charAt(i));
            if (ids[i] < 0) {
                throw new IllegalArgumentException("character '" + s.charAt(i) + "' is not in the vocabulary of "
                        + vocabulary.length() + " characters; use text from the training corpus");
            }
        }
        return ids;
    }

    /**
     * @param ids character ids
     * @return the text they spell
     */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            sb.append(vocabulary.charAt(id));
        }
        return sb.toString();
    }

    /** @return the whole text as ids */
    public int[] ids() {
        return encode(text);
    }
}
