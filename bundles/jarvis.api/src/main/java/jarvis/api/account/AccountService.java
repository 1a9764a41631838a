package jarvis.api.account;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The account as a whole: export to one encrypted file and import it into a fresh data directory, migrate a Jarvis
 * 1.x data directory, delete everything.
 *
 * <p><b>Blocking.</b> Every method runs Argon2id several times (about 0.3 s each) and copies the whole history:
 * never call them on an event-loop thread. Passwords are wiped before the methods return.
 *
 * <p><b>All or nothing.</b> A refused import leaves the data directory as it was: every file is read and checked
 * before anything is written, and a failure while writing removes what was written.
 */
@ProviderType
public interface AccountService {

    /**
     * Writes identity, contacts, groups and the whole message history to a new file {@code target}, encrypted under
     * {@code password}, which must be the account password. The account must be unlocked (the data is in the store,
     * open only then). The file is created with mode 0600 and never overwrites.
     *
     * @throws AccountException NO_IDENTITY, LOCKED, WRONG_PASSWORD, INVALID_ARGUMENT (target exists or is relative),
     *                          IO
     */
    AccountReport exportAccount(Path target, char[] password) throws AccountException;

    /**
     * Restores an account file written by {@link #exportAccount} (or an identity-only export of the identity
     * service) into this data directory, which must not have an identity. The file's password becomes the account
     * password; the account is left unlocked.
     *
     * @throws AccountException ALREADY_EXISTS, WRONG_PASSWORD, CORRUPTED, INCOMPATIBLE, INVALID_ARGUMENT, IO
     */
    AccountReport importAccount(Path source, char[] password) throws AccountException;

    /**
     * Migrates a Jarvis 1.x data directory (or its {@code identity.enc}; the other files are taken from the same
     * directory): identity with its uid, user name, key and fingerprint, contacts, groups and messages. The 1.x files
     * are only read. Refused when an identity exists, so running it twice changes nothing the second time. The 1.x
     * password becomes the account password; the account is left unlocked.
     *
     * @throws AccountException ALREADY_EXISTS, WRONG_PASSWORD, CORRUPTED (a malformed 1.x file, named),
     *                          INVALID_ARGUMENT, IO
     */
    AccountReport importLegacy(Path jarvis1, char[] password) throws AccountException;

    /**
     * Deletes the account after checking the password: the identity file (with the only copy of the wrapped master
     * key), the store and every file the account left in the data directory; the keys are wiped from memory.
     *
     * @throws AccountException NO_IDENTITY, WRONG_PASSWORD, IO
     */
    void deleteAccount(char[] password) throws AccountException;
}
