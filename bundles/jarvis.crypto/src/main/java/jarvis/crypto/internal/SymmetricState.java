package jarvis.crypto.internal;

import jarvis.crypto.Aead;
import jarvis.crypto.CryptoException;
import jarvis.crypto.Hkdf;
import jarvis.crypto.Secrets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.crypto.digests.SHA256Digest;

/** Noise SymmetricState (rev 34 section 5.2) with SHA256: chaining key, handshake hash and a CipherState. */
public final class SymmetricState {

    static final int HASH_LENGTH = 32;

    private final Aead cipher;
    private final CipherState cipherState;
    private byte[] ck;
    private byte[] h;

    public SymmetricState(String protocolName, Aead cipher) {
        this.cipher = cipher;
        this.cipherState = new CipherState(cipher);
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= HASH_LENGTH ? Arrays.copyOf(name, HASH_LENGTH) : hash(name);
        ck = h.clone();
    }

    public void mixKey(byte[] ikm) {
        byte[] out = Hkdf.SHA256.derive(ck, ikm, null, 2 * HASH_LENGTH);
        Secrets.wipe(ck);
        ck = Arrays.copyOfRange(out, 0, HASH_LENGTH);
        byte[] tempK = Arrays.copyOfRange(out, HASH_LENGTH, 2 * HASH_LENGTH);
        cipherState.initializeKey(tempK);
        Secrets.wipe(out, tempK);
    }

    public void mixHash(byte[] data) {
        SHA256Digest sha = new SHA256Digest();
        sha.update(h, 0, h.length);
        sha.update(data, 0, data.length);
        sha.doFinal(h, 0);
    }

    /** Used by PSK patterns; kept so the state machine is the whole of section 5.2. */
    public void mixKeyAndHash(byte[] ikm) {
        byte[] out = Hkdf.SHA256.derive(ck, ikm, null, 3 * HASH_LENGTH);
        Secrets.wipe(ck);
        ck = Arrays.copyOfRange(out, 0, HASH_LENGTH);
        mixHash(Arrays.copyOfRange(out, HASH_LENGTH, 2 * HASH_LENGTH));
        byte[] tempK = Arrays.copyOfRange(out, 2 * HASH_LENGTH, 3 * HASH_LENGTH);
        cipherState.initializeKey(tempK);
        Secrets.wipe(out, tempK);
    }

    public byte[] handshakeHash() {
        return h.clone();
    }

    public boolean hasKey() {
        return cipherState.hasKey();
    }

    public byte[] encryptAndHash(byte[] plaintext) throws CryptoException {
        byte[] ciphertext = cipherState.encryptWithAd(h, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    public byte[] decryptAndHash(byte[] ciphertext) throws CryptoException {
        byte[] plaintext = cipherState.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return plaintext;
    }

    /** The two transport keys: the first for initiator to responder, the second for the other direction. */
    public byte[][] split() {
        byte[] out = Hkdf.SHA256.derive(ck, new byte[0], null, 2 * HASH_LENGTH);
        byte[][] keys = {Arrays.copyOfRange(out, 0, HASH_LENGTH), Arrays.copyOfRange(out, HASH_LENGTH, 2 * HASH_LENGTH)};
        Secrets.wipe(out);
        return keys;
    }

    public Aead cipher() {
        return cipher;
    }

    public void wipe() {
        Secrets.wipe(ck);
        cipherState.wipe();
    }

    static byte[] hash(byte[] data) {
        SHA256Digest sha = new SHA256Digest();
        sha.update(data, 0, data.length);
        byte[] out = new byte[HASH_LENGTH];
        sha.doFinal(out, 0);
        return out;
    }
}
