package jarvis.tui.internal;

import java.util.Collection;

/**
 * The status line's four levels, as the 1.x network core computed them but never showed: grey while
 * the daemon is away (nothing is known), green when every contact is online, amber when some are, red
 * when none are.
 */
public record OnlineSummary(Level level, int online, int total) {

    public enum Level {
        GREY, GREEN, AMBER, RED
    }

    public static OnlineSummary of(boolean daemonAway, Collection<Boolean> contactsOnline) {
        int total = contactsOnline.size();
        int online = (int) contactsOnline.stream().filter(Boolean::booleanValue).count();
        if (daemonAway) {
            return new OnlineSummary(Level.GREY, 0, total);
        }
        Level level = total == 0 || online == 0 ? Level.RED : online == total ? Level.GREEN : Level.AMBER;
        return new OnlineSummary(level, online, total);
    }

    public String text() {
        if (level == Level.GREY) {
            return "daemon away, reconnecting…";
        }
        if (total == 0) {
            return "no contacts";
        }
        return online + "/" + total + " online";
    }
}
