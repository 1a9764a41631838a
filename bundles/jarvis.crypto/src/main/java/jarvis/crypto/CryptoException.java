package jarvis.crypto;

/**
 * A cryptographic operation failed because of its input: a forged or tampered message, a replayed record,
 * a malformed or oversized message, a bad peer key, a wrong password, or exhausted keys. Never carries
 * secret material in its message.
 */
public class CryptoException extends Exception {

    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
