package jarvis.tui.internal;

import java.util.List;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.AbstractComponent;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;

/**
 * The JARVIS wordmark, 5 lines of 60 columns in block shades, centred; its colour moves on every
 * {@link #tick()} (twice a second) through the 1.x sequence: white, red, bright white, dark red,
 * indigo, grey.
 */
public final class Banner extends AbstractComponent<Banner> {

    static final List<String> LINES = List.of(
            "░░▒▓   ██████  █████  ██████  ██   ██ ██████  ██████    ▓▒░░",
            "░░▒▓       ██ ██   ██ ██   ██ ██   ██   ██   ██         ▓▒░░",
            "░░▒▓       ██ ███████ ██████  ██   ██   ██    █████     ▓▒░░",
            "░░▒▓  ██   ██ ██   ██ ██  ██   ██ ██    ██        ██    ▓▒░░",
            "░░▒▓   █████  ██   ██ ██   ██   ███   ██████ ██████     ▓▒░░");

    private static final TextColor[] COLOURS = {TextColor.ANSI.WHITE, TextColor.ANSI.RED, TextColor.ANSI.WHITE_BRIGHT,
            new TextColor.RGB(0x8b, 0, 0), new TextColor.RGB(0x4b, 0, 0x82), new TextColor.RGB(0x7f, 0x7f, 0x7f)};

    private int colour;

    /** Next colour; called on the UI thread by the UI's ticker. */
    public void tick() {
        colour = (colour + 1) % COLOURS.length;
        invalidate();
    }

    @Override
    protected ComponentRenderer<Banner> createDefaultRenderer() {
        return new ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(Banner component) {
                return new TerminalSize(LINES.get(0).length(), LINES.size());
            }

            @Override
            public void drawComponent(TextGUIGraphics g, Banner component) {
                g.setBackgroundColor(Palette.BACKGROUND);
                g.fill(' ');
                g.setForegroundColor(COLOURS[colour]);
                int width = g.getSize().getColumns();
                for (int i = 0; i < LINES.size() && i < g.getSize().getRows(); i++) {
                    String line = LINES.get(i);
                    int left = Math.max(0, (width - line.length()) / 2);
                    g.putString(left, i, TextWrap.fit(line, width));
                }
            }
        };
    }
}
