package jarvis.api.identity;

import java.nio.file.Path;
import java.util.Optional;

import jarvis.api.IdentitySummary;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The local identity (account) of the daemon, stored encrypted under a password in the data directory.
 *
 * <p><b>Blocking.</b> Every method that takes a password runs Argon2id (64 MiB, about 0.2 to 0.5 s; twice
 * for a password change, an export or an import): never call them on an event-loop thread.
 *
 * <p><b>Passwords</b> are {@code char[]} and are wiped (filled with zeros) by the service before the method
 * returns, whether it succeeds or not; they are never logged or turned into a String. A failed operation
 * changes nothing on disk or in memory.
 */
@ProviderType
public interface IdentityService {

    /** The current state, and the summary when known. Never blocks on a running operation. */
    IdentityStatus status();

    /** The key handle while unlocked, empty otherwise. */
    Optional<UnlockedIdentity> unlocked();

    /**
     * Creates a new identity (random uid, fresh X25519 key pair) protected by {@code password} and leaves it
     * unlocked.
     *
     * @param username 1 to 64 characters, no control characters, not blank
     * @throws IdentityException ALREADY_EXISTS, INVALID_ARGUMENT (empty password, bad name) or IO
     */
    IdentitySummary create(String username, char[] password) throws IdentityException;

    /**
     * Unlocks the identity. Unlocking an unlocked identity checks the password and changes nothing.
     *
     * @throws IdentityException NO_IDENTITY, WRONG_PASSWORD, CORRUPTED or IO
     */
    IdentitySummary unlock(char[] password) throws IdentityException;

    /** Wipes the keys from memory; handles given out stop working. Locking a locked identity does nothing. */
    void lock();

    /**
     * Changes the password: only the wrapped master key is rewritten (fast, the store is not re-encrypted).
     * Works locked or unlocked and leaves that state as it was.
     *
     * @throws IdentityException NO_IDENTITY, WRONG_PASSWORD (old), INVALID_ARGUMENT (empty new), CORRUPTED, IO
     */
    void changePassword(char[] oldPassword, char[] newPassword) throws IdentityException;

    /**
     * Writes the account, private key included, to a new file {@code target}, encrypted under
     * {@code password}, which must be the account password (so an unattended unlocked console cannot export
     * the keys under a password of its own). The file is created with mode 0600 and never overwrites.
     *
     * @throws IdentityException NO_IDENTITY, WRONG_PASSWORD, INVALID_ARGUMENT (target exists), CORRUPTED, IO
     */
    void exportAccount(Path target, char[] password) throws IdentityException;

    /**
     * Restores an account written by {@link #exportAccount}; the export's password becomes the account
     * password. The identity is left unlocked.
     *
     * @throws IdentityException ALREADY_EXISTS, WRONG_PASSWORD, CORRUPTED (not an export, modified), IO
     */
    IdentitySummary importAccount(Path source, char[] password) throws IdentityException;

    /**
     * Imports a Jarvis 1.x {@code identity.enc}: same uid, user name, key pair and fingerprint. Its password
     * becomes the account password; the 1.x file is only read. The identity is left unlocked.
     *
     * @throws IdentityException ALREADY_EXISTS, WRONG_PASSWORD, CORRUPTED (not a 1.x identity), IO
     */
    IdentitySummary importLegacy(Path jarvis1IdentityEnc, char[] password) throws IdentityException;

    /**
     * Deletes the identity after checking the password: the keys are wiped from memory and the identity file
     * removed. With the only copy of the wrapped master key gone, whatever was encrypted under keys derived
     * from it can no longer be read.
     *
     * @throws IdentityException NO_IDENTITY, WRONG_PASSWORD, CORRUPTED or IO
     */
    void delete(char[] password) throws IdentityException;
}
