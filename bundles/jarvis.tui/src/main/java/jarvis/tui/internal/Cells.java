package jarvis.tui.internal;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.TextGUIGraphics;

/**
 * Text as terminal cells: one user-perceived character (a grapheme cluster: an emoji's surrogate pair,
 * a letter with its combining accents) per cell, two cells for the wide ones (CJK, emoji). Lanterna's
 * own {@code putString} goes {@code char} by {@code char}, which tears a surrogate pair into two broken
 * cells; its {@link TextCharacter} holds a whole cluster and knows its width, and the screen writes
 * such a cell to the terminal in one piece. Widths here are the ones the screen uses, so what the
 * wrapping measures is what gets drawn.
 */
final class Cells {

    private static final String REPLACEMENT = String.valueOf(SafeText.REPLACEMENT);

    private Cells() {
    }

    /** The clusters of {@code text}, each as it will occupy the screen. */
    static List<String> clusters(String text) {
        List<String> clusters = new ArrayList<>();
        if (simple(text)) {
            for (int i = 0; i < text.length(); i++) {
                clusters.add(text.substring(i, i + 1));
            }
            return clusters;
        }
        BreakIterator it = BreakIterator.getCharacterInstance();
        it.setText(text);
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            clusters.add(text.substring(start, end));
        }
        return clusters;
    }

    // Below U+0300 every char is a cluster of its own, one column wide (no combining marks, no wide
    // characters): the common case, measured without a break iterator on every redraw.
    private static boolean simple(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= '\u0300') {
                return false;
            }
        }
        return true;
    }

    /** Where the character before {@code index} starts (0 at the start). */
    static int before(String text, int index) {
        if (index <= 0) {
            return 0;
        }
        BreakIterator it = BreakIterator.getCharacterInstance();
        it.setText(text);
        int at = it.preceding(Math.min(index, text.length()));
        return at == BreakIterator.DONE ? 0 : at;
    }

    /** Where the character at {@code index} ends ({@code text.length()} at the end). */
    static int after(String text, int index) {
        if (index >= text.length()) {
            return text.length();
        }
        BreakIterator it = BreakIterator.getCharacterInstance();
        it.setText(text);
        int at = it.following(Math.max(0, index));
        return at == BreakIterator.DONE ? text.length() : at;
    }

    /** Columns one cluster takes: 2 for wide characters, else 1. */
    static int width(String cluster) {
        return cell(cluster, TextColor.ANSI.DEFAULT, TextColor.ANSI.DEFAULT, EnumSet.noneOf(SGR.class)).isDoubleWidth() ? 2 : 1;
    }

    /** Terminal columns {@code text} takes. */
    static int columns(String text) {
        if (simple(text)) {
            return text.length();
        }
        int n = 0;
        for (String c : clusters(text)) {
            n += width(c);
        }
        return n;
    }

    /**
     * Draws {@code text} from {@code column} on {@code row} in the graphics' current colours and
     * modifiers plus {@code styles}, cut at the right edge (a wide character that does not fit is left
     * out rather than split).
     *
     * @return the column after the last cell drawn
     */
    static int put(TextGUIGraphics g, int column, int row, String text, SGR... styles) {
        EnumSet<SGR> modifiers = EnumSet.copyOf(g.getActiveModifiers());
        modifiers.addAll(List.of(styles));
        int edge = g.getSize().getColumns();
        int x = column;
        for (String c : clusters(text)) {
            TextCharacter cell = cell(c, g.getForegroundColor(), g.getBackgroundColor(), modifiers);
            int w = cell.isDoubleWidth() ? 2 : 1;
            if (x + w > edge) {
                break;
            }
            g.setCharacter(x, row, cell);
            x += w;
        }
        return x;
    }

    // Lanterna refuses control characters and anything it does not see as one cluster; SafeText keeps
    // those out of peer text, and whatever slips through becomes the replacement character, not an error.
    private static TextCharacter cell(String cluster, TextColor fg, TextColor bg, EnumSet<SGR> modifiers) {
        try {
            TextCharacter[] cells = TextCharacter.fromString(cluster, fg, bg, modifiers);
            if (cells.length == 1) {
                return cells[0];
            }
        } catch (IllegalArgumentException e) {
            // falls through to the replacement character
        }
        return TextCharacter.fromString(REPLACEMENT, fg, bg, modifiers)[0];
    }
}
