package jarvis.messaging.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** The system clock plus an offset a test moves forward, to reach an expiry without waiting for it. */
final class MutableClock extends Clock {

    private final AtomicLong offsetMillis;
    private final ZoneId zone;

    MutableClock() {
        this(new AtomicLong(), ZoneOffset.UTC);
    }

    private MutableClock(AtomicLong offsetMillis, ZoneId zone) {
        this.offsetMillis = offsetMillis;
        this.zone = zone;
    }

    void advance(Duration by) {
        offsetMillis.addAndGet(by.toMillis());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same moving time seen in another zone: advancing either moves both. */
    @Override
    public Clock withZone(ZoneId other) {
        return new MutableClock(offsetMillis, other);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMillis.get();
    }
}
