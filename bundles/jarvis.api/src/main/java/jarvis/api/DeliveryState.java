package jarvis.api;

/** Where an outgoing message is on its way; states only move forward. */
public enum DeliveryState {
    /** Durable in the outbox, not yet on the wire. */
    QUEUED,
    /** Written to an authenticated session. */
    SENT,
    /** The peer acknowledged it as stored. */
    DELIVERED,
    /** The peer's user has seen it (only if the peer sends read receipts). */
    READ,
    /** Given up on after the configured expiry. */
    FAILED
}
