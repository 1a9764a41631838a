package jarvis.crypto;

import java.security.SecureRandom;
import java.util.Objects;

import javax.security.auth.Destroyable;

import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * An X25519 key pair (RFC 7748) held as raw 32-byte strings: the identity key of a Jarvis user, or a Noise
 * static or ephemeral key. {@link #destroy()} zeroises the private scalar.
 */
public final class X25519KeyPair implements Destroyable {

    /** Length of a private scalar, a public key and a shared secret, in bytes. */
    public static final int KEY_LENGTH = 32;

    private final byte[] privateKey;
    private final byte[] publicKey;
    private volatile boolean destroyed;

    private X25519KeyPair(byte[] privateKey) {
        this.privateKey = privateKey;
        this.publicKey = new byte[KEY_LENGTH];
        X25519.scalarMultBase(privateKey, 0, publicKey, 0);
    }

    /** A fresh key pair from {@code random}. */
    public static X25519KeyPair generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] k = new byte[KEY_LENGTH];
        X25519.generatePrivateKey(random, k);
        return new X25519KeyPair(k);
    }

    /**
     * The key pair of a raw 32-byte private scalar (copied; clamping is applied when it is used, as RFC 7748
     * requires, so any 32 bytes are a valid scalar).
     */
    public static X25519KeyPair fromPrivateKey(byte[] privateKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        if (privateKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an X25519 private key has 32 bytes, got " + privateKey.length);
        }
        return new X25519KeyPair(privateKey.clone());
    }

    /** A copy of the raw 32-byte public key (little-endian u-coordinate). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** A copy of the raw private scalar; the caller wipes it. */
    public byte[] privateKey() {
        checkNotDestroyed();
        return privateKey.clone();
    }

    /** The fingerprint of this pair's public key. */
    public Fingerprint fingerprint() {
        return Fingerprint.of(publicKey);
    }

    /**
     * The raw X25519 shared secret with {@code peerPublicKey}. Non-canonical encodings are accepted as RFC
     * 7748 section 5 requires; a low-order point, which gives an all-zero secret, is refused.
     *
     * @throws BadPeerKeyException if the key is not 32 bytes or the shared secret is all zero
     */
    public byte[] agree(byte[] peerPublicKey) throws BadPeerKeyException {
        checkNotDestroyed();
        return agree(privateKey, peerPublicKey);
    }

    /** X25519 of a raw scalar and a raw u-coordinate, with the all-zero check. */
    static byte[] agree(byte[] scalar, byte[] peerPublicKey) throws BadPeerKeyException {
        if (peerPublicKey == null || peerPublicKey.length != KEY_LENGTH) {
            throw new BadPeerKeyException("an X25519 public key has 32 bytes");
        }
        byte[] shared = new byte[KEY_LENGTH];
        X25519.scalarMult(scalar, 0, peerPublicKey, 0, shared, 0);
        if (ConstantTime.isAllZero(shared)) {
            throw new BadPeerKeyException("peer public key is a low-order point (all-zero X25519 shared secret)");
        }
        return shared;
    }

    @Override
    public void destroy() {
        destroyed = true;
        Secrets.wipe(privateKey);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    private void checkNotDestroyed() {
        if (destroyed) {
            throw new IllegalStateException("key pair destroyed");
        }
    }

    @Override
    public String toString() {
        return "X25519KeyPair[" + Fingerprint.of(publicKey).hex() + "]";
    }
}
