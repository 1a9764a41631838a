package jarvis.legacy.internal;

/** The peer broke the 1.x protocol (or a limit of ours); the connection is closed. */
final class ProtocolViolation extends Exception {

    private static final long serialVersionUID = 1L;

    ProtocolViolation(String message) {
        super(message);
    }
}
