package jarvis.api.session;

import java.time.Instant;
import java.util.Objects;

import jarvis.api.Endpoint;

/**
 * Something a user must hear about: a contact presenting another key (a man-in-the-middle or a
 * reinstalled peer), a refused handshake from an unknown key, or an established session receiving bytes
 * that were altered on the way.
 *
 * @param kind                what happened
 * @param contactUid          the contact concerned, or {@code null} if the peer is unknown
 * @param presentedFingerprint fingerprint of the key the peer proved it holds, or {@code null}
 * @param expectedFingerprint the stored fingerprint, or {@code null}
 * @param remote              where the link came from or went to, or {@code null}
 * @param at                  when
 * @param detail              a sentence for the user
 */
public record SecurityEvent(Kind kind, String contactUid, String presentedFingerprint, String expectedFingerprint,
        Endpoint remote, Instant at, String detail) {

    public enum Kind {
        /** A known contact's uid came with a different key: refused, messages held. */
        KEY_MISMATCH,
        /** A peer with a key we do not know completed a handshake: stored as a contact request or refused. */
        UNKNOWN_KEY,
        /** A handshake failed authentication (wrong key, tampering, or not a Jarvis peer). */
        HANDSHAKE_FAILED,
        /**
         * A record of an authenticated session failed to open or broke the record sequence: bytes were altered,
         * cut or replayed on the path. The session is closed and dialled again; nothing of the record is used.
         */
        RECORD_REJECTED
    }

    public SecurityEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(detail, "detail");
    }
}
