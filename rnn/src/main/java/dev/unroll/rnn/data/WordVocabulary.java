package dev.unroll.rnn.data;

import dev.unroll.nn.checkpoint.Printable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A word-level vocabulary: ids for the words of a corpus that occur at least a minimum number of
 * times, and four special tokens with fixed ids, {@value #PAD} 0 (the padding, so that
 * {@link PaddedBatch} and an {@link dev.unroll.nn.layers.Embedding} padding index can use 0),
 * {@value #UNK} 1 (every word not kept), {@value #BOS} 2 and {@value #EOS} 3 (sentence start and
 * end). The kept words follow in order of falling frequency, equal counts in
 * {@link String#compareTo} order, as torchtext's {@code build_vocab_from_iterator} orders them, so
 * the same corpus always gives the same ids. It is stored as strings in a checkpoint's metadata
 * ({@link #metadata(String)}, restored by {@link #fromMetadata(Map, String)}), beside the weights
 * it belongs to, as the character samples store their vocabulary. Immutable.
 */
public final class WordVocabulary {

    /** The padding token. */
    public static final String PAD = "<pad>";
    /** The token of every word outside the vocabulary. */
    public static final String UNK = "<unk>";
    /** The start-of-sentence token. */
    public static final String BOS = "<bos>";
    /** The end-of-sentence token. */
    public static final String EOS = "<eos>";
    /** The id of {@value #PAD}. */
    public static final int PAD_ID = 0;
    /** The id of {@value #UNK}. */
    public static final int UNK_ID = 1;
    /** The id of {@value #BOS}. */
    public static final int BOS_ID = 2;
    /** The id of {@value #EOS}. */
    public static final int EOS_ID = 3;

    private static final List<String> SPECIALS = List.of(PAD, UNK, BOS, EOS);
    private static final String WORDS_KEY = "words";
    private static final String TOKENIZER_KEY = "tokenizer";
    private static final String SEPARATOR = "\n";

    private final WordTokenizer tokenizer;
    private final List<String> words;
    private final Map<String, Integer> ids;

    private WordVocabulary(WordTokenizer tokenizer, List<String> words) {
        this.tokenizer = tokenizer;
        this.words = List.copyOf(words);
        this.ids = new HashMap<>(words.size() * 2);
        for (int id = 0; id < words.size(); id++) {
            String word = words.get(id);
            if (word.isEmpty() || word.codePoints().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("WordVocabulary: word " + id + " '" + Printable.of(word) + "' is empty "
                        + "or holds whitespace, which no tokenizer produces");
            }
            if (ids.put(word, id) != null) {
                throw new IllegalArgumentException("WordVocabulary: the word '" + Printable.of(word) + "' is twice in "
                        + "the vocabulary, at " + ids.get(word) + " and " + id);
            }
        }
    }

    /**
     * Counts the words of some texts and keeps those that occur at least {@code minCount} times.
     *
     * @param texts the training texts (e.g. its lines)
     * @param tokenizer how to split them
     * @param minCount the frequency cutoff, at least 1: rarer words become {@value #UNK}
     * @return the vocabulary
     */
    public static WordVocabulary build(Iterable<String> texts, WordTokenizer tokenizer, int minCount) {
        return build(texts, tokenizer, minCount, Integer.MAX_VALUE);
    }

    /**
     * Like {@link #build(Iterable, WordTokenizer, int)}, keeping at most {@code maxWords} words
     * (the most frequent) besides the four special tokens.
     *
     * @param texts the training texts
     * @param tokenizer how to split them
     * @param minCount the frequency cutoff, at least 1
     * @param maxWords the most words to keep, at least 0
     * @return the vocabulary
     */
    public static WordVocabulary build(Iterable<String> texts, WordTokenizer tokenizer, int minCount, int maxWords) {
        if (minCount < 1 || maxWords < 0) {
            throw new IllegalArgumentException("WordVocabulary: minCount " + minCount + " must be at least 1 and maxWords "
                    + maxWords + " at least 0");
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String text : texts) {
            for (String word : tokenizer.tokenize(text)) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> kept = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() >= minCount && !SPECIALS.contains(e.getKey())) {
                kept.add(e);
            }
        }
        kept.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        List<String> words = new ArrayList<>(SPECIALS);
        for (int i = 0; i < Math.min(maxWords, kept.size()); i++) {
            words.add(kept.get(i).getKey());
        }
        return new WordVocabulary(tokenizer, words);
    }

    /** @return the number of ids, the four special tokens included: the model's vocabulary size */
    public int size() {
        return words.size();
    }

    /** @return the tokenizer texts are split with */
    public WordTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * @param word a token
     * @return its id, or {@link #UNK_ID} when it is not in the vocabulary
     */
    public int id(String word) {
        return ids.getOrDefault(word, UNK_ID);
    }

    /**
     * @param word a token
     * @return whether it has an id of its own
     */
    public boolean contains(String word) {
        return ids.containsKey(word);
    }

    /**
     * @param id an id in [0, size)
     * @return its word (or special token)
     */
    public String word(int id) {
        if (id < 0 || id >= words.size()) {
            throw new IllegalArgumentException("WordVocabulary: id " + id + " is outside [0, " + words.size()
                    + "); was it made with another vocabulary?");
        }
        return words.get(id);
    }

    /**
     * @param text a text
     * @return the ids of its tokens, {@link #UNK_ID} for words not kept
     */
    public int[] encode(String text) {
        return tokenizer.tokenize(text).stream().mapToInt(this::id).toArray();
    }

    /**
     * @param text a sentence
     * @return {@link #BOS_ID}, the ids of its tokens, {@link #EOS_ID}: a training sequence for a
     *     language model or a decoder
     */
    public int[] encodeSentence(String text) {
        int[] inner = encode(text);
        int[] out = new int[inner.length + 2];
        out[0] = BOS_ID;
        System.arraycopy(inner, 0, out, 1, inner.length);
        out[out.length - 1] = EOS_ID;
        return out;
    }

    /**
     * @param ids token ids
     * @return their words joined by single spaces, {@value #PAD} left out
     */
    public String decode(int... ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id != PAD_ID) {
                sb.append(sb.length() == 0 ? "" : " ").append(word(id));
            }
        }
        return sb.toString();
    }

    /**
     * The vocabulary as checkpoint metadata, to pass to
     * {@link dev.unroll.nn.checkpoint.Checkpoint#save(java.nio.file.Path, dev.unroll.nn.Module,
     * dev.unroll.nn.optim.Optimizer, Map)}: {@code <prefix>words} (every word in id order, one
     * per line) and {@code <prefix>tokenizer} (its {@link WordTokenizer#name()}).
     *
     * @param prefix what the keys start with, e.g. {@code "vocabulary."}, or {@code "source."} and
     *     {@code "target."} for the two vocabularies of a translation model
     * @return the two entries
     */
    public Map<String, String> metadata(String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(prefix + WORDS_KEY, String.join(SEPARATOR, words));
        m.put(prefix + TOKENIZER_KEY, tokenizer.name());
        return m;
    }

    /**
     * Restores a vocabulary stored by {@link #metadata(String)}, e.g. from
     * {@link dev.unroll.nn.checkpoint.Checkpoint#metadata(java.nio.file.Path)}.
     *
     * @param metadata a checkpoint's metadata
     * @param prefix the prefix it was stored with
     * @return the vocabulary, with the same ids
     * @throws IllegalArgumentException naming the key, when an entry is missing or malformed
     */
    public static WordVocabulary fromMetadata(Map<String, String> metadata, String prefix) {
        String stored = metadata.get(prefix + WORDS_KEY);
        String tokenizer = metadata.get(prefix + TOKENIZER_KEY);
        if (stored == null || tokenizer == null) {
            throw new IllegalArgumentException("WordVocabulary: the metadata has no " + prefix + (stored == null ? WORDS_KEY
                    : TOKENIZER_KEY) + "; was the checkpoint saved with vocabulary.metadata(\"" + prefix + "\")?");
        }
        List<String> words = List.of(stored.split(SEPARATOR, -1));
        if (words.size() < SPECIALS.size() || !words.subList(0, SPECIALS.size()).equals(SPECIALS)) {
            throw new IllegalArgumentException("WordVocabulary: " + prefix + WORDS_KEY + " must start with the special "
                    + "tokens " + SPECIALS + " but starts '" + Printable.of(stored) + "'");
        }
        return new WordVocabulary(WordTokenizer.named(tokenizer), words);
    }

    @Override
    public String toString() {
        return "WordVocabulary(" + words.size() + " ids, " + tokenizer.name() + ")";
    }
}
