package jarvis.tui.internal;

import java.util.EnumSet;
import java.util.List;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.TextGUIGraphics;

/**
 * A label drawn cell by cell through {@link Cells}, so a name or message with emoji or combining accents
 * shows as written instead of as torn surrogate halves (Lanterna's label draws {@code char} by
 * {@code char}). Sizes, colours and styles behave as the toolkit's label.
 */
class TextLabel extends Label {

    TextLabel(String text) {
        super(text);
    }

    @Override
    protected ComponentRenderer<Label> createDefaultRenderer() {
        ComponentRenderer<Label> toolkit = super.createDefaultRenderer();
        return new ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(Label label) {
                return toolkit.getPreferredSize(label);
            }

            @Override
            public void drawComponent(TextGUIGraphics g, Label label) {
                g.applyThemeStyle(label.getThemeDefinition().getNormal());
                if (label.getForegroundColor() != null) {
                    g.setForegroundColor(label.getForegroundColor());
                }
                if (label.getBackgroundColor() != null) {
                    g.setBackgroundColor(label.getBackgroundColor());
                }
                int width = g.getSize().getColumns();
                if (width < 1) {
                    return;
                }
                SGR[] styles = styles();
                int row = 0;
                for (String line : label.getText().split("\n", -1)) {
                    List<String> parts = label.getLabelWidth() != null ? TextWrap.wrap(line, width) : List.of(line);
                    for (String part : parts) {
                        if (row >= g.getSize().getRows()) {
                            return;
                        }
                        Cells.put(g, 0, row++, part, styles);
                    }
                }
            }
        };
    }

    // The toolkit keeps its label's styles to itself.
    private final EnumSet<SGR> styles = EnumSet.noneOf(SGR.class);

    @Override
    public synchronized Label addStyle(SGR style) {
        styles.add(style);
        return super.addStyle(style);
    }

    @Override
    public synchronized Label removeStyle(SGR style) {
        styles.remove(style);
        return super.removeStyle(style);
    }

    private synchronized SGR[] styles() {
        return styles.toArray(new SGR[0]);
    }
}
