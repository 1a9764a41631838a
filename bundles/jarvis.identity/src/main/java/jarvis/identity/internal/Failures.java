package jarvis.identity.internal;

import java.nio.file.Path;

import jarvis.api.identity.IdentityException;
import jarvis.api.identity.IdentityException.Reason;

/** The user-facing errors, worded once so that every operation says the same thing. */
final class Failures {

    private Failures() {
    }

    static IdentityException wrongPassword() {
        return new IdentityException(Reason.WRONG_PASSWORD, "wrong password");
    }

    static IdentityException noIdentity() {
        return new IdentityException(Reason.NO_IDENTITY, "no identity");
    }

    static IdentityException alreadyExists() {
        return new IdentityException(Reason.ALREADY_EXISTS, "an identity already exists");
    }

    static IdentityException locked() {
        return new IdentityException(Reason.LOCKED, "identity is locked");
    }

    /** {@code label} names the file kind, e.g. "identity file" or "account export". */
    static IdentityException corrupted(String label, String detail) {
        return new IdentityException(Reason.CORRUPTED, label + " is corrupted: " + detail);
    }

    static IdentityException invalid(String message) {
        return new IdentityException(Reason.INVALID_ARGUMENT, message);
    }

    static IdentityException io(String action, Path file, Exception cause) {
        return new IdentityException(Reason.IO, "cannot " + action + " " + file + ": " + cause.getMessage(), cause);
    }
}
