package jarvis.tui.internal;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.AbstractComponent;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;

/** "● Status: 2/3 online" in the colour of its level (see {@link OnlineSummary}). */
public final class StatusLine extends AbstractComponent<StatusLine> {

    private OnlineSummary summary = OnlineSummary.of(false, java.util.List.of());

    public void show(OnlineSummary next) {
        summary = next;
        invalidate();
    }

    @Override
    protected ComponentRenderer<StatusLine> createDefaultRenderer() {
        return new ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(StatusLine component) {
                return new TerminalSize(28, 1);
            }

            @Override
            public void drawComponent(TextGUIGraphics g, StatusLine component) {
                g.setBackgroundColor(Palette.BACKGROUND);
                g.fill(' ');
                g.setForegroundColor(Palette.of(summary.level()));
                Cells.put(g, 0, 0, TextWrap.fit("● Status: " + summary.text(), g.getSize().getColumns()));
            }
        };
    }
}
