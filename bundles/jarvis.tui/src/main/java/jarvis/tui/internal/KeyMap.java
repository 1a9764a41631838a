package jarvis.tui.internal;

import java.util.List;
import java.util.Optional;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

/**
 * The main screen's keys. The 1.x bindings stay where users' fingers know them, with three changes:
 * <ul>
 * <li>Add Contact is Ctrl+N ("new"), not Ctrl+C: Ctrl+C is the one key every terminal user presses to
 * get out, and 1.x taking it over left people stuck in the program. Here Ctrl+C leaves the UI as Ctrl+Q
 * does (the terminal is restored; the daemon keeps running).</li>
 * <li>Terminals send Ctrl+I as the Tab byte, so the two cannot be told apart. The main screen has no
 * focus to move (the input line always has it; Up and Down pick the conversation), so Tab is Info too.</li>
 * <li>'?' opens the help only while the input line is empty, so a question can still be typed; F1
 * opens it always.</li>
 * </ul>
 */
public final class KeyMap {

    /** What a key does on the main screen. */
    public enum Action {
        ADD_CONTACT, NEW_GROUP, SETTINGS, INFO, DELETE, LOCK, QUIT, HELP, SEND, CLOSE, PREVIOUS_CONVERSATION,
        NEXT_CONVERSATION, PAGE_UP, PAGE_DOWN
    }

    /** One line of the help screen. */
    public record Binding(String keys, Action action, String description) {
    }

    private static final List<Binding> BINDINGS = List.of(
            new Binding("Ctrl+N", Action.ADD_CONTACT, "Add a contact (link code, contact card, or by hand)"),
            new Binding("Ctrl+G", Action.NEW_GROUP, "New group"),
            new Binding("Ctrl+S", Action.SETTINGS, "Settings: your link code and QR code, exports, password"),
            new Binding("Ctrl+I / Tab", Action.INFO, "Details of the selected contact or group"),
            new Binding("Ctrl+D", Action.DELETE, "Remove the selected contact, or leave the group"),
            new Binding("Ctrl+L", Action.LOCK, "Lock: hides everything until the password is given"),
            new Binding("Ctrl+Q", Action.QUIT, "Quit the UI (the daemon keeps running)"),
            new Binding("F1 / ?", Action.HELP, "This help ('?' while the input line is empty)"),
            new Binding("Enter", Action.SEND, "Send the message; in dialogs, confirm"),
            new Binding("Escape", Action.CLOSE, "Close a dialog (never the lock screen)"),
            new Binding("Up / Down", Action.PREVIOUS_CONVERSATION, "Previous / next conversation"),
            new Binding("PgUp / PgDn", Action.PAGE_UP, "Scroll the conversation"));

    private KeyMap() {
    }

    public static List<Binding> bindings() {
        return BINDINGS;
    }

    /**
     * The action of {@code key} on the main screen, if it has one.
     *
     * @param inputEmpty whether the input line is empty ('?' is then help, else a character of the message)
     */
    public static Optional<Action> mainScreen(KeyStroke key, boolean inputEmpty) {
        KeyType type = key.getKeyType();
        switch (type) {
            case F1:
                return Optional.of(Action.HELP);
            case Tab:
                return Optional.of(Action.INFO);
            case Enter:
                return Optional.of(Action.SEND);
            case Escape:
                return Optional.of(Action.CLOSE);
            case ArrowUp:
                return key.isCtrlDown() || key.isAltDown() ? Optional.empty() : Optional.of(Action.PREVIOUS_CONVERSATION);
            case ArrowDown:
                return key.isCtrlDown() || key.isAltDown() ? Optional.empty() : Optional.of(Action.NEXT_CONVERSATION);
            case PageUp:
                return Optional.of(Action.PAGE_UP);
            case PageDown:
                return Optional.of(Action.PAGE_DOWN);
            case Character:
                break;
            default:
                return Optional.empty();
        }
        char c = Character.toLowerCase(key.getCharacter());
        if (key.isCtrlDown() && !key.isAltDown()) {
            return switch (c) {
                case 'n' -> Optional.of(Action.ADD_CONTACT);
                case 'g' -> Optional.of(Action.NEW_GROUP);
                case 's' -> Optional.of(Action.SETTINGS);
                case 'i' -> Optional.of(Action.INFO);
                case 'd' -> Optional.of(Action.DELETE);
                case 'l' -> Optional.of(Action.LOCK);
                case 'q', 'c' -> Optional.of(Action.QUIT);
                default -> Optional.empty();
            };
        }
        if (c == '?' && !key.isCtrlDown() && !key.isAltDown() && inputEmpty) {
            return Optional.of(Action.HELP);
        }
        return Optional.empty();
    }
}
