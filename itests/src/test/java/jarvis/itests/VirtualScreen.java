package jarvis.itests;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import com.googlecode.lanterna.terminal.virtual.VirtualTerminalListener;

/**
 * A Lanterna virtual terminal for the terminal UI: keys go in as the user would press them, and the
 * screen comes out as text. Every flushed frame is kept, so a state that shows only for a moment (the
 * spinner while Argon2id runs) can be asserted after the fact.
 */
final class VirtualScreen {

    static final long WAIT_SECONDS = 45;

    final DefaultVirtualTerminal terminal;
    private final List<String> frames = new CopyOnWriteArrayList<>();

    VirtualScreen(int columns, int rows) {
        terminal = new DefaultVirtualTerminal(new TerminalSize(columns, rows));
        terminal.addVirtualTerminalListener(new VirtualTerminalListener() {
            @Override
            public void onFlush() {
                frames.add(text());
            }

            @Override
            public void onBell() {
            }

            @Override
            public void onClose() {
            }

            @Override
            public void onResized(Terminal t, TerminalSize size) {
            }
        });
    }

    /** The screen as lines of text. */
    List<String> lines() {
        TerminalSize size = terminal.getTerminalSize();
        List<String> lines = new ArrayList<>();
        for (int row = 0; row < size.getRows(); row++) {
            StringBuilder b = new StringBuilder();
            for (int col = 0; col < size.getColumns(); col++) {
                b.append(terminal.getCharacter(col, row).getCharacterString());
            }
            lines.add(b.toString());
        }
        return lines;
    }

    String text() {
        return String.join("\n", lines());
    }

    /** The cell where {@code text} first starts on the screen, or null. */
    TextCharacter cellOf(String text) {
        List<String> lines = lines();
        for (int row = 0; row < lines.size(); row++) {
            int col = lines.get(row).indexOf(text);
            if (col >= 0) {
                return terminal.getCharacter(col, row);
            }
        }
        return null;
    }

    /** The line that contains {@code text}, or "". */
    String lineWith(String text) {
        return lines().stream().filter(l -> l.contains(text)).findFirst().orElse("");
    }

    boolean everShowed(String text) {
        return frames.stream().anyMatch(f -> f.contains(text));
    }

    void awaitText(String text) {
        Awaitility.await("the screen shows \"" + text + "\"").atMost(WAIT_SECONDS, TimeUnit.SECONDS)
                .pollInterval(50, TimeUnit.MILLISECONDS).until(() -> text().contains(text));
    }

    void awaitGone(String text) {
        Awaitility.await("the screen no longer shows \"" + text + "\"").atMost(WAIT_SECONDS, TimeUnit.SECONDS)
                .pollInterval(50, TimeUnit.MILLISECONDS).until(() -> !text().contains(text));
    }

    void type(String text) {
        for (char c : text.toCharArray()) {
            terminal.addInput(new KeyStroke(c, false, false));
        }
    }

    void press(KeyType type) {
        terminal.addInput(new KeyStroke(type));
    }

    void ctrl(char c) {
        terminal.addInput(new KeyStroke(c, true, false));
    }

    void resize(int columns, int rows) {
        terminal.setTerminalSize(new TerminalSize(columns, rows));
    }

    @Override
    public String toString() {
        return text();
    }
}
