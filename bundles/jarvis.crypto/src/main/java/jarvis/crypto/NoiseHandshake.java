package jarvis.crypto;

import jarvis.crypto.internal.HandshakePattern;
import jarvis.crypto.internal.HandshakeState;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * One run of a Noise handshake {@code Noise_<IK|XX>_25519_<ChaChaPoly|AESGCM>_SHA256} (rev 34). The two
 * sides alternate {@link #writeMessage} and {@link #readMessage} until {@link #isComplete()}; then
 * {@link #split()} yields the {@link TransportKeys} for {@link FiveLayerCipher}.
 *
 * <p>The caller supplies the prologue, which both sides must agree on byte for byte (jarvis/2 binds the
 * protocol name and version in it, see {@code docs/protocol.md}). The caller also decides whether the
 * peer's static key, available from {@link #remoteStaticKey()} as soon as the message carrying it has been
 * read, belongs to the expected contact, and aborts otherwise.
 *
 * <p>Any failure (bad tag, truncated or oversized message, low-order key, message out of turn) makes the
 * handshake unusable: every later call throws. Not thread-safe: one handshake belongs to one connection.
 */
public interface NoiseHandshake extends AutoCloseable {

    /** Largest handshake message (Noise section 3). */
    int MAX_MESSAGE_LENGTH = 65535;

    /**
     * The initiator's side.
     *
     * @param remoteStaticKey the responder's 32-byte static key: required for IK, must be {@code null} for XX
     */
    static NoiseHandshake initiator(NoisePattern pattern, Aead cipher, byte[] prologue, X25519KeyPair localStatic,
            byte[] remoteStaticKey, SecureRandom random) {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern == NoisePattern.IK && remoteStaticKey == null) {
            throw new IllegalArgumentException("IK needs the responder's static key");
        }
        if (pattern == NoisePattern.XX && remoteStaticKey != null) {
            throw new IllegalArgumentException("XX learns the responder's static key during the handshake");
        }
        return HandshakeState.create(HandshakePattern.named(pattern.name()), cipher, Role.INITIATOR, prologue,
                Objects.requireNonNull(localStatic, "localStatic"), remoteStaticKey, random);
    }

    /** The responder's side; it learns the initiator's static key from the handshake itself. */
    static NoiseHandshake responder(NoisePattern pattern, Aead cipher, byte[] prologue, X25519KeyPair localStatic,
            SecureRandom random) {
        Objects.requireNonNull(pattern, "pattern");
        return HandshakeState.create(HandshakePattern.named(pattern.name()), cipher, Role.RESPONDER, prologue,
                Objects.requireNonNull(localStatic, "localStatic"), null, random);
    }

    /** For example {@code Noise_IK_25519_ChaChaPoly_SHA256}. */
    String protocolName();

    Role role();

    /** Whether the next step is {@link #writeMessage} (otherwise {@link #readMessage}, or complete). */
    boolean isMyTurnToWrite();

    /**
     * Writes the next handshake message carrying {@code payload} (encrypted once the pattern allows it).
     *
     * @throws IllegalStateException if it is not this side's turn, or the handshake failed or completed
     * @throws IllegalArgumentException if the message would exceed {@link #MAX_MESSAGE_LENGTH}
     * @throws CryptoException if a DH gives an all-zero secret
     */
    byte[] writeMessage(byte[] payload) throws CryptoException;

    /**
     * Reads the peer's next handshake message and returns its payload.
     *
     * @throws CryptoException if the message is out of turn, longer than {@link #MAX_MESSAGE_LENGTH},
     *         truncated, fails authentication ({@link AuthenticationFailedException}) or carries a
     *         low-order key ({@link BadPeerKeyException}); the handshake is then failed for good
     */
    byte[] readMessage(byte[] message) throws CryptoException;

    boolean isComplete();

    /** A copy of the peer's static key, or {@code null} while not yet known. */
    byte[] remoteStaticKey();

    /** A copy of the current handshake hash h; after completion it identifies the session. */
    byte[] handshakeHash();

    /**
     * The transport secrets after completion (Noise Split) with the final handshake hash. Wipes the
     * handshake's own secrets; can be called once.
     *
     * @throws IllegalStateException if the handshake is not complete or was already split
     */
    TransportKeys split();

    /** Wipes every secret of the handshake. */
    @Override
    void close();
}
