package jarvis.crypto;

import jarvis.crypto.internal.Hex;

import java.util.Objects;

import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The SHA-256 of a raw 32-byte X25519 public key, as in Jarvis 1.x. Its canonical text is 64 lowercase hex
 * characters; its display form splits them into 16 groups of 4 separated by single spaces (79 characters).
 * Equality is constant-time.
 */
public final class Fingerprint {

    /** Length of the digest in bytes. */
    public static final int LENGTH = 32;

    private final byte[] digest;

    private Fingerprint(byte[] digest) {
        this.digest = digest;
    }

    /** The fingerprint of a raw 32-byte X25519 public key. */
    public static Fingerprint of(byte[] publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.length != X25519KeyPair.KEY_LENGTH) {
            throw new IllegalArgumentException("an X25519 public key has 32 bytes, got " + publicKey.length);
        }
        SHA256Digest sha = new SHA256Digest();
        sha.update(publicKey, 0, publicKey.length);
        byte[] out = new byte[LENGTH];
        sha.doFinal(out, 0);
        return new Fingerprint(out);
    }

    /**
     * Parses the canonical 64-hex form or the display form (groups separated by single spaces). Upper-case
     * hex is accepted and normalised; anything else is refused.
     */
    public static Fingerprint parse(String text) throws CryptoException {
        Objects.requireNonNull(text, "text");
        if (text.length() > 200) {
            throw new CryptoException("fingerprint text too long");
        }
        String compact = text.length() == 79 ? fromDisplayForm(text) : text;
        if (compact.length() != 2 * LENGTH) {
            throw new CryptoException("a fingerprint has 64 hex characters");
        }
        byte[] bytes = Hex.decode(compact);
        if (bytes == null) {
            throw new CryptoException("a fingerprint is hexadecimal");
        }
        return new Fingerprint(bytes);
    }

    private static String fromDisplayForm(String text) throws CryptoException {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (i % 5 == 4) {
                if (c != ' ') {
                    throw new CryptoException("fingerprint display form is groups of 4 separated by single spaces");
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Whether this is the fingerprint of {@code publicKey} (constant-time). */
    public boolean matches(byte[] publicKey) {
        return publicKey != null && publicKey.length == X25519KeyPair.KEY_LENGTH && equals(of(publicKey));
    }

    /** A copy of the 32 digest bytes. */
    public byte[] bytes() {
        return digest.clone();
    }

    /** 64 lowercase hex characters, the form Jarvis 1.x stores and copies. */
    public String hex() {
        return Hex.encode(digest);
    }

    /** 16 groups of 4 lowercase hex characters separated by single spaces. */
    public String displayForm() {
        String hex = hex();
        StringBuilder sb = new StringBuilder(79);
        for (int i = 0; i < hex.length(); i += 4) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(hex, i, i + 4);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint && ConstantTime.equals(digest, ((Fingerprint) o).digest);
    }

    @Override
    public int hashCode() {
        return (digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff);
    }

    @Override
    public String toString() {
        return hex();
    }
}
