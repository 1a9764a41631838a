package jarvis.api;

/** The life of the session with one peer. */
public enum ConnectionState {
    /** No session and none being attempted right now (a reconnect may be scheduled). */
    OFFLINE,
    /** A transport link is being opened. */
    CONNECTING,
    /** The link is open and the handshake is running; nothing is routed yet. */
    HANDSHAKING,
    /** Authenticated session; messages flow. */
    ONLINE,
    /** The peer failed authentication or presented a changed key; no reconnect until the user acts. */
    REFUSED
}
