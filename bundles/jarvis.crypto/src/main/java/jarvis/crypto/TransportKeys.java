package jarvis.crypto;

import java.util.Objects;

import javax.security.auth.Destroyable;

/**
 * What a completed handshake hands to the record layer: one 32-byte secret per direction (Noise
 * {@code Split()}'s two keys) and the 32-byte handshake hash that the record keys are bound to.
 * {@link #destroy()} zeroises the secrets; {@link FiveLayerCipher#create} takes its own copies.
 */
public final class TransportKeys implements Destroyable {

    /** Length of each secret and of the handshake hash, in bytes. */
    public static final int LENGTH = 32;

    private final byte[] initiatorToResponder;
    private final byte[] responderToInitiator;
    private final byte[] handshakeHash;
    private volatile boolean destroyed;

    private TransportKeys(byte[] initiatorToResponder, byte[] responderToInitiator, byte[] handshakeHash) {
        this.initiatorToResponder = initiatorToResponder;
        this.responderToInitiator = responderToInitiator;
        this.handshakeHash = handshakeHash;
    }

    /** Copies the three 32-byte values; the two secrets must differ. */
    public static TransportKeys of(byte[] initiatorToResponder, byte[] responderToInitiator, byte[] handshakeHash) {
        check(initiatorToResponder, "initiatorToResponder");
        check(responderToInitiator, "responderToInitiator");
        check(handshakeHash, "handshakeHash");
        if (ConstantTime.equals(initiatorToResponder, responderToInitiator)) {
            throw new IllegalArgumentException("the two direction secrets must differ");
        }
        return new TransportKeys(initiatorToResponder.clone(), responderToInitiator.clone(), handshakeHash.clone());
    }

    private static void check(byte[] value, String name) {
        Objects.requireNonNull(value, name);
        if (value.length != LENGTH) {
            throw new IllegalArgumentException(name + " must be 32 bytes, got " + value.length);
        }
    }

    /** Copy of the secret for records sent by the initiator. */
    public byte[] initiatorToResponder() {
        checkNotDestroyed();
        return initiatorToResponder.clone();
    }

    /** Copy of the secret for records sent by the responder. */
    public byte[] responderToInitiator() {
        checkNotDestroyed();
        return responderToInitiator.clone();
    }

    /**
     * Copy of the handshake hash: public to the two peers, unique to the session; usable as a channel
     * binding (for example to compare safety numbers).
     */
    public byte[] handshakeHash() {
        return handshakeHash.clone();
    }

    @Override
    public void destroy() {
        destroyed = true;
        Secrets.wipe(initiatorToResponder, responderToInitiator);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    private void checkNotDestroyed() {
        if (destroyed) {
            throw new IllegalStateException("transport keys destroyed");
        }
    }

    @Override
    public String toString() {
        return "TransportKeys[secrets hidden]";
    }
}
