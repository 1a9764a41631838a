package jarvis.crypto;

import java.util.Objects;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** HKDF (RFC 5869, extract then expand) over SHA-256, SHA-384 or SHA-512. */
public enum Hkdf {

    SHA256(32),
    SHA384(48),
    SHA512(64);

    private final int hashLength;

    Hkdf(int hashLength) {
        this.hashLength = hashLength;
    }

    /** Output length of the underlying hash in bytes. */
    public int hashLength() {
        return hashLength;
    }

    /** Largest output RFC 5869 allows: 255 hash lengths. */
    public int maxOutputLength() {
        return 255 * hashLength;
    }

    /**
     * Derives {@code length} bytes. A {@code null} or empty salt means HashLen zero bytes, as the RFC says;
     * a {@code null} info means empty.
     *
     * @throws IllegalArgumentException if {@code length} is negative or above {@link #maxOutputLength()}
     */
    public byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        Objects.requireNonNull(ikm, "ikm");
        if (length < 0 || length > maxOutputLength()) {
            throw new IllegalArgumentException("HKDF output length must be 0.." + maxOutputLength() + ", got " + length);
        }
        byte[] out = new byte[length];
        if (length == 0) {
            return out;
        }
        HKDFBytesGenerator generator = new HKDFBytesGenerator(newDigest());
        byte[] effectiveSalt = salt == null || salt.length == 0 ? null : salt;
        generator.init(new HKDFParameters(ikm, effectiveSalt, info == null ? new byte[0] : info));
        generator.generateBytes(out, 0, length);
        return out;
    }

    private Digest newDigest() {
        switch (this) {
            case SHA256:
                return new SHA256Digest();
            case SHA384:
                return new SHA384Digest();
            default:
                return new SHA512Digest();
        }
    }
}
