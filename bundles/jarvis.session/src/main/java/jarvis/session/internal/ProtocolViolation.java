package jarvis.session.internal;

/** A peer sent bytes that break the session protocol (not a cryptographic failure): the link is closed. */
final class ProtocolViolation extends Exception {

    private static final long serialVersionUID = 1L;

    ProtocolViolation(String message) {
        super(message);
    }
}
