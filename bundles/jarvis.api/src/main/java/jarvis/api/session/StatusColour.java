package jarvis.api.session;

/**
 * The status indicator Jarvis users know from 1.x: green when every contact of a set is online,
 * amber when some are, red when none are, grey when the daemon itself is unreachable (frontends use
 * grey; the daemon never reports it about itself).
 */
public enum StatusColour {
    GREEN, AMBER, RED, GREY;

    /** The colour of a set with {@code online} of {@code total} contacts online; an empty set is red. */
    public static StatusColour of(int online, int total) {
        if (total <= 0 || online <= 0) {
            return RED;
        }
        return online >= total ? GREEN : AMBER;
    }
}
