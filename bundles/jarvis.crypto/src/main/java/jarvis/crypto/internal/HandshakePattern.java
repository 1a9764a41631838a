package jarvis.crypto.internal;

import java.util.List;

/**
 * A Noise handshake pattern (rev 34 section 7) as data: pre-message keys and the token lists of each message,
 * alternating initiator, responder, initiator, ...
 */
public final class HandshakePattern {

    enum Token { E, S, EE, ES, SE, SS }

    public static final HandshakePattern NN = new HandshakePattern("NN", false, false,
            List.of(List.of(Token.E), List.of(Token.E, Token.EE)));
    public static final HandshakePattern KK = new HandshakePattern("KK", true, true,
            List.of(List.of(Token.E, Token.ES, Token.SS), List.of(Token.E, Token.EE, Token.SE)));
    public static final HandshakePattern IK = new HandshakePattern("IK", false, true,
            List.of(List.of(Token.E, Token.ES, Token.S, Token.SS), List.of(Token.E, Token.EE, Token.SE)));
    public static final HandshakePattern IX = new HandshakePattern("IX", false, false,
            List.of(List.of(Token.E, Token.S), List.of(Token.E, Token.EE, Token.SE, Token.S, Token.ES)));
    public static final HandshakePattern XX = new HandshakePattern("XX", false, false,
            List.of(List.of(Token.E), List.of(Token.E, Token.EE, Token.S, Token.ES), List.of(Token.S, Token.SE)));

    final String name;
    /** Pre-message "-> s": the responder knows the initiator's static key beforehand. */
    final boolean initiatorStaticPreMessage;
    /** Pre-message "<- s": the initiator knows the responder's static key beforehand. */
    final boolean responderStaticPreMessage;
    final List<List<Token>> messages;

    private HandshakePattern(String name, boolean initiatorStaticPreMessage, boolean responderStaticPreMessage,
            List<List<Token>> messages) {
        this.name = name;
        this.initiatorStaticPreMessage = initiatorStaticPreMessage;
        this.responderStaticPreMessage = responderStaticPreMessage;
        this.messages = messages;
    }

    public static HandshakePattern named(String name) {
        switch (name) {
            case "NN":
                return NN;
            case "KK":
                return KK;
            case "IK":
                return IK;
            case "IX":
                return IX;
            case "XX":
                return XX;
            default:
                throw new IllegalArgumentException("unsupported Noise pattern " + name);
        }
    }

    public String name() {
        return name;
    }
}
