package jarvis.session.internal;

import java.time.Duration;
import java.util.Locale;

/** The session core's configuration, checked once; invalid values are refused with the key's name. */
record SessionSettings(Duration keepalive, Duration dead, Duration handshakeTimeout, Duration backoffInitial,
        Duration backoffMax, Duration backoffReset, UnknownKeys unknownKeys, int maxPendingHandshakes) {

    /** What happens to a peer that proves a key no contact has. */
    enum UnknownKeys {
        /** Store it as a contact request for the user, raise UNKNOWN_KEY, close. */
        REQUEST,
        /** Raise UNKNOWN_KEY and close. */
        REFUSE
    }

    SessionSettings {
        requirePositive("keepalive.seconds", keepalive);
        requirePositive("dead.seconds", dead);
        requirePositive("handshake.timeout.seconds", handshakeTimeout);
        requirePositive("backoff.initial.seconds", backoffInitial);
        requirePositive("backoff.reset.seconds", backoffReset);
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoff.max.seconds must be at least backoff.initial.seconds");
        }
        if (dead.compareTo(keepalive) <= 0) {
            throw new IllegalArgumentException("dead.seconds must be longer than keepalive.seconds");
        }
        if (maxPendingHandshakes < 1) {
            throw new IllegalArgumentException("max.pending.handshakes must be at least 1");
        }
    }

    static SessionSettings from(SessionCore.Config c) {
        UnknownKeys unknown;
        try {
            unknown = UnknownKeys.valueOf(c.unknown_keys().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown.keys must be 'request' or 'refuse', not '" + c.unknown_keys() + "'");
        }
        return new SessionSettings(seconds(c.keepalive_seconds()), seconds(c.dead_seconds()),
                seconds(c.handshake_timeout_seconds()), seconds(c.backoff_initial_seconds()),
                seconds(c.backoff_max_seconds()), seconds(c.backoff_reset_seconds()), unknown,
                c.max_pending_handshakes());
    }

    /** How often the keepalive pass runs: often enough to notice a dead peer within a quarter interval. */
    Duration tick() {
        Duration shortest = keepalive.compareTo(dead) < 0 ? keepalive : dead;
        Duration quarter = shortest.dividedBy(4);
        return quarter.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : quarter;
    }

    private static Duration seconds(int value) {
        return Duration.ofSeconds(value);
    }

    private static void requirePositive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive");
        }
    }
}
