package jarvis.crypto;

import java.util.Objects;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** HMAC-SHA-256 (RFC 2104) with full 32-byte tags. */
public final class HmacSha256 {

    /** Tag length in bytes. */
    public static final int TAG_LENGTH = 32;

    private HmacSha256() {
    }

    /** The 32-byte tag of {@code message} under {@code key} (any key length). */
    public static byte[] compute(byte[] key, byte[] message) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        mac.update(message, 0, message.length);
        byte[] out = new byte[TAG_LENGTH];
        mac.doFinal(out, 0);
        return out;
    }

    /**
     * Whether {@code tag} is the full 32-byte tag of {@code message}, compared in constant time. Truncated
     * tags are refused: Jarvis never sends them.
     */
    public static boolean verify(byte[] key, byte[] message, byte[] tag) {
        if (tag == null || tag.length != TAG_LENGTH) {
            return false;
        }
        byte[] expected = compute(key, message);
        try {
            return ConstantTime.equals(expected, tag);
        } finally {
            Secrets.wipe(expected);
        }
    }
}
