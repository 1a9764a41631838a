package jarvis.tui.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;

/** A contact allowed the Jarvis 1.x protocol is marked in the contact list (the daemon's {@code legacy} field). */
class LegacyLabelTest {

    private static final int COLUMNS = 28;
    private static final int ROWS = 3;

    private final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(COLUMNS, ROWS));
    private TerminalScreen screen;

    @AfterEach
    void close() throws Exception {
        if (screen != null) {
            screen.stopScreen();
        }
    }

    private static Contact contact(String uid, String name, boolean legacy) {
        ObjectNode json = new ObjectMapper().createObjectNode().put("uid", uid).put("username", name)
                .put("public_key", "00".repeat(32)).put("fingerprint", "11".repeat(32)).put("verified", true);
        if (legacy) {
            json.put("legacy", true);
        }
        return Contact.from(json);
    }

    @Test
    void aLegacyContactIsMarkedInTheListAndOthersAreNot() throws Exception {
        Roster roster = new Roster();
        roster.replaceContacts(List.of(contact("a".repeat(32), "bob", true), contact("c".repeat(32), "carol", false)));
        assertThat(roster.entries()).extracting(Roster.Entry::name, Roster.Entry::legacy)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bob", true),
                        org.assertj.core.groups.Tuple.tuple("carol", false));

        ConversationList list = new ConversationList();
        list.setEntries(roster.entries());
        screen = new TerminalScreen(terminal);
        screen.startScreen();
        MultiWindowTextGUI gui = new MultiWindowTextGUI(screen);
        BasicWindow window = new BasicWindow();
        window.setHints(List.of(Window.Hint.NO_DECORATIONS, Window.Hint.FULL_SCREEN));
        window.setComponent(list);
        gui.addWindow(window);
        gui.updateScreen();
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < COLUMNS; c++) {
                b.append(terminal.getCharacter(c, r).getCharacterString());
            }
            rows.add(b.toString().stripTrailing());
        }
        assertThat(rows.get(0)).isEqualTo("● bob 1.x");
        assertThat(rows.get(1)).isEqualTo("● carol");
    }
}
