package jarvis.tui.internal;

import java.util.Locale;

/**
 * How far one of our messages got, as a mark after it: queued (waits in the daemon's outbox), sent
 * (handed to the peer), delivered (the peer stored it), read (the peer's user saw it), failed.
 */
public enum DeliveryMark {
    QUEUED("◷", "queued"),
    SENT("✓", "sent"),
    DELIVERED("✓✓", "delivered"),
    READ("✓✓ read", "read"),
    FAILED("✗ failed", "failed");

    private final String mark;
    private final String word;

    DeliveryMark(String mark, String word) {
        this.mark = mark;
        this.word = word;
    }

    /** The mark as shown, e.g. "✓✓". */
    public String mark() {
        return mark;
    }

    public String word() {
        return word;
    }

    /** The daemon's state name (QUEUED, SENT, ...); anything unknown is QUEUED, the safe assumption. */
    public static DeliveryMark of(String state) {
        try {
            return valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            return QUEUED;
        }
    }

    /** States only move forward; an event that arrives late never moves a mark back. */
    public DeliveryMark advance(DeliveryMark next) {
        return next.ordinal() > ordinal() ? next : this;
    }
}
