package jarvis.tui.internal;

/** Fingerprints as people compare them: lowercase hex in groups of four. */
public final class Fingerprints {

    private Fingerprints() {
    }

    public static String grouped(String hex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            b.append(i > 0 ? " " : "").append(hex, i, Math.min(hex.length(), i + 4));
        }
        return b.toString();
    }
}
