package jarvis.crypto.internal;

import jarvis.crypto.Aead;
import jarvis.crypto.CryptoException;
import jarvis.crypto.Secrets;

/** Noise CipherState (rev 34 section 5.1): a key (or none) and a 64-bit nonce counter. */
public final class CipherState {

    /** 2^64 - 1 is reserved by the spec; as a Java long it is -1. */
    private static final long RESERVED_NONCE = -1L;

    private final Aead cipher;
    private byte[] key;
    private long nonce;

    public CipherState(Aead cipher) {
        this.cipher = cipher;
    }

    /** A CipherState holding {@code key} (copied) with nonce 0. */
    public CipherState(Aead cipher, byte[] key) {
        this(cipher);
        initializeKey(key);
    }

    public void initializeKey(byte[] newKey) {
        Secrets.wipe(key);
        key = newKey == null ? null : newKey.clone();
        nonce = 0;
    }

    public boolean hasKey() {
        return key != null;
    }

    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws CryptoException {
        if (key == null) {
            return plaintext.clone();
        }
        checkNonce();
        byte[] out = cipher.seal(key, nonceBytes(), ad, plaintext);
        nonce++;
        return out;
    }

    /** The nonce advances only when the tag verifies, as the spec requires. */
    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws CryptoException {
        if (key == null) {
            return ciphertext.clone();
        }
        checkNonce();
        byte[] out = cipher.open(key, nonceBytes(), ad, ciphertext);
        nonce++;
        return out;
    }

    private void checkNonce() throws CryptoException {
        if (nonce == RESERVED_NONCE) {
            throw new CryptoException("Noise nonce exhausted");
        }
    }

    /** 32 zero bits, then the counter: little-endian for ChaChaPoly, big-endian for AESGCM (section 12). */
    private byte[] nonceBytes() {
        byte[] n = new byte[Aead.NONCE_LENGTH];
        if (cipher == Aead.CHACHA20_POLY1305) {
            Bytes.writeUint64LittleEndian(n, 4, nonce);
        } else {
            Bytes.writeUint64(n, 4, nonce);
        }
        return n;
    }

    /** For tests that start near the nonce limit. */
    void setNonce(long value) {
        nonce = value;
    }

    public void wipe() {
        Secrets.wipe(key);
        key = null;
    }

}
