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

    private final JdbcConnectionPool pool;
    private final char[] password;
    private volatile boolean closed;

    private H2Store(JdbcConnectionPool pool, char[] password) {
        this.pool = pool;
        this.password = password;
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
        JdbcConnectionPool pool = JdbcConnectionPool.create(source);
        pool.setMaxConnections(MAX_CONNECTIONS);
        H2Store store = new H2Store(pool, password);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
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
        try {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(describe("store write failed", e), e);
        } finally {
            release(c);
        }
    }

    @Override
    public <T> T read(Work<T> work) throws StoreException {
        Connection c = connection();
        try {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(describe("store read failed", e), e);
        } finally {
            release(c);
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
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw new StoreException(describe("cannot reach the store", e), e);
        }
    }

    private static void release(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // Closing a pooled connection only returns it; a failure here leaves nothing to undo.
        }
    }

    /** Closes every connection; H2 then closes the file. */
    public void close() {
        closed = true;
        pool.dispose();
        Arrays.fill(password, '\0');
    }

    boolean isClosed() {
        return closed;
    }
}
