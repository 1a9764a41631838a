package jarvis.crypto;

import java.util.Objects;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The two AEADs Jarvis uses, both with a 32-byte key, a 12-byte nonce and a 16-byte tag appended to the
 * ciphertext (the layout of Python {@code cryptography} and of Java's JCA). Other key or nonce sizes are
 * refused on purpose: they are never needed and some (short GCM nonces) are dangerous.
 *
 * <p>The caller owns nonce uniqueness: a nonce must never be used twice with the same key.
 */
public enum Aead {

    /** AES-256 in GCM mode (NIST SP 800-38D). */
    AES_256_GCM("AESGCM"),

    /** ChaCha20-Poly1305 (RFC 8439). */
    CHACHA20_POLY1305("ChaChaPoly");

    /** Key length in bytes. */
    public static final int KEY_LENGTH = 32;
    /** Nonce length in bytes. */
    public static final int NONCE_LENGTH = 12;
    /** Tag length in bytes. */
    public static final int TAG_LENGTH = 16;

    private final String noiseName;

    Aead(String noiseName) {
        this.noiseName = noiseName;
    }

    /** The cipher's name in a Noise protocol name ({@code AESGCM} or {@code ChaChaPoly}). */
    public String noiseName() {
        return noiseName;
    }

    /**
     * Encrypts and authenticates {@code plaintext}, and authenticates {@code associatedData} (may be
     * {@code null} for none). Returns ciphertext followed by the 16-byte tag.
     */
    public byte[] seal(byte[] key, byte[] nonce, byte[] associatedData, byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        checkKeyAndNonce(key, nonce);
        AEADCipher cipher = newCipher(true, key, nonce, associatedData);
        byte[] out = new byte[cipher.getOutputSize(plaintext.length)];
        int n = cipher.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            cipher.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            // Encryption never checks a tag; reaching this is a bug in the engine.
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * Verifies and decrypts {@code ciphertext} (ciphertext followed by the tag). Nothing is returned unless
     * the tag verifies.
     *
     * @throws AuthenticationFailedException if the tag does not verify, the input is shorter than a tag,
     *         or the key or nonce has the wrong length
     */
    public byte[] open(byte[] key, byte[] nonce, byte[] associatedData, byte[] ciphertext)
            throws AuthenticationFailedException {
        if (key == null || key.length != KEY_LENGTH) {
            throw new AuthenticationFailedException(this + " needs a 32-byte key");
        }
        if (nonce == null || nonce.length != NONCE_LENGTH) {
            throw new AuthenticationFailedException(this + " needs a 12-byte nonce");
        }
        if (ciphertext == null || ciphertext.length < TAG_LENGTH) {
            throw new AuthenticationFailedException("ciphertext shorter than the tag");
        }
        AEADCipher cipher = newCipher(false, key, nonce, associatedData);
        byte[] out = new byte[cipher.getOutputSize(ciphertext.length)];
        try {
            int n = cipher.processBytes(ciphertext, 0, ciphertext.length, out, 0);
            cipher.doFinal(out, n);
            return out;
        } catch (InvalidCipherTextException | RuntimeException e) {
            Secrets.wipe(out);
            throw new AuthenticationFailedException(this + " authentication failed");
        }
    }

    private void checkKeyAndNonce(byte[] key, byte[] nonce) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException(this + " needs a 32-byte key");
        }
        if (nonce == null || nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException(this + " needs a 12-byte nonce");
        }
    }

    private AEADCipher newCipher(boolean encrypt, byte[] key, byte[] nonce, byte[] associatedData) {
        AEADCipher cipher = this == AES_256_GCM
                ? GCMBlockCipher.newInstance(AESEngine.newInstance())
                : new ChaCha20Poly1305();
        cipher.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, associatedData));
        return cipher;
    }
}
