package jarvis.tui.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * When a message was written, as people say it: "just now", "5 minutes ago", "3 days ago", then the
 * date. The thresholds are the 1.x UI's; unlike 1.x, timestamps are instants (UTC), so the comparison
 * never fails on a time zone and no raw ISO string ever reaches the screen.
 */
public final class RelativeTime {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");

    private RelativeTime() {
    }

    /** {@code then} relative to {@code now}; the date is in {@code zone}. A time ahead of us (clock skew) is "just now". */
    public static String describe(Instant then, Instant now, ZoneId zone) {
        long seconds = Duration.between(then, now).getSeconds();
        if (seconds < 60) {
            return "just now";
        }
        if (seconds < 3600) {
            return plural(seconds / 60, "minute");
        }
        if (seconds < 86_400) {
            return plural(seconds / 3600, "hour");
        }
        if (seconds < 7 * 86_400) {
            return plural(seconds / 86_400, "day");
        }
        return DATE.format(then.atZone(zone));
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s") + " ago";
    }
}
