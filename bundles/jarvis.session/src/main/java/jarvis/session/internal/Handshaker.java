package jarvis.session.internal;

import java.security.SecureRandom;
import java.util.Arrays;

import jarvis.crypto.Aead;
import jarvis.crypto.CryptoException;
import jarvis.crypto.NoiseHandshake;
import jarvis.crypto.NoisePattern;
import jarvis.crypto.Role;
import jarvis.crypto.TransportKeys;
import jarvis.crypto.X25519KeyPair;

/**
 * One side of one Noise handshake, in handshake frames: wraps {@link NoiseHandshake} with the frame header
 * (pattern and cipher bytes, bound in the prologue) and counts the messages so callers know where they are.
 */
final class Handshaker implements AutoCloseable {

    private final NoiseHandshake noise;
    private final byte pattern;
    private final byte cipher;
    private int messages;

    private Handshaker(NoiseHandshake noise, byte pattern, byte cipher) {
        this.noise = noise;
        this.pattern = pattern;
        this.cipher = cipher;
    }

    /** The dialer of a contact whose static key we know. */
    static Handshaker initiatorIK(X25519KeyPair local, byte[] remoteStatic, SecureRandom random) {
        byte c = WireFormat.CIPHER_CHACHAPOLY;
        return new Handshaker(NoiseHandshake.initiator(NoisePattern.IK, Aead.CHACHA20_POLY1305,
                WireFormat.prologue(WireFormat.PATTERN_IK, c), local, remoteStatic, random), WireFormat.PATTERN_IK, c);
    }

    /** The dialer of an endpoint whose key it does not know yet. */
    static Handshaker initiatorXX(X25519KeyPair local, SecureRandom random) {
        byte c = WireFormat.CIPHER_CHACHAPOLY;
        return new Handshaker(NoiseHandshake.initiator(NoisePattern.XX, Aead.CHACHA20_POLY1305,
                WireFormat.prologue(WireFormat.PATTERN_XX, c), local, null, random), WireFormat.PATTERN_XX, c);
    }

    /** The listener's side, set up from the first handshake frame's header. */
    static Handshaker responder(byte[] firstFrame, X25519KeyPair local, SecureRandom random) throws ProtocolViolation {
        if (firstFrame.length < WireFormat.HANDSHAKE_HEADER_LENGTH) {
            throw new ProtocolViolation("handshake frame shorter than its header");
        }
        byte p = firstFrame[1];
        byte c = firstFrame[2];
        return new Handshaker(NoiseHandshake.responder(WireFormat.pattern(p), WireFormat.cipher(c),
                WireFormat.prologue(p, c), local, random), p, c);
    }

    byte pattern() {
        return pattern;
    }

    Role role() {
        return noise.role();
    }

    /** Handshake messages written and read so far. */
    int messages() {
        return messages;
    }

    boolean isComplete() {
        return noise.isComplete();
    }

    byte[] remoteStaticKey() {
        return noise.remoteStaticKey();
    }

    byte[] write(HandshakePayload payload) throws CryptoException {
        byte[] frame = WireFormat.handshakeFrame(pattern, cipher, noise.writeMessage(payload.encode()));
        messages++;
        return frame;
    }

    /** Reads a handshake frame and returns its decoded payload. */
    HandshakePayload read(byte[] frame) throws CryptoException, ProtocolViolation {
        if (frame.length < WireFormat.HANDSHAKE_HEADER_LENGTH || frame[0] != WireFormat.HANDSHAKE_FRAME) {
            throw new ProtocolViolation("expected a handshake frame");
        }
        if (frame[1] != pattern || frame[2] != cipher) {
            throw new ProtocolViolation("handshake frame changed pattern or cipher mid-handshake");
        }
        if (noise.isMyTurnToWrite() || noise.isComplete()) {
            throw new ProtocolViolation("handshake frame out of turn");
        }
        byte[] payload = noise.readMessage(Arrays.copyOfRange(frame, WireFormat.HANDSHAKE_HEADER_LENGTH, frame.length));
        messages++;
        return HandshakePayload.decode(payload);
    }

    /** The transport keys; wipes the handshake. */
    TransportKeys split() {
        return noise.split();
    }

    @Override
    public void close() {
        noise.close();
    }
}
