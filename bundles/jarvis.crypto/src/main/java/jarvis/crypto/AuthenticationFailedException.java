package jarvis.crypto;

/**
 * An authentication tag did not verify: the message was forged or modified, or the key (or password) is
 * wrong. Nothing about the plaintext is revealed.
 */
public class AuthenticationFailedException extends CryptoException {

    private static final long serialVersionUID = 1L;

    public AuthenticationFailedException(String message) {
        super(message);
    }

    public AuthenticationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
