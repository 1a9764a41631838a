package jarvis.api.account;

/** Why an account export, import or deletion was refused; nothing was changed on disk when it is thrown. */
public class AccountException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The stable part of a failure, for programs (the message is for people). */
    public enum Reason {
        /** An identity exists already: imports go into a data directory without one. */
        ALREADY_EXISTS,
        /** There is no identity to export or delete. */
        NO_IDENTITY,
        /** The account is locked: an export needs the store, which is open only while unlocked. */
        LOCKED,
        /** The password does not open the file or the account. */
        WRONG_PASSWORD,
        /** The file is not an account file or a 1.x file, or it was truncated or modified. */
        CORRUPTED,
        /** The file was written by a different schema of the data than this daemon has. */
        INCOMPATIBLE,
        /** A bad argument: a relative or existing target, a missing source. */
        INVALID_ARGUMENT,
        /** Reading or writing a file failed, or the store did not open in time. */
        IO
    }

    private final Reason reason;

    public AccountException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public AccountException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
