package jarvis.messaging.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Message ids: 48-bit milliseconds since the epoch (UTC) followed by 80 random bits, as 32 lowercase hex
 * characters, so that text order is time order. Ids from one generator strictly increase even when the clock
 * stands still or steps back (the last timestamp is kept and the random part incremented, as ULID does).
 */
final class MessageIds {

    static final int BYTES = 16;
    private static final long MAX_MILLIS = (1L << 48) - 1;
    private static final HexFormat HEX = HexFormat.of();

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private final byte[] last = new byte[BYTES];

    MessageIds(Clock clock) {
        this.clock = clock;
    }

    synchronized String next() {
        long now = Math.min(Math.max(clock.millis(), 0), MAX_MILLIS);
        if (now > lastMillis) {
            lastMillis = now;
            random.nextBytes(last);
            // The top bit of the random part is cleared so incrementing it cannot carry into the timestamp.
            last[6] &= 0x7f;
        } else if (!increment(last)) {
            // 2^79 ids in one millisecond cannot happen; move to the next millisecond rather than repeat.
            lastMillis = Math.min(lastMillis + 1, MAX_MILLIS);
            random.nextBytes(last);
            last[6] &= 0x7f;
        }
        for (int i = 0; i < 6; i++) {
            last[i] = (byte) (lastMillis >>> (40 - 8 * i));
        }
        return HEX.formatHex(last);
    }

    /** Adds one to the 80-bit random part; false when it would overflow. */
    private static boolean increment(byte[] id) {
        for (int i = BYTES - 1; i >= 6; i--) {
            if (++id[i] != 0) {
                return !(i == 6 && (id[6] & 0x80) != 0);
            }
        }
        return false;
    }

    static boolean isId(String s) {
        if (s == null || s.length() != 2 * BYTES) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** The author's send time carried in the id. */
    static Instant timestamp(String id) {
        return Instant.ofEpochMilli(Long.parseLong(id.substring(0, 12), 16));
    }

    static byte[] toBytes(String id) {
        return HEX.parseHex(id);
    }

    static String fromBytes(byte[] bytes, int offset) {
        return HEX.formatHex(bytes, offset, offset + BYTES);
    }
}
