package jarvis.tui.internal;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.SimpleTheme;
import com.googlecode.lanterna.graphics.Theme;

/** The 1.x colours: black background, dialogs #1a1a1a, dark red #8b0000 borders, accent #ff4444, text #cccccc. */
public final class Palette {

    public static final TextColor BACKGROUND = TextColor.ANSI.BLACK;
    public static final TextColor TEXT = new TextColor.RGB(0xcc, 0xcc, 0xcc);
    public static final TextColor DIALOG = new TextColor.RGB(0x1a, 0x1a, 0x1a);
    public static final TextColor BORDER = new TextColor.RGB(0x8b, 0x00, 0x00);
    public static final TextColor ACCENT = new TextColor.RGB(0xff, 0x44, 0x44);
    public static final TextColor WHITE = TextColor.ANSI.WHITE_BRIGHT;
    public static final TextColor GREEN = TextColor.ANSI.GREEN_BRIGHT;
    public static final TextColor AMBER = new TextColor.RGB(0xff, 0xbf, 0x00);
    public static final TextColor RED = TextColor.ANSI.RED_BRIGHT;
    public static final TextColor GREY = new TextColor.RGB(0x80, 0x80, 0x80);
    public static final TextColor OWN = TextColor.ANSI.CYAN_BRIGHT;
    public static final TextColor PEER = TextColor.ANSI.YELLOW_BRIGHT;
    public static final TextColor BADGE = TextColor.ANSI.YELLOW_BRIGHT;

    private Palette() {
    }

    public static TextColor of(OnlineSummary.Level level) {
        return switch (level) {
            case GREEN -> GREEN;
            case AMBER -> AMBER;
            case RED -> RED;
            case GREY -> GREY;
        };
    }

    public static Theme theme() {
        return SimpleTheme.makeTheme(true, TEXT, BACKGROUND, WHITE, DIALOG, WHITE, BORDER, BACKGROUND);
    }
}
