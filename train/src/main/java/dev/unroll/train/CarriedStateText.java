package dev.unroll.train;

import dev.unroll.autograd.Tensor;
import dev.unroll.rnn.State;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The state truncated BPTT carries between chunks, as checkpoint metadata text: every part's
 * values, layer after layer, as Base64 of little-endian doubles (exact for float32 parts too).
 * Restoring fills a template of the same shapes (the model's initial state), so the text needs no
 * shapes of its own and a mismatch is caught by its length.
 */
final class CarriedStateText {

    private CarriedStateText() {
    }

    static String encode(List<State> states) {
        int n = 0;
        for (State s : states) {
            for (Tensor part : s.parts()) {
                n += part.size();
            }
        }
        ByteBuffer bytes = ByteBuffer.allocate(n * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (State s : states) {
            for (Tensor part : s.parts()) {
                if (part.isF32()) {
                    for (float v : part.dataF32()) {
                        bytes.putDouble(v);
                    }
                } else {
                    for (double v : part.data()) {
                        bytes.putDouble(v);
                    }
                }
            }
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /**
     * @param text what {@link #encode} wrote
     * @param template states of the shapes and precisions to fill (fresh copies are returned)
     * @param key the metadata key, for the message
     * @return the decoded states
     * @throws IllegalArgumentException if the text is not the state of the template's shapes
     */
    static List<State> decode(String text, List<State> template, String key) {
        ByteBuffer bytes;
        try {
            bytes = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the checkpoint's metadata '" + key + "' is not Base64 ("
                    + e.getMessage() + "); the file is corrupt");
        }
        int expected = 0;
        for (State s : template) {
            for (Tensor part : s.parts()) {
                expected += part.size();
            }
        }
        if (bytes.remaining() != expected * Double.BYTES) {
            throw new IllegalArgumentException("the checkpoint's metadata '" + key + "' holds " + bytes.remaining() / 8
                    + " state values, the model's state " + expected + "; was it saved with another model or batch size?");
        }
        List<State> out = new ArrayList<>(template.size());
        for (State s : template) {
            List<Tensor> parts = new ArrayList<>();
            for (Tensor like : s.parts()) {
                Tensor part = Tensor.zeros(like.dtype(), like.rows(), like.cols());
                if (part.isF32()) {
                    float[] v = part.dataF32();
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) bytes.getDouble();
                    }
                } else {
                    double[] v = part.data();
                    for (int i = 0; i < v.length; i++) {
                        v[i] = bytes.getDouble();
                    }
                }
                parts.add(part);
            }
            out.add(State.of(s.names(), parts));
        }
        return out;
    }
}
