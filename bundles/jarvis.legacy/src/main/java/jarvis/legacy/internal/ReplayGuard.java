package jarvis.legacy.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the message ids and ciphertexts each contact sent lately, so a captured frame replayed later (the 1.x
 * keys never change, so it still decrypts) is dropped. Bounded: the oldest entries are forgotten first; messaging
 * keeps every stored message's sender id for good, so a replay older than this memory is still not shown twice.
 */
final class ReplayGuard {

    private final int capacity;
    private final Map<String, Boolean> seen;

    ReplayGuard(int capacity) {
        this.capacity = capacity;
        this.seen = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > ReplayGuard.this.capacity;
            }
        };
    }

    /**
     * Records the message; false if its id or its ciphertext was seen from this contact before (a replay, or a
     * 1.x peer's duplicate).
     */
    synchronized boolean firstTime(String contactUid, String messageId, byte[] ciphertext) {
        String idKey = contactUid + " id " + messageId;
        String ctKey = contactUid + " ct " + sha256(ciphertext);
        boolean fresh = !seen.containsKey(idKey) && !seen.containsKey(ctKey);
        seen.put(idKey, Boolean.TRUE);
        seen.put(ctKey, Boolean.TRUE);
        return fresh;
    }

    synchronized int size() {
        return seen.size();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
