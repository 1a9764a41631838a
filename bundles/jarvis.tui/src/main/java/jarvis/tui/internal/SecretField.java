package jarvis.tui.internal;

import java.util.Arrays;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.AbstractInteractableComponent;
import com.googlecode.lanterna.gui2.InteractableRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import com.googlecode.lanterna.input.KeyStroke;

/**
 * A password field that keeps the password in a {@code char[]} (never a String, which could not be
 * wiped) and shows one bullet per character. {@link #take()} hands the password over and wipes the
 * field; Enter runs the field's action.
 */
public final class SecretField extends AbstractInteractableComponent<SecretField> {

    /** The CLI's limit for a password read from a terminal. */
    static final int MAX_CHARS = 1024;

    private final int columns;
    private char[] chars = new char[MAX_CHARS];
    private int length;
    private Runnable onEnter = () -> { };
    private Runnable onEdit = () -> { };

    public SecretField(int columns) {
        this.columns = columns;
    }

    public void onEnter(Runnable action) {
        onEnter = action;
    }

    public void onEdit(Runnable action) {
        onEdit = action;
    }

    public int length() {
        return length;
    }

    /** The password so far, for a strength hint; the caller wipes the copy. */
    public char[] peek() {
        return Arrays.copyOf(chars, length);
    }

    /** The password; the field is empty and wiped afterwards. The caller owns (and wipes) the copy. */
    public char[] take() {
        char[] copy = Arrays.copyOf(chars, length);
        clear();
        return copy;
    }

    public void clear() {
        Arrays.fill(chars, '\0');
        length = 0;
        invalidate();
        onEdit.run();
    }

    /** Whether this field holds the same characters as {@code other} (compared without copying to a String). */
    public boolean sameAs(SecretField other) {
        if (length != other.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= chars[i] ^ other.chars[i];
        }
        return diff == 0;
    }

    @Override
    protected Result handleKeyStroke(KeyStroke key) {
        switch (key.getKeyType()) {
            case Character:
                if (key.isCtrlDown() || key.isAltDown()) {
                    return Result.UNHANDLED;
                }
                if (length < MAX_CHARS) {
                    chars[length++] = key.getCharacter();
                }
                break;
            case Backspace:
                if (length > 0) {
                    chars[--length] = '\0';
                }
                break;
            case Enter:
                onEnter.run();
                return Result.HANDLED;
            default:
                return super.handleKeyStroke(key);
        }
        invalidate();
        onEdit.run();
        return Result.HANDLED;
    }

    @Override
    protected InteractableRenderer<SecretField> createDefaultRenderer() {
        return new InteractableRenderer<>() {
            @Override
            public TerminalPosition getCursorLocation(SecretField component) {
                return new TerminalPosition(Math.min(length, columns - 1), 0);
            }

            @Override
            public TerminalSize getPreferredSize(SecretField component) {
                return new TerminalSize(columns, 1);
            }

            @Override
            public void drawComponent(TextGUIGraphics g, SecretField component) {
                g.setBackgroundColor(Palette.DIALOG);
                g.setForegroundColor(Palette.WHITE);
                g.fill(' ');
                g.putString(0, 0, "•".repeat(Math.min(length, g.getSize().getColumns())));
            }
        };
    }
}
