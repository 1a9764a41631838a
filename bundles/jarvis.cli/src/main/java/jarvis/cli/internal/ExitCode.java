package jarvis.cli.internal;

/** The exit codes scripts may rely on (docs/cli.md). They never change meaning once released. */
public final class ExitCode {

    /** Done. */
    public static final int OK = 0;
    /** Any other failure: the daemon refused, a timeout, an I/O error. */
    public static final int ERROR = 1;
    /** Bad command line: unknown command or option, missing argument. */
    public static final int USAGE = 2;
    /** No daemon answers for the data directory. */
    public static final int NOT_RUNNING = 3;
    /** The identity is locked or does not exist yet, so the command cannot run. */
    public static final int LOCKED = 4;
    /** The contact (or, for unlock, the identity) does not exist. */
    public static final int NOT_FOUND = 5;
    /** The password was wrong. */
    public static final int WRONG_PASSWORD = 6;

    private ExitCode() {
    }
}
