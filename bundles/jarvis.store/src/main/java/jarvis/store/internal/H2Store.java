package jarvis.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import jarvis.api.store.Store;
import jarvis.api.store.StoreException;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The account's H2 database file, encrypted with H2's file cipher under a key derived from the
 * identity's store key. Commits are written through at once ({@code WRITE_DELAY=0}), so a
 * committed change survives the process being killed.
 */
public final class H2Store implements Store {

    static final String FILE_NAME = "jarvis";
    private static final int MAX_CONNECTIONS = 4;
    private static final Pattern MODULE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** H2's codes for a database that this process can no longer use as it is: closed under us, or still held. */
    private static final int DATABASE_IS_CLOSED = 90098;
    private static final int DATABASE_ALREADY_OPEN = 90020;
    private static final int DATABASE_CALLED_AT_SHUTDOWN = 90121;
    private static final int REOPEN_ATTEMPTS = 6;

    private final JdbcDataSource source;
    private final char[] password;
    private volatile JdbcConnectionPool pool;
    private volatile boolean closed;

    private H2Store(JdbcDataSource source, char[] password) {
        this.source = source;
        this.password = password;
        this.pool = newPool(source);
    }

    private static JdbcConnectionPool newPool(JdbcDataSource source) {
        JdbcConnectionPool pool = JdbcConnectionPool.create(source);
        pool.setMaxConnections(MAX_CONNECTIONS);
        return pool;
    }

    /**
     * Opens (creating if needed) the database in {@code dir}. The pool needs the password for every
     * new connection, so it is kept as a char array and wiped at {@link #close()}.
     */
    public static H2Store open(Path dir, byte[] storeKey) throws StoreException {
        JdbcDataSource source = new JdbcDataSource();
        source.setURL("jdbc:h2:file:" + dir.resolve(FILE_NAME).toAbsolutePath()
                + ";CIPHER=AES;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;AUTO_SERVER=FALSE");
        source.setUser("jarvis");
        // H2 takes "<file password> <user password>"; the file password is the hex store key.
        char[] password = new char[storeKey.length * 2 + 1 + 6];
        for (int i = 0; i < storeKey.length; i++) {
            password[2 * i] = HEX[(storeKey[i] >> 4) & 0xF];
            password[2 * i + 1] = HEX[storeKey[i] & 0xF];
        }
        password[storeKey.length * 2] = ' ';
        "jarvis".getChars(0, 6, password, storeKey.length * 2 + 1);
        source.setPasswordChars(password);
        H2Store store = new H2Store(source, password);
        try (Connection c = store.pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS jarvis_schema (module VARCHAR(64) PRIMARY KEY, version INT NOT NULL)");
        } catch (SQLException e) {
            store.close();
            throw new StoreException(describe("cannot open the store", e), e);
        }
        return store;
    }

    /** Turns H2's messages into ones a user can act on. */
    static String describe(String what, SQLException e) {
        if (diskFull(e)) {
            return what + ": the disk is full (no space left on the device of the data directory); nothing was saved";
        }
        int code = e.getErrorCode();
        if (code == 28000 || code == 90049) { // wrong user/password, wrong file encryption key
            return what + ": the database key does not match (is this the account's own store?)";
        }
        if (code == 90030) {
            return what + ": the database file is corrupted: " + e.getMessage();
        }
        if (code == 90020) {
            return what + ": the database is in use by another process";
        }
        return what + ": " + e.getMessage();
    }

    /** H2 wraps the file system's refusal (ENOSPC) a few causes deep, in its own words around it. */
    static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public <T> T write(Work<T> work) throws StoreException {
        Connection c = connection();
        SQLException failed = null;
        try {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    // A database closed under us cannot roll back; the first failure is the one to report.
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            failed = e;
            throw new StoreException(describe("store write failed", e), e);
        } finally {
            release(c);
            recycleIfBroken(failed);
        }
    }

    @Override
    public <T> T read(Work<T> work) throws StoreException {
        Connection c = connection();
        SQLException failed = null;
        try {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            failed = e;
            throw new StoreException(describe("store read failed", e), e);
        } finally {
            release(c);
            recycleIfBroken(failed);
        }
    }

    @Override
    public int migrate(String module, List<String> scripts) throws StoreException {
        if (module == null || !MODULE.matcher(module).matches()) {
            throw new IllegalArgumentException("invalid module name: " + module);
        }
        int version = read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT version FROM jarvis_schema WHERE module = ?")) {
                q.setString(1, module);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? r.getInt(1) : 0;
                }
            }
        });
        if (version > scripts.size()) {
            throw new StoreException("the stored schema of " + module + " is version " + version
                    + ", newer than this version of Jarvis knows (" + scripts.size() + "); refusing to downgrade");
        }
        for (int i = version; i < scripts.size(); i++) {
            int next = i + 1;
            String script = scripts.get(i);
            write(c -> {
                try (Statement s = c.createStatement()) {
                    for (String statement : statements(script)) {
                        s.execute(statement);
                    }
                }
                try (PreparedStatement u = c.prepareStatement("MERGE INTO jarvis_schema KEY (module) VALUES (?, ?)")) {
                    u.setString(1, module);
                    u.setInt(2, next);
                    u.executeUpdate();
                }
                return null;
            });
        }
        return scripts.size();
    }

    /** Splits a script at semicolons that end a line; our scripts keep one statement per such line. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        for (String part : script.split(";\\s*(\\R|$)")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private Connection connection() throws StoreException {
        if (closed) {
            throw new StoreException("the store is closed (the identity is locked)");
        }
        SQLException failure = null;
        for (int attempt = 0; attempt < REOPEN_ATTEMPTS; attempt++) {
            try {
                return pool.getConnection();
            } catch (SQLException e) {
                failure = e;
                recycleIfBroken(e);
                if (e.getErrorCode() != DATABASE_ALREADY_OPEN || !pauseBeforeReopen(attempt)) {
                    break;
                }
            }
        }
        throw new StoreException(describe("cannot reach the store", failure), failure);
    }

    /**
     * "Already in use" from our own process is the closed instance still holding the file's lock while
     * its last connections finish (they are closed as they return to the replaced pool): worth a few short
     * waits, 10 ms doubling, about 0.3 s in all, before the caller is told.
     */
    private static boolean pauseBeforeReopen(int attempt) {
        try {
            Thread.sleep(10L << attempt);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * After a failed write of the file (a full disk above all) H2 closes the database under its open
     * connections. The pool keeps handing those out, and a new connection cannot reopen the file while
     * the old, closed instance still holds its lock ("in use by another process") until its last
     * connection goes: the store would not come back by itself once space is free. So such a failure
     * replaces the pool; disposing the old one closes its connections, which releases the old instance,
     * and the next use opens the file afresh (H2 recovers the last committed state on open).
     */
    private void recycleIfBroken(SQLException e) {
        if (e == null) {
            return;
        }
        int code = e.getErrorCode();
        boolean broken = code == DATABASE_IS_CLOSED || code == DATABASE_ALREADY_OPEN
                || code == DATABASE_CALLED_AT_SHUTDOWN || diskFull(e);
        if (!broken || closed) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            JdbcConnectionPool old = pool;
            pool = newPool(source);
            old.dispose();
        }
    }

    /** Returns a connection to its pool (closing it for good if the pool was replaced meanwhile). */
    private static void release(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // Closing a pooled connection only returns it; a failure here leaves nothing to undo.
        }
    }

    /** Closes every connection; H2 then closes the file. */
    public synchronized void close() {
        closed = true;
        pool.dispose();
        Arrays.fill(password, '\0');
    }

    boolean isClosed() {
        return closed;
    }
}
