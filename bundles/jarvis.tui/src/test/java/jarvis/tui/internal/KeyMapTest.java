package jarvis.tui.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

import jarvis.tui.internal.KeyMap.Action;

class KeyMapTest {

    private static Optional<Action> ctrl(char c) {
        return KeyMap.mainScreen(new KeyStroke(c, true, false), true);
    }

    @Test
    void theOneXBindingsAreKept() {
        assertThat(ctrl('g')).contains(Action.NEW_GROUP);
        assertThat(ctrl('s')).contains(Action.SETTINGS);
        assertThat(ctrl('i')).contains(Action.INFO);
        assertThat(ctrl('d')).contains(Action.DELETE);
        assertThat(ctrl('l')).contains(Action.LOCK);
        assertThat(ctrl('q')).contains(Action.QUIT);
        assertThat(KeyMap.mainScreen(new KeyStroke(KeyType.Enter), false)).contains(Action.SEND);
        assertThat(KeyMap.mainScreen(new KeyStroke(KeyType.Escape), true)).contains(Action.CLOSE);
    }

    @Test
    void addContactIsCtrlNAndCtrlCStillLeaves() {
        assertThat(ctrl('n')).contains(Action.ADD_CONTACT);
        assertThat(ctrl('c')).contains(Action.QUIT);
    }

    @Test
    void tabIsInfoBecauseTerminalsSendCtrlIAsTab() {
        assertThat(KeyMap.mainScreen(new KeyStroke(KeyType.Tab), true)).contains(Action.INFO);
    }

    @Test
    void questionMarkIsHelpOnlyWhileTheInputIsEmpty() {
        KeyStroke question = new KeyStroke('?', false, false);
        assertThat(KeyMap.mainScreen(question, true)).contains(Action.HELP);
        assertThat(KeyMap.mainScreen(question, false)).isEmpty();
        assertThat(KeyMap.mainScreen(new KeyStroke(KeyType.F1), false)).contains(Action.HELP);
    }

    @Test
    void ordinaryCharactersAreLeftToTheInputLine() {
        assertThat(KeyMap.mainScreen(new KeyStroke('n', false, false), true)).isEmpty();
        assertThat(KeyMap.mainScreen(new KeyStroke('L', false, false), false)).isEmpty();
        assertThat(KeyMap.mainScreen(new KeyStroke(KeyType.Backspace), false)).isEmpty();
    }

    @Test
    void scrollingAndPickingAConversation() {
        assertThat(KeyMap.mainScreen(new KeyStroke(KeyType.PageUp), true)).contains(Action.PAGE_UP);
        assertThat(KeyMap.mainScreen(new KeyStroke(KeyType.PageDown), true)).contains(Action.PAGE_DOWN);
        assertThat(KeyMap.mainScreen(new KeyStroke(KeyType.ArrowUp), true)).contains(Action.PREVIOUS_CONVERSATION);
        assertThat(KeyMap.mainScreen(new KeyStroke(KeyType.ArrowDown), true)).contains(Action.NEXT_CONVERSATION);
    }

    @Test
    void noTwoKeysOfTheHelpShareAnActionExceptTheScrollPairs() {
        Set<Action> seen = EnumSet.noneOf(Action.class);
        for (KeyMap.Binding b : KeyMap.bindings()) {
            assertThat(seen.add(b.action())).as(b.keys()).isTrue();
        }
        assertThat(seen).contains(Action.ADD_CONTACT, Action.LOCK, Action.HELP, Action.QUIT);
    }
}
