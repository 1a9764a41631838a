package jarvis.tui.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Breaks text into lines of at most a given number of terminal columns: at spaces where it can, inside
 * a word only when the word alone is wider than the line, and never inside a character (an emoji's
 * surrogate pair, a letter with its accent). Widths are terminal columns ({@link Cells}), not chars, so
 * CJK text and emoji (two columns each) never run past the edge. Newlines in a message are kept. The
 * text is expected to have passed {@link SafeText}.
 */
public final class TextWrap {

    private TextWrap() {
    }

    public static List<String> wrap(String text, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width " + width);
        }
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\n", -1)) {
            wrapParagraph(paragraph, width, lines);
        }
        return lines;
    }

    private static void wrapParagraph(String paragraph, int width, List<String> lines) {
        StringBuilder line = new StringBuilder();
        int lineWidth = 0;
        boolean fresh = true; // nothing on this line yet, not even an empty word
        for (String word : paragraph.split(" ", -1)) {
            int w = columns(word);
            if (fresh && w <= width) {
                line.append(word);
                lineWidth = w;
                fresh = false;
                continue;
            }
            if (!fresh && lineWidth + 1 + w <= width) {
                line.append(' ').append(word);
                lineWidth += 1 + w;
                continue;
            }
            if (!fresh) {
                lines.add(line.toString());
                line.setLength(0);
                lineWidth = 0;
                fresh = true;
                if (w <= width) {
                    line.append(word);
                    lineWidth = w;
                    fresh = false;
                    continue;
                }
            }
            // A word wider than the line is cut where the line ends.
            for (String c : Cells.clusters(word)) {
                int cw = Cells.width(c);
                if (lineWidth + cw > width && lineWidth > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                    lineWidth = 0;
                }
                line.append(c);
                lineWidth += cw;
            }
            fresh = false;
        }
        lines.add(line.toString());
    }

    /** Terminal columns {@code text} takes. */
    public static int columns(String text) {
        return Cells.columns(text);
    }

    /** {@code text} cut to at most {@code width} columns, ending in an ellipsis if it was cut. */
    public static String fit(String text, int width) {
        if (columns(text) <= width) {
            return text;
        }
        if (width <= 0) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        int used = 0;
        for (String c : Cells.clusters(text)) {
            int w = Cells.width(c);
            if (used + w > width - 1) {
                break;
            }
            b.append(c);
            used += w;
        }
        return b.append('…').toString();
    }
}
