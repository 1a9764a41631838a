package jarvis.api.identity;

import java.util.Objects;

/**
 * An identity operation failed; the message is meant for the user (it never contains a password or key
 * material) and {@link #reason()} lets a frontend react without parsing it.
 */
public class IdentityException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why an operation failed. */
    public enum Reason {
        /** "wrong password": the password does not open the file. Nothing was changed. */
        WRONG_PASSWORD,
        /** "no identity": there is nothing to unlock, change, export or delete. */
        NO_IDENTITY,
        /** "an identity already exists": create and import never overwrite an identity. */
        ALREADY_EXISTS,
        /** "identity is locked": key material was asked for while the keys are not in memory. */
        LOCKED,
        /** "identity file is corrupted: ...": a file is truncated, modified or not a Jarvis file. */
        CORRUPTED,
        /** A bad argument: empty password, unusable user name, target file already exists, bad peer key. */
        INVALID_ARGUMENT,
        /** The file system failed (permissions, disk full); the message names the file. */
        IO
    }

    private final Reason reason;

    public IdentityException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public IdentityException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
