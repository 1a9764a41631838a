package jarvis.crypto;

import java.util.Arrays;

/**
 * Zeroising helpers: overwrite key material as soon as it is no longer needed so that it does not linger on
 * the heap (best effort; the JVM may have copied it before).
 */
public final class Secrets {

    private Secrets() {
    }

    /** Overwrites every given array with zeros; {@code null} entries are ignored. */
    public static void wipe(byte[]... secrets) {
        for (byte[] s : secrets) {
            if (s != null) {
                Arrays.fill(s, (byte) 0);
            }
        }
    }

    /** Overwrites a password held as characters. */
    public static void wipe(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }
}
