package jarvis.tui.internal;

import java.util.List;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.AbstractComponent;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;

/**
 * The left panel: one line per contact and group with its online dot (green, amber, red; grey while the
 * daemon is away), its name, a mark when a contact's key changed, and the unread badge. Not focusable:
 * the main screen moves the selection with Up and Down while the input line keeps the focus.
 */
public final class ConversationList extends AbstractComponent<ConversationList> {

    private List<Roster.Entry> entries = List.of();
    private String selected;
    private int top;

    public void setEntries(List<Roster.Entry> list) {
        entries = List.copyOf(list);
        invalidate();
    }

    public List<Roster.Entry> entries() {
        return entries;
    }

    public String selected() {
        return selected;
    }

    public void select(String id) {
        selected = id;
        invalidate();
    }

    /** The id {@code step} lines away from the selection (wrapping around), or null if the list is empty. */
    public String neighbour(int step) {
        if (entries.isEmpty()) {
            return null;
        }
        int at = indexOf(selected);
        int next = at < 0 ? (step > 0 ? 0 : entries.size() - 1) : Math.floorMod(at + step, entries.size());
        return entries.get(next).id();
    }

    private int indexOf(String id) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    protected ComponentRenderer<ConversationList> createDefaultRenderer() {
        return new ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(ConversationList component) {
                return new TerminalSize(28, Math.max(1, entries.size()));
            }

            @Override
            public void drawComponent(TextGUIGraphics g, ConversationList component) {
                g.setBackgroundColor(Palette.BACKGROUND);
                g.fill(' ');
                int rows = g.getSize().getRows();
                int width = g.getSize().getColumns();
                if (entries.isEmpty()) {
                    g.setForegroundColor(Palette.GREY);
                    g.putString(0, 0, TextWrap.fit("No contacts yet: Ctrl+N", width));
                    return;
                }
                int at = indexOf(selected);
                if (at >= 0 && at < top) {
                    top = at;
                } else if (at >= top + rows) {
                    top = at - rows + 1;
                }
                top = Math.max(0, Math.min(top, Math.max(0, entries.size() - rows)));
                for (int row = 0; row < rows && top + row < entries.size(); row++) {
                    Roster.Entry e = entries.get(top + row);
                    boolean isSelected = e.id().equals(selected);
                    g.setBackgroundColor(isSelected ? Palette.BORDER : Palette.BACKGROUND);
                    g.setForegroundColor(Palette.TEXT);
                    g.putString(0, row, " ".repeat(width));
                    g.setForegroundColor(Palette.of(e.level()));
                    g.putString(0, row, "●");
                    String badge = e.unread() > 0 ? " " + (e.unread() > 99 ? "99+" : e.unread()) : "";
                    // The list is narrow: "1.x" marks a legacy contact; the chat title and details say it in full.
                    String flags = (e.keyChanged() ? " !" : "") + (e.invited() ? " (invited)" : "")
                            + (e.legacy() ? " 1.x" : "");
                    String name = (e.group() ? "# " : "") + e.name();
                    int room = width - 2 - badge.length() - flags.length();
                    g.setForegroundColor(isSelected ? Palette.WHITE : Palette.TEXT);
                    int x = Cells.put(g, 2, row, TextWrap.fit(name, Math.max(1, room)));
                    if (!flags.isEmpty()) {
                        g.setForegroundColor(e.keyChanged() ? Palette.RED : Palette.GREY);
                        g.putString(x, row, flags);
                        x += flags.length();
                    }
                    if (!badge.isEmpty()) {
                        g.setForegroundColor(Palette.BADGE);
                        g.putString(x, row, badge, SGR.BOLD);
                    }
                }
            }
        };
    }
}
