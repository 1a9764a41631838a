package jarvis.tui.internal;

import java.util.ArrayList;
import java.util.List;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.AbstractInteractableComponent;
import com.googlecode.lanterna.gui2.InteractableRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import com.googlecode.lanterna.input.KeyStroke;

/**
 * The input line: "> " and the text, wrapped over up to {@link #MAX_ROWS} rows as it grows (it keeps
 * the cursor's row in view beyond that). Editing: characters, Backspace, Delete, Left, Right, Home, End;
 * the cursor moves over and deletes whole characters (an emoji's surrogate pair is one).
 * Enter, Up/Down and the screen's keys are the main screen's, not this field's.
 */
public final class MessageInput extends AbstractInteractableComponent<MessageInput> {

    static final int MAX_ROWS = 4;
    private static final String PROMPT = "> ";
    /** The daemon refuses more than 64 KiB of UTF-8; this keeps the field well inside that. */
    static final int MAX_CHARS = 16_000;

    private final StringBuilder text = new StringBuilder();
    private int cursor;
    private int width = 40;
    private Runnable onEdit = () -> { };

    public String text() {
        return text.toString();
    }

    public boolean isEmpty() {
        return text.length() == 0;
    }

    public void clear() {
        text.setLength(0);
        cursor = 0;
        invalidate();
    }

    /** Puts back a text that could not be sent. */
    public void restore(String value) {
        text.setLength(0);
        text.append(value, 0, Math.min(value.length(), MAX_CHARS));
        cursor = text.length();
        invalidate();
    }

    /** Called after every change of the text (the main screen sends "typing" from it). */
    public void onEdit(Runnable action) {
        onEdit = action;
    }

    @Override
    protected Result handleKeyStroke(KeyStroke key) {
        switch (key.getKeyType()) {
            case Character:
                if (key.isCtrlDown() || key.isAltDown() || text.length() >= MAX_CHARS) {
                    return Result.UNHANDLED;
                }
                text.insert(cursor++, key.getCharacter());
                break;
            case Backspace:
                if (cursor == 0) {
                    return Result.HANDLED;
                }
                int from = Cells.before(text.toString(), cursor);
                text.delete(from, cursor);
                cursor = from;
                break;
            case Delete:
                if (cursor < text.length()) {
                    text.delete(cursor, Cells.after(text.toString(), cursor));
                }
                break;
            case ArrowLeft:
                cursor = Cells.before(text.toString(), cursor);
                invalidate();
                return Result.HANDLED;
            case ArrowRight:
                cursor = Cells.after(text.toString(), cursor);
                invalidate();
                return Result.HANDLED;
            case Home:
                cursor = 0;
                invalidate();
                return Result.HANDLED;
            case End:
                cursor = text.length();
                invalidate();
                return Result.HANDLED;
            default:
                return Result.UNHANDLED;
        }
        invalidate();
        onEdit.run();
        return Result.HANDLED;
    }

    /** The rows as drawn: the prompt and text cut every {@code columns} columns (no word wrap, so the cursor maps simply). */
    List<String> rows(int columns) {
        List<String> rows = new ArrayList<>();
        String all = PROMPT + SafeText.line(text.toString());
        StringBuilder row = new StringBuilder();
        int used = 0;
        for (String c : Cells.clusters(all)) {
            int w = Cells.width(c);
            if (used + w > columns) {
                rows.add(row.toString());
                row.setLength(0);
                used = 0;
            }
            row.append(c);
            used += w;
        }
        rows.add(row.toString());
        return rows;
    }

    /** Row and column of the cursor in {@link #rows}. */
    TerminalPosition cursorAt(int columns) {
        String before = PROMPT + SafeText.line(text.substring(0, cursor));
        int row = 0;
        int used = 0;
        for (String c : Cells.clusters(before)) {
            int w = Cells.width(c);
            if (used + w > columns) {
                row++;
                used = 0;
            }
            used += w;
        }
        if (used >= columns) {
            row++;
            used = 0;
        }
        return new TerminalPosition(used, row);
    }

    @Override
    protected InteractableRenderer<MessageInput> createDefaultRenderer() {
        return new InteractableRenderer<>() {
            @Override
            public TerminalPosition getCursorLocation(MessageInput component) {
                TerminalPosition at = cursorAt(width);
                int first = firstVisibleRow(at.getRow());
                return new TerminalPosition(at.getColumn(), at.getRow() - first);
            }

            @Override
            public TerminalSize getPreferredSize(MessageInput component) {
                int needed = Math.max(rows(width).size(), cursorAt(width).getRow() + 1);
                return new TerminalSize(width, Math.min(MAX_ROWS, needed));
            }

            @Override
            public void drawComponent(TextGUIGraphics g, MessageInput component) {
                int columns = Math.max(4, g.getSize().getColumns());
                if (columns != width) {
                    width = columns;
                    invalidate(); // the height may change with the width
                }
                g.setBackgroundColor(Palette.DIALOG);
                g.setForegroundColor(Palette.WHITE);
                g.fill(' ');
                List<String> rows = rows(columns);
                int first = firstVisibleRow(cursorAt(columns).getRow());
                for (int r = 0; r < g.getSize().getRows() && first + r < rows.size(); r++) {
                    Cells.put(g, 0, r, rows.get(first + r));
                }
                if (text.length() == 0) {
                    g.setForegroundColor(Palette.GREY);
                    g.putString(PROMPT.length(), 0, TextWrap.fit("Type a message, Enter sends (F1: keys)", columns - 2));
                }
            }
        };
    }

    private int firstVisibleRow(int cursorRow) {
        return Math.max(0, cursorRow - (MAX_ROWS - 1));
    }
}
