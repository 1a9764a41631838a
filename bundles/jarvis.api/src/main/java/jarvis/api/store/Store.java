package jarvis.api.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The account's database. Registered as a service only while it is open (the identity is
 * unlocked), so a component with a mandatory reference to it runs exactly while the data can be
 * read; a holder that keeps it past its unregistration gets {@link StoreException}s.
 */
@ProviderType
public interface Store {

    /** Work done with one JDBC connection; the connection must not escape the call. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction and commits it durably: when this returns, the change
     * survives a crash of the process. Rolled back if {@code work} throws.
     */
    <T> T write(Work<T> work) throws StoreException;

    /** Runs read-only {@code work}. */
    <T> T read(Work<T> work) throws StoreException;

    /**
     * Brings a module's tables up to date: runs the scripts after the module's recorded version,
     * in order, each in its own transaction, and records the new version. Script {@code i}
     * (0-based) takes the schema to version {@code i + 1}; scripts are never edited once shipped.
     *
     * @param module a stable name, for example {@code contacts}
     * @return the module's schema version now
     * @throws StoreException if a script fails (the module stays at the last good version) or the
     *                        database is newer than the scripts (a downgrade)
     */
    int migrate(String module, List<String> scripts) throws StoreException;
}
