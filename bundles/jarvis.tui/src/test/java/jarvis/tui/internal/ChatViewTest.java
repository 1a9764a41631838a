package jarvis.tui.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;

/** The conversation view drawn on a virtual terminal: paging, the top of the history, marks, emoji. */
class ChatViewTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final int COLUMNS = 40;
    private static final int ROWS = 8;

    private final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(COLUMNS, ROWS));
    private TerminalScreen screen;
    private MultiWindowTextGUI gui;
    private final ChatView view = new ChatView(() -> NOW, ZoneOffset.UTC);

    private void open() throws Exception {
        screen = new TerminalScreen(terminal);
        screen.startScreen();
        gui = new MultiWindowTextGUI(screen);
        BasicWindow window = new BasicWindow();
        window.setHints(List.of(Window.Hint.NO_DECORATIONS, Window.Hint.FULL_SCREEN));
        window.setComponent(view);
        view.setNames((uid, group) -> "bob");
        gui.addWindow(window);
    }

    @AfterEach
    void close() throws Exception {
        if (screen != null) {
            screen.stopScreen();
        }
    }

    private List<String> rows() throws Exception {
        gui.updateScreen();
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < COLUMNS; c++) {
                TextCharacter cell = terminal.getCharacter(c, r);
                b.append(cell.getCharacterString());
                if (cell.isDoubleWidth()) {
                    c++;
                }
            }
            rows.add(b.toString().stripTrailing());
        }
        return rows;
    }

    private static ChatMessage fromBob(int n, String text) {
        return new ChatMessage("m" + n, "bobuid", "bobuid", text, NOW.minusSeconds(600), false, DeliveryMark.DELIVERED);
    }

    @Test
    void pageUpAndDownScrollByAPageAndTheTopAsksForOlderMessages() throws Exception {
        open();
        List<ChatMessage> page = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            page.add(fromBob(i, "message " + i));
        }
        AtomicInteger askedForOlder = new AtomicInteger();
        view.onTopReached(askedForOlder::incrementAndGet);
        view.show(page, true);
        assertThat(rows().get(ROWS - 1)).isEqualTo("bob (10 minutes ago): message 29");
        assertThat(rows().get(0)).isEqualTo("bob (10 minutes ago): message 22");

        view.pageUp();
        List<String> up = rows();
        assertThat(up.get(0)).isEqualTo("bob (10 minutes ago): message 15");
        assertThat(up.get(ROWS - 1)).endsWith("↓ PgDn for newer");
        assertThat(askedForOlder).hasValue(0);

        for (int i = 0; i < 5; i++) {
            view.pageUp();
        }
        assertThat(rows().get(0)).isEqualTo("bob (10 minutes ago): message 0");
        assertThat(askedForOlder).as("reaching the top loads older messages, once").hasValue(1);

        for (int i = 0; i < 6; i++) {
            view.pageDown();
        }
        assertThat(rows().get(ROWS - 1)).isEqualTo("bob (10 minutes ago): message 29");
    }

    @Test
    void ourMessagesWrapAndCarryTheirMarkAndEmojiTakeTwoColumns() throws Exception {
        open();
        view.show(List.of(new ChatMessage("m1", "bobuid", "me", "a message that is long enough to wrap",
                NOW.minusSeconds(5), true, DeliveryMark.SENT), fromBob(2, "party \uD83C\uDF89 time")), false);
        List<String> rows = rows();
        int last = rows.size() - 1;
        while (rows.get(last).isEmpty()) {
            last--;
        }
        assertThat(rows.get(last)).isEqualTo("bob (10 minutes ago): party \uD83C\uDF89 time");
        assertThat(rows.get(last - 2)).isEqualTo("You (just now): a message that is long");
        assertThat(rows.get(last - 1)).isEqualTo("enough to wrap ✓");
        view.updateMark("m1", DeliveryMark.READ);
        assertThat(rows().get(last - 1)).isEqualTo("enough to wrap ✓✓ read");
    }
}
