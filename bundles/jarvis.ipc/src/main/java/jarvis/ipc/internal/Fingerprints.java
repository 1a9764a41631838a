package jarvis.ipc.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import jarvis.api.Ids;

/** SHA-256 of a raw public key, 64 lowercase hex: how Jarvis 1.x and 2 name a key. */
final class Fingerprints {

    private Fingerprints() {
    }

    static String of(String publicKeyHex) {
        try {
            byte[] key = HexFormat.of().parseHex(publicKeyHex);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A fingerprint as users paste it: upper or lower case, in groups separated by spaces or colons. */
    static String normalise(String fingerprint) {
        String compact = fingerprint.replaceAll("[\\s:]", "").toLowerCase(Locale.ROOT);
        return Ids.isFingerprint(compact) ? compact : null;
    }
}
