package jarvis.session.internal;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

import jarvis.crypto.ReceivedRecord;
import jarvis.crypto.RecordCipher;

/** An authenticated session with a contact over one wire: its record cipher and its keepalive. Session thread only. */
final class PeerSession {

    private static final int MAX_OUTSTANDING_PINGS = 16;

    final Wire wire;
    final String contactUid;
    final RecordCipher cipher;
    final boolean weInitiated;
    /** Static key of the side that sent the first handshake message; decides duplicates. */
    final byte[] initiatorKey;
    /** Hex of the final handshake hash: the same on both sides, unique to the session. */
    final String id;
    final long establishedNanos = System.nanoTime();

    boolean confirmed;
    boolean closed;
    long lastPingNanos = System.nanoTime();
    long probeNonce;
    boolean probing;
    ScheduledFuture<?> probeTimeout;
    ByteArrayOutputStream partial;
    int partialType;
    private long epoch;
    private long counter = -1;
    final Map<Long, Long> pingsSent = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > MAX_OUTSTANDING_PINGS;
        }
    };

    PeerSession(Wire wire, String contactUid, RecordCipher cipher, boolean weInitiated, byte[] initiatorKey, String id) {
        this.wire = wire;
        this.contactUid = contactUid;
        this.cipher = cipher;
        this.weInitiated = weInitiated;
        this.initiatorKey = initiatorKey;
        this.id = id;
    }

    /**
     * Whether a record comes exactly next: the stream is ordered and lossless, so anything else (a record
     * dropped, held back or replayed by someone on the path) ends the session.
     */
    boolean acceptInOrder(ReceivedRecord record) {
        boolean next = record.epoch() == epoch && record.counter() == counter + 1
                || record.epoch() == epoch + 1 && record.counter() == 0;
        if (next) {
            epoch = record.epoch();
            counter = record.counter();
        }
        return next;
    }

    @Override
    public String toString() {
        return "session " + id.substring(0, 12) + " with " + contactUid + " (" + wire + ")";
    }
}
