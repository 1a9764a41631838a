package jarvis.tui.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;

class TextLabelTest {

    private static final String PARTY = "\uD83C\uDF89";

    @Test
    void plainTextIsDrawnExactlyAsTheToolkitsLabelDrawsIt() throws Exception {
        for (String text : List.of("Account exported to /home/alice/a/rather/long/path/to/the/alice.jexport",
                "two\nlines", "short")) {
            assertThat(draw(TextLabel::new, text, 40)).as(text).isEqualTo(draw(Label::new, text, 40));
        }
    }

    @Test
    void anEmojiIsOneWideCellAndTheTextAfterItStaysInPlace() throws Exception {
        List<String> rows = draw(TextLabel::new, "a" + PARTY + "b", 20);
        assertThat(rows.get(0)).startsWith("a" + PARTY + "b ");
    }

    /** The window's rows as text, a wide cell written once. */
    private static List<String> draw(Function<String, Label> label, String text, int columns) throws Exception {
        DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(columns, 6));
        TerminalScreen screen = new TerminalScreen(terminal);
        screen.startScreen();
        MultiWindowTextGUI gui = new MultiWindowTextGUI(screen);
        BasicWindow window = new BasicWindow();
        window.setHints(List.of(Window.Hint.NO_DECORATIONS, Window.Hint.FULL_SCREEN));
        Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
        panel.addComponent(label.apply(text));
        window.setComponent(panel);
        gui.addWindow(window);
        gui.updateScreen();
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                var cell = terminal.getCharacter(c, r);
                b.append(cell.getCharacterString());
                if (cell.isDoubleWidth()) {
                    c++;
                }
            }
            rows.add(b.toString());
        }
        screen.stopScreen();
        return rows;
    }
}
