package dev.unroll.nn.checkpoint;

/**
 * Text taken from a file, made safe to put in an exception message: control characters (C0, DEL,
 * C1), line and paragraph separators and bidirectional overrides become {@code \\uXXXX} escapes,
 * so a hostile file cannot forge lines or reorder a terminal's text, and anything longer than
 * {@value #LIMIT} characters is cut. Checkpoint messages use it; so may programs that quote a
 * checkpoint's metadata.
 */
public final class Printable {

    /** The most characters of file text a message quotes. */
    public static final int LIMIT = 200;

    private Printable() {
    }

    /**
     * @param text text from a file
     * @return the text with every unsafe character escaped, at most {@value #LIMIT} characters of it
     */
    public static String of(String text) {
        String shown = text.length() > LIMIT ? text.substring(0, LIMIT) : text;
        StringBuilder sb = new StringBuilder(shown.length() + 8);
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (unsafe(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return text.length() > LIMIT ? sb.append("... (").append(text.length()).append(" characters)").toString()
                : sb.toString();
    }

    private static boolean unsafe(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
