package jarvis.tui.internal;

/**
 * Text from peers made safe for a terminal cell grid: control characters (an escape sequence in a
 * name could repaint the screen or set the clipboard) and bidi overrides (which reorder what the
 * reader sees) become U+FFFD, as in the console, and so does half a surrogate pair. Characters beyond
 * the BMP (most emoji) stay: {@link Cells} draws each as one wide cell.
 */
public final class SafeText {

    public static final char REPLACEMENT = '\uFFFD';

    private SafeText() {
    }

    /** One line: newlines are replaced as well. */
    public static String line(String text) {
        return clean(text, false);
    }

    /** A message: newlines are kept (the chat view breaks lines there), everything else as {@link #line}. */
    public static String message(String text) {
        return clean(text, true);
    }

    private static String clean(String text, boolean keepNewlines) {
        if (text == null) {
            return "";
        }
        // Composed form: a letter typed as base + combining accent becomes the one character the
        // terminal draws in one column (the toolkit counts any multi-char cluster as two).
        text = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC);
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' && keepNewlines) {
                b.append(c);
            } else if (c == '\t') {
                b.append(' ');
            } else if (Character.isISOControl(c) || isBidiControl(c)) {
                b.append(REPLACEMENT);
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                b.append(c).append(text.charAt(i + 1));
                i++;
            } else if (Character.isSurrogate(c)) {
                b.append(REPLACEMENT);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isBidiControl(char c) {
        return c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069' || c == '\u200E' || c == '\u200F'
                || c == '\u061C';
    }
}
