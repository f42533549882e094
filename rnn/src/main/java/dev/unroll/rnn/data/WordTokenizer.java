package dev.unroll.rnn.data;

import dev.unroll.nn.checkpoint.Printable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits text into words, in one of two documented ways:
 * <ul>
 * <li>{@link #whitespace()}: tokens are the maximal runs of non-whitespace characters, as
 * PyTorch's {@code word_language_model} example splits its lines ({@code "don't, Sir!"} is
 * {@code [don't,, Sir!]});</li>
 * <li>{@link #wordsAndPunctuation()}: a token is a maximal run of letters and digits
 * ({@link Character#isLetterOrDigit(int)}), an apostrophe between two letters staying inside
 * the word, or any other single non-whitespace character (punctuation, a symbol):
 * {@code "don't, Sir!"} is {@code [don't, ",", Sir, !]}, {@code "'tis"} is {@code [', tis]}.</li>
 * </ul>
 * Whitespace separates tokens and is dropped. {@link #lowercased()} folds case first (with
 * {@link Locale#ROOT}). Immutable; {@link #name()} and {@link #named(String)} store and restore
 * the choice, e.g. in a checkpoint's metadata.
 */
public final class WordTokenizer {

    private final boolean punctuation;
    private final boolean lowercase;

    private WordTokenizer(boolean punctuation, boolean lowercase) {
        this.punctuation = punctuation;
        this.lowercase = lowercase;
    }

    /** @return the tokenizer that splits at whitespace only */
    public static WordTokenizer whitespace() {
        return new WordTokenizer(false, false);
    }

    /** @return the tokenizer that also splits punctuation off the words */
    public static WordTokenizer wordsAndPunctuation() {
        return new WordTokenizer(true, false);
    }

    /** @return this tokenizer, folding the text to lower case first */
    public WordTokenizer lowercased() {
        return new WordTokenizer(punctuation, true);
    }

    /**
     * @param text any text
     * @return its tokens, in order
     */
    public List<String> tokenize(String text) {
        String s = lowercase ? text.toLowerCase(Locale.ROOT) : text;
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            if (Character.isWhitespace(c)) {
                i += Character.charCount(c);
                continue;
            }
            int end = punctuation ? wordEnd(s, i) : runEnd(s, i);
            tokens.add(s.substring(i, end));
            i = end;
        }
        return tokens;
    }

    /** The end of the non-whitespace run starting at i. */
    private static int runEnd(String s, int i) {
        int end = i;
        while (end < s.length() && !Character.isWhitespace(s.codePointAt(end))) {
            end += Character.charCount(s.codePointAt(end));
        }
        return end;
    }

    /** The end of the word starting at i, or i + one character when s[i] is not a letter or digit. */
    private static int wordEnd(String s, int i) {
        int first = s.codePointAt(i);
        int end = i + Character.charCount(first);
        if (!Character.isLetterOrDigit(first)) {
            return end;
        }
        while (end < s.length()) {
            int c = s.codePointAt(end);
            if (Character.isLetterOrDigit(c)) {
                end += Character.charCount(c);
            } else if (c == '\'' && Character.isLetter(s.codePointBefore(end)) && end + 1 < s.length()
                    && Character.isLetter(s.codePointAt(end + 1))) {
                end++;
            } else {
                break;
            }
        }
        return end;
    }

    /** @return a stable name of this tokenizer, e.g. {@code words-and-punctuation,lowercase} */
    public String name() {
        return (punctuation ? "words-and-punctuation" : "whitespace") + (lowercase ? ",lowercase" : "");
    }

    /**
     * @param name a {@link #name()}
     * @return the tokenizer of that name
     * @throws IllegalArgumentException listing the names there are, for any other text
     */
    public static WordTokenizer named(String name) {
        for (WordTokenizer t : List.of(whitespace(), wordsAndPunctuation(), whitespace().lowercased(),
                wordsAndPunctuation().lowercased())) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("WordTokenizer: no tokenizer is named '" + Printable.of(name) + "'; the names are whitespace, "
                + "words-and-punctuation, and either followed by ,lowercase");
    }

    @Override
    public String toString() {
        return name();
    }
}
