package jarvis.session.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jarvis.crypto.Aead;
import jarvis.crypto.FiveLayerCipher;
import jarvis.crypto.NoisePattern;

/**
 * The bytes of the session protocol on top of transport frames (docs/protocol.md, "Session protocol (jarvis/2)").
 * A frame's first byte says what it is: {@value #HANDSHAKE_FRAME} a handshake message, {@value #RECORD_FRAME}
 * a record (the record header's own version byte).
 */
final class WireFormat {

    static final byte HANDSHAKE_FRAME = 0x01;
    static final byte RECORD_FRAME = (byte) FiveLayerCipher.VERSION;
    /** Frame kind, pattern, cipher. */
    static final int HANDSHAKE_HEADER_LENGTH = 3;

    static final byte PATTERN_IK = 0x01;
    static final byte PATTERN_XX = 0x02;
    static final byte CIPHER_CHACHAPOLY = 0x01;
    static final byte CIPHER_AESGCM = 0x02;

    /** Session-internal content types (below PeerNetwork.FIRST_APPLICATION_TYPE). */
    static final int PING = 0x01;
    static final int PONG = 0x02;
    static final int CLOSE = 0x03;
    static final int PING_LENGTH = 8;

    /** First byte of an application record's plaintext: more chunks of the same payload follow, or not. */
    static final byte LAST_CHUNK = 0x00;
    static final byte MORE_CHUNKS = 0x01;

    /** Reason codes of a CLOSE record. */
    static final int CLOSE_NORMAL = 0;
    static final int CLOSE_SUPERSEDED = 1;
    static final int CLOSE_PROTOCOL_ERROR = 2;
    static final int CLOSE_KEY_CHANGED = 3;
    static final int MAX_CLOSE_TEXT = 200;

    /** Session protocol versions this implementation speaks, in order of preference. */
    static final byte[] SUPPORTED_VERSIONS = {1};

    private static final byte[] PROTOCOL = "jarvis/2".getBytes(StandardCharsets.US_ASCII);

    private WireFormat() {
    }

    /** The Noise prologue: "jarvis/2", then the cleartext choices of the first frame, so neither can be altered. */
    static byte[] prologue(byte pattern, byte cipher) {
        byte[] p = Arrays.copyOf(PROTOCOL, PROTOCOL.length + 2);
        p[PROTOCOL.length] = pattern;
        p[PROTOCOL.length + 1] = cipher;
        return p;
    }

    static byte[] handshakeFrame(byte pattern, byte cipher, byte[] message) {
        byte[] frame = new byte[HANDSHAKE_HEADER_LENGTH + message.length];
        frame[0] = HANDSHAKE_FRAME;
        frame[1] = pattern;
        frame[2] = cipher;
        System.arraycopy(message, 0, frame, HANDSHAKE_HEADER_LENGTH, message.length);
        return frame;
    }

    static NoisePattern pattern(byte code) throws ProtocolViolation {
        switch (code) {
            case PATTERN_IK:
                return NoisePattern.IK;
            case PATTERN_XX:
                return NoisePattern.XX;
            default:
                throw new ProtocolViolation("unknown handshake pattern 0x" + Integer.toHexString(code & 0xff));
        }
    }

    static Aead cipher(byte code) throws ProtocolViolation {
        switch (code) {
            case CIPHER_CHACHAPOLY:
                return Aead.CHACHA20_POLY1305;
            case CIPHER_AESGCM:
                return Aead.AES_256_GCM;
            default:
                throw new ProtocolViolation("unknown handshake cipher 0x" + Integer.toHexString(code & 0xff));
        }
    }

    static byte[] closePayload(int reason, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(utf8.length, MAX_CLOSE_TEXT);
        return ByteBuffer.allocate(1 + n).put((byte) reason).put(utf8, 0, n).array();
    }

    static String describeClose(byte[] payload) {
        if (payload.length == 0) {
            return "no reason";
        }
        int n = Math.min(payload.length - 1, MAX_CLOSE_TEXT);
        return "reason " + (payload[0] & 0xff) + " " + new String(payload, 1, n, StandardCharsets.UTF_8);
    }
}
