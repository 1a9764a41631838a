package jarvis.tui.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.AbstractComponent;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;

/**
 * One conversation: "name (5 minutes ago): text", our messages followed by their delivery mark, long
 * messages wrapped to the width, newest at the bottom. PgUp/PgDn scroll by a page; reaching the top asks
 * for older messages ({@link #onTopReached}). A typing notice takes the last line while it lasts.
 */
public final class ChatView extends AbstractComponent<ChatView> {

    private final Supplier<Instant> clock;
    private final ZoneId zone;
    private final List<ChatMessage> messages = new ArrayList<>();
    /** Marks that arrived before their message was shown (an event can beat the send's own answer). */
    private final java.util.Map<String, DeliveryMark> early = new java.util.LinkedHashMap<>();
    private BiFunction<String, String, String> names = (uid, group) -> uid;
    private String idleText = "Select a contact or group to start chatting";
    private String typing;
    private boolean more;
    private int offset; // lines scrolled up from the newest
    private int lastRows = 10;
    private boolean askedForOlder;
    private Runnable onTopReached = () -> { };

    public ChatView(Supplier<Instant> clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    /** How a sender uid (and the group, or null) becomes a name. */
    public void setNames(BiFunction<String, String, String> senderName) {
        this.names = senderName;
    }

    public void onTopReached(Runnable action) {
        this.onTopReached = action;
    }

    public void setIdleText(String text) {
        idleText = text;
        invalidate();
    }

    public void show(List<ChatMessage> list, boolean hasMore) {
        messages.clear();
        messages.addAll(list);
        more = hasMore;
        askedForOlder = false;
        offset = 0;
        typing = null;
        invalidate();
    }

    /** Older messages in front (paging back); the view stays where the reader is. */
    public void prepend(List<ChatMessage> older, boolean hasMore) {
        messages.addAll(0, older);
        more = hasMore;
        askedForOlder = false;
        invalidate();
    }

    public void clear(String newIdleText) {
        show(List.of(), false);
        idleText = newIdleText;
    }

    public void append(ChatMessage m) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).id().equals(m.id())) {
                return; // shown already (our own send answered after the event, or the other way round)
            }
        }
        DeliveryMark mark = early.remove(m.id());
        messages.add(mark == null ? m : m.withMark(mark));
        invalidate();
    }

    public void updateMark(String messageId, DeliveryMark mark) {
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (m.id().equals(messageId)) {
                messages.set(i, m.withMark(mark));
                invalidate();
                return;
            }
        }
        early.merge(messageId, mark, DeliveryMark::advance);
        if (early.size() > 256) {
            early.remove(early.keySet().iterator().next());
        }
    }

    public List<ChatMessage> messages() {
        return List.copyOf(messages);
    }

    public String oldestId() {
        return messages.isEmpty() ? null : messages.get(0).id();
    }

    public boolean hasMore() {
        return more;
    }

    public void setTyping(String notice) {
        typing = notice;
        invalidate();
    }

    public void pageUp() {
        offset += Math.max(1, lastRows - 1);
        invalidate();
    }

    public void pageDown() {
        offset = Math.max(0, offset - Math.max(1, lastRows - 1));
        invalidate();
    }

    /** A refresh of the relative times. */
    public void tick() {
        invalidate();
    }

    private record Line(String text, int prefixColumns, TextColor nameColour, String mark) {
    }

    private List<Line> layout(int width) {
        List<Line> lines = new ArrayList<>();
        Instant now = clock.get();
        for (ChatMessage m : messages) {
            String groupId = Groups.isGroupId(m.conversationId()) ? m.conversationId() : null;
            String name = m.outgoing() ? "You" : names.apply(m.senderUid(), groupId);
            String prefix = name + " (" + RelativeTime.describe(m.timestamp(), now, zone) + "): ";
            List<String> wrapped = TextWrap.wrap(prefix + m.text(), width);
            String mark = m.outgoing() ? m.mark().mark() : null;
            for (int i = 0; i < wrapped.size(); i++) {
                boolean last = i == wrapped.size() - 1;
                lines.add(new Line(wrapped.get(i), i == 0 ? TextWrap.columns(prefix) : 0,
                        m.outgoing() ? Palette.OWN : Palette.PEER, last ? mark : null));
            }
            Line lastLine = lines.get(lines.size() - 1);
            if (mark != null && TextWrap.columns(lastLine.text()) + 1 + TextWrap.columns(mark) > width) {
                lines.set(lines.size() - 1, new Line(lastLine.text(), lastLine.prefixColumns(), lastLine.nameColour(), null));
                lines.add(new Line("", 0, lastLine.nameColour(), mark));
            }
        }
        return lines;
    }

    @Override
    protected ComponentRenderer<ChatView> createDefaultRenderer() {
        return new ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(ChatView component) {
                return new TerminalSize(40, 5);
            }

            @Override
            public void drawComponent(TextGUIGraphics g, ChatView component) {
                g.setBackgroundColor(Palette.BACKGROUND);
                g.fill(' ');
                int width = Math.max(1, g.getSize().getColumns());
                int rows = g.getSize().getRows() - (typing != null ? 1 : 0);
                lastRows = Math.max(1, rows);
                if (messages.isEmpty()) {
                    g.setForegroundColor(Palette.GREY);
                    Cells.put(g, 0, 0, TextWrap.fit(idleText, width));
                } else {
                    List<Line> lines = layout(width);
                    int maxOffset = Math.max(0, lines.size() - rows);
                    if (offset >= maxOffset) {
                        offset = maxOffset;
                        if (more && !askedForOlder) {
                            askedForOlder = true;
                            onTopReached.run();
                        }
                    }
                    int first = Math.max(0, lines.size() - rows - offset);
                    for (int row = 0; row < rows && first + row < lines.size(); row++) {
                        drawLine(g, row, lines.get(first + row));
                    }
                    if (offset > 0 && rows > 0) {
                        g.setForegroundColor(Palette.GREY);
                        String hint = "↓ PgDn for newer";
                        g.putString(Math.max(0, width - hint.length()), rows - 1, hint);
                    }
                }
                if (typing != null) {
                    g.setForegroundColor(Palette.GREY);
                    Cells.put(g, 0, g.getSize().getRows() - 1, TextWrap.fit(typing, width), SGR.ITALIC);
                }
            }
        };
    }

    private static void drawLine(TextGUIGraphics g, int row, Line line) {
        String text = line.text();
        int split = 0;
        int columns = 0;
        for (String c : Cells.clusters(text)) {
            if (columns >= line.prefixColumns()) {
                break;
            }
            columns += Cells.width(c);
            split += c.length();
        }
        g.setForegroundColor(line.nameColour());
        int x = Cells.put(g, 0, row, text.substring(0, split), SGR.BOLD);
        g.setForegroundColor(Palette.TEXT);
        x = Cells.put(g, x, row, text.substring(split));
        if (line.mark() != null) {
            g.setForegroundColor(Palette.GREY);
            Cells.put(g, x + 1, row, line.mark());
        }
    }
}
