package jarvis.tui.internal;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.AbstractComponent;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;

/**
 * A QR code drawn with half blocks: each cell is two modules stacked ('▀' with the upper module as
 * foreground and the lower as background), so a symbol of N modules takes N columns and N/2 rows.
 * Colours are explicit black on white, whatever the terminal's theme, with the light quiet zone the
 * standard asks for around it: scanners need dark modules on a light ground.
 */
public final class QrView extends AbstractComponent<QrView> {

    static final int QUIET_ZONE = 4;

    private final QrCode code;

    public QrView(QrCode code) {
        this.code = code;
    }

    /** Columns and rows the symbol needs with its quiet zone. */
    public static TerminalSize sizeOf(QrCode code) {
        int modules = code.size() + 2 * QUIET_ZONE;
        return new TerminalSize(modules, (modules + 1) / 2);
    }

    @Override
    protected ComponentRenderer<QrView> createDefaultRenderer() {
        return new ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(QrView component) {
                return sizeOf(code);
            }

            @Override
            public void drawComponent(TextGUIGraphics g, QrView component) {
                TerminalSize size = sizeOf(code);
                for (int row = 0; row < size.getRows(); row++) {
                    for (int x = 0; x < size.getColumns(); x++) {
                        int mx = x - QUIET_ZONE;
                        int top = row * 2 - QUIET_ZONE;
                        g.setForegroundColor(colour(code.dark(mx, top)));
                        g.setBackgroundColor(colour(code.dark(mx, top + 1)));
                        g.setCharacter(x, row, '▀');
                    }
                }
            }
        };
    }

    private static TextColor colour(boolean dark) {
        return dark ? TextColor.ANSI.BLACK : TextColor.ANSI.WHITE_BRIGHT;
    }
}
