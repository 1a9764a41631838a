package jarvis.tui.internal;

/**
 * A hint while a new password is typed. Length counts most (the key is stretched with Argon2id, so a
 * long phrase of common words beats a short string of symbols); variety of character classes adds a
 * little. It only advises: the daemon decides what it accepts.
 */
public enum PasswordStrength {
    EMPTY(""),
    WEAK("weak: use at least 12 characters, a phrase of words works well"),
    FAIR("fair: longer is stronger"),
    STRONG("strong"),
    VERY_STRONG("very strong");

    private final String hint;

    PasswordStrength(String hint) {
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }

    public static PasswordStrength of(char[] password, int length) {
        if (length == 0) {
            return EMPTY;
        }
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean other = false;
        int distinct = 0;
        boolean[] seen = new boolean[65536];
        for (int i = 0; i < length; i++) {
            char c = password[i];
            lower |= Character.isLowerCase(c);
            upper |= Character.isUpperCase(c);
            digit |= Character.isDigit(c);
            other |= !Character.isLetterOrDigit(c);
            if (!seen[c]) {
                seen[c] = true;
                distinct++;
            }
        }
        int classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
        if (length < 8 || distinct < 4) {
            return WEAK;
        }
        int score = length + 2 * classes;
        if (score >= 24) {
            return VERY_STRONG;
        }
        if (score >= 18) {
            return STRONG;
        }
        return length >= 12 ? STRONG : FAIR;
    }
}
