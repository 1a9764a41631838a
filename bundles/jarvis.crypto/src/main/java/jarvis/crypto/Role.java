package jarvis.crypto;

/** Which side of a session this party is: the one that sent the first handshake message, or the other. */
public enum Role {
    INITIATOR,
    RESPONDER
}
