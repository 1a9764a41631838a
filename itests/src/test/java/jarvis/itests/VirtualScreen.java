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

    /**
     * The screen as lines of text. A wide character (CJK, emoji) fills two cells and is written once,
     * as a terminal shows it.
     */
    List<String> lines() {
        TerminalSize size = terminal.getTerminalSize();
        List<String> lines = new ArrayList<>();
        for (int row = 0; row < size.getRows(); row++) {
            StringBuilder b = new StringBuilder();
            for (int col = 0; col < size.getColumns(); col++) {
                TextCharacter cell = terminal.getCharacter(col, row);
                b.append(cell.getCharacterString());
                if (cell.isDoubleWidth()) {
                    col++;
                }
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
        int[] at = columnOf(text);
        return at == null ? null : terminal.getCharacter(at[0], at[1]);
    }

    /** Column and row (in cells, wide characters counted twice) where {@code text} first starts, or null. */
    int[] columnOf(String text) {
        List<String> lines = lines();
        for (int row = 0; row < lines.size(); row++) {
            int index = lines.get(row).indexOf(text);
            if (index >= 0) {
                int col = 0;
                for (int i = 0; i < index;) {
                    TextCharacter c = terminal.getCharacter(col, row);
                    i += c.getCharacterString().length();
                    col += c.isDoubleWidth() ? 2 : 1;
                }
                return new int[] {col, row};
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
        await("the screen shows \"" + text + "\"", () -> text().contains(text));
    }

    void awaitGone(String text) {
        await("the screen no longer shows \"" + text + "\"", () -> !text().contains(text));
    }

    /** Fails with what the screen showed at the end, which says more than the condition. */
    private void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(WAIT_SECONDS, TimeUnit.SECONDS).pollInterval(50, TimeUnit.MILLISECONDS)
                    .until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            keepFrames();
            throw new AssertionError(what + " within " + WAIT_SECONDS + " s; the screen:\n" + text(), e);
        }
    }

    /** The frames that led to a failure, each once, for reading afterwards (target/tui-failure-frames.txt). */
    private void keepFrames() {
        StringBuilder b = new StringBuilder();
        String previous = null;
        for (String f : frames) {
            if (!f.equals(previous)) {
                b.append("----- frame -----\n").append(f).append('\n');
            }
            previous = f;
        }
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "tui-failure-frames.txt"), b.toString());
        } catch (java.io.IOException e) {
            // the assertion still says what the screen showed last
        }
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
