package jarvis.crypto;

/** Comparisons whose running time does not depend on where secret inputs differ. */
public final class ConstantTime {

    private ConstantTime() {
    }

    /**
     * Whether {@code a} and {@code b} hold the same bytes. The time depends only on the lengths (which are
     * public for tags, keys and fingerprints), never on the position of the first difference.
     */
    public static boolean equals(byte[] a, byte[] b) {
        if (a == null || b == null) {
            return a == b;
        }
        int diff = a.length ^ b.length;
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            diff |= a[i] ^ b[i];
        }
        return diff == 0;
    }

    /** Whether every byte of {@code a} is zero, in time that depends only on its length. */
    public static boolean isAllZero(byte[] a) {
        int acc = 0;
        for (byte x : a) {
            acc |= x;
        }
        return acc == 0;
    }
}
