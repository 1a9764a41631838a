package jarvis.crypto;

/**
 * A peer's X25519 public key is unusable: it has the wrong length or is a low-order point that makes the
 * shared secret all zero (RFC 7748 section 6.1). Treat it as an attack, not as a transient error.
 */
public class BadPeerKeyException extends CryptoException {

    private static final long serialVersionUID = 1L;

    public BadPeerKeyException(String message) {
        super(message);
    }
}
