package jarvis.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import jarvis.crypto.X25519KeyPair;

/**
 * The simulated peers' identities, derived from a seed and an index so that the daemon process and the load
 * driver process agree on them without exchanging 10,000 keys: private key i = SHA-256("jarvis-bench key"
 * ‖ seed ‖ i), uid i = hex of the first 16 bytes of SHA-256("jarvis-bench uid" ‖ seed ‖ i). Benchmark
 * identities only.
 */
final class BenchKeys {

    private static final HexFormat HEX = HexFormat.of();

    private BenchKeys() {
    }

    static X25519KeyPair key(long seed, int index) {
        byte[] secret = digest("jarvis-bench key", seed, index);
        try {
            return X25519KeyPair.fromPrivateKey(secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    static String uid(long seed, int index) {
        return HEX.formatHex(Arrays.copyOf(digest("jarvis-bench uid", seed, index), 16));
    }

    static String username(int index) {
        return "sim-" + index;
    }

    private static byte[] digest(String label, long seed, int index) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(label.getBytes(StandardCharsets.US_ASCII));
            sha.update(ByteBuffer.allocate(12).putLong(seed).putInt(index).array());
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
