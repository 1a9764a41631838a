package jarvis.session.internal;

import java.time.Duration;
import java.util.Random;

/**
 * When to dial a contact again: exponential backoff from the initial delay, doubling up to the cap, each delay
 * moved by up to 20 % either way so that peers that lost each other at the same moment do not redial in step.
 */
final class ReconnectSchedule {

    static final double JITTER = 0.2;

    private final long initialMillis;
    private final long maxMillis;
    private int failures;

    ReconnectSchedule(Duration initial, Duration max) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = Math.max(max.toMillis(), initialMillis);
    }

    /** The delay before the next attempt; each call counts one more failure. */
    Duration next(Random random) {
        long base = initialMillis << Math.min(failures, 30);
        if (base <= 0 || base > maxMillis) {
            base = maxMillis;
        }
        failures++;
        double factor = 1 - JITTER + 2 * JITTER * random.nextDouble();
        return Duration.ofMillis(Math.min(maxMillis, Math.round(base * factor)));
    }

    /** A session lasted: start again from the initial delay. */
    void reset() {
        failures = 0;
    }

    int failures() {
        return failures;
    }
}
