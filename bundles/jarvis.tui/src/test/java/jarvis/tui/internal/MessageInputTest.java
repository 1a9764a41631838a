package jarvis.tui.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

class MessageInputTest {

    private static final String PARTY = "\uD83C\uDF89";

    @Test
    void anEmojiTypedAsTwoCharsIsEditedAndMeasuredAsOneWideCharacter() {
        MessageInput input = new MessageInput();
        // A terminal delivers a character beyond the BMP as two key strokes, one per surrogate.
        for (char c : ("a" + PARTY + "b").toCharArray()) {
            input.handleKeyStroke(new KeyStroke(c, false, false));
        }
        assertThat(input.text()).isEqualTo("a" + PARTY + "b");
        assertThat(input.rows(40)).containsExactly("> a" + PARTY + "b");
        assertThat(input.cursorAt(40)).isEqualTo(new TerminalPosition(6, 0));

        input.handleKeyStroke(new KeyStroke(KeyType.ArrowLeft));
        input.handleKeyStroke(new KeyStroke(KeyType.ArrowLeft));
        assertThat(input.cursorAt(40)).isEqualTo(new TerminalPosition(3, 0));
        input.handleKeyStroke(new KeyStroke(KeyType.Delete));
        assertThat(input.text()).isEqualTo("ab");
        input.handleKeyStroke(new KeyStroke(KeyType.ArrowRight));
        input.handleKeyStroke(new KeyStroke(PARTY.charAt(0), false, false));
        input.handleKeyStroke(new KeyStroke(PARTY.charAt(1), false, false));
        assertThat(input.text()).isEqualTo("ab" + PARTY);
        input.handleKeyStroke(new KeyStroke(KeyType.Backspace));
        assertThat(input.text()).isEqualTo("ab");
    }

    @Test
    void aWideCharacterThatDoesNotFitMovesToTheNextRow() {
        MessageInput input = new MessageInput();
        for (char c : ("abc" + PARTY).toCharArray()) {
            input.handleKeyStroke(new KeyStroke(c, false, false));
        }
        assertThat(input.rows(6)).containsExactly("> abc", PARTY);
    }
}
