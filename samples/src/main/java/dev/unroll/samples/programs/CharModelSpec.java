package dev.unroll.samples.programs;

import dev.unroll.nn.checkpoint.Printable;
import dev.unroll.rnn.model.LanguageModel;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a character-level LSTM, stored in its checkpoint's metadata so that {@code sample}
 * can rebuild the model before loading the weights. Serializable, so a Spark run ships it to
 * the executors to build their replicas.
 *
 * @param vocabulary the characters, one per id
 * @param embedding embedding width
 * @param hidden LSTM hidden units
 * @param layers stacked LSTM layers
 */
record CharModelSpec(String vocabulary, int embedding, int hidden, int layers) implements Serializable {

    /** @return a fresh model of this shape (weights to be loaded or trained) */
    LanguageModel build(long seed) {
        return LanguageModel.lstm(vocabulary.length(), embedding, hidden, layers, seed);
    }

    /** @return the metadata entries */
    Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", "char-lstm");
        m.put("vocabulary", vocabulary);
        m.put("embedding", Integer.toString(embedding));
        m.put("hidden", Integer.toString(hidden));
        m.put("layers", Integer.toString(layers));
        return m;
    }

    /**
     * @param metadata a char-lstm checkpoint's metadata
     * @return the spec it describes
     */
    static CharModelSpec from(Map<String, String> metadata) {
        if (!"char-lstm".equals(metadata.get("model"))) {
            throw new IllegalArgumentException("this checkpoint was not written by char-lstm (model = "
                    + (metadata.get("model") == null ? "none" : Printable.of(metadata.get("model")))
                    + "); pass a char-lstm (or word-lm) checkpoint, e.g. --checkpoint runs/char-lstm/char-lstm.safetensors");
        }
        if (metadata.get("vocabulary") == null || metadata.get("vocabulary").isEmpty()) {
            throw new IllegalArgumentException("this char-lstm checkpoint stores no vocabulary; it cannot be sampled");
        }
        return new CharModelSpec(metadata.get("vocabulary"), size(metadata, "embedding"), size(metadata, "hidden"),
                size(metadata, "layers"));
    }

    private static int size(Map<String, String> metadata, String key) {
        String text = metadata.get(key);
        try {
            int n = Integer.parseInt(text == null ? "" : text);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below, with the text
        }
        throw new IllegalArgumentException("this char-lstm checkpoint's metadata '" + key + "' is "
                + (text == null ? "missing" : "'" + Printable.of(text) + "'")
                + ", not a positive size; was it written by another program?");
    }
}
