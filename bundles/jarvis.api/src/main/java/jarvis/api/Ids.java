package jarvis.api;

import java.util.regex.Pattern;

/** Checks of the identifier formats shared by all records (kept here so every bundle agrees). */
public final class Ids {

    private static final Pattern UID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern GROUP_ID = Pattern.compile("g[0-9a-f]{31}");

    private Ids() {
    }

    public static boolean isUid(String s) {
        return s != null && UID.matcher(s).matches();
    }

    /** A group id: {@code g} and 31 lowercase hex characters (the Jarvis 1.x format, so 1.x groups keep theirs). */
    public static boolean isGroupId(String s) {
        return s != null && GROUP_ID.matcher(s).matches();
    }

    /** A conversation is a contact's (its uid) or a group's (its group id). */
    public static boolean isConversationId(String s) {
        return isUid(s) || isGroupId(s);
    }

    public static boolean isFingerprint(String s) {
        return s != null && FINGERPRINT.matcher(s).matches();
    }

    static String requireUid(String s) {
        if (!isUid(s)) {
            throw new IllegalArgumentException("uid must be 32 lowercase hex characters: '" + s + "'");
        }
        return s;
    }

    /** An X25519 public key as 64 lowercase hex characters (same shape as a fingerprint). */
    public static boolean isPublicKey(String s) {
        return isFingerprint(s);
    }

    static String requirePublicKey(String s) {
        if (!isPublicKey(s)) {
            throw new IllegalArgumentException("public key must be 64 lowercase hex characters: '" + s + "'");
        }
        return s;
    }

    static String requireFingerprint(String s) {
        if (!isFingerprint(s)) {
            throw new IllegalArgumentException("fingerprint must be 64 lowercase hex characters: '" + s + "'");
        }
        return s;
    }

    /** The fingerprint as people compare it: 16 groups of 4 hex characters separated by spaces. */
    public static String displayFingerprint(String fingerprint) {
        requireFingerprint(fingerprint);
        StringBuilder b = new StringBuilder(79);
        for (int i = 0; i < 64; i += 4) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(fingerprint, i, i + 4);
        }
        return b.toString();
    }
}
