package jarvis.api.transport;

/** Limits every transport enforces, so that no peer can make us allocate before it is known. */
public final class Limits {

    /** Largest frame accepted before the peer has authenticated: a handshake message fits easily. */
    public static final int PRE_AUTH_MAX_FRAME = 64 * 1024;

    private Limits() {
    }
}
