package jarvis.account.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jarvis.api.account.AccountException;

/**
 * The store's tables as the account file carries them: every base table of the schema {@code PUBLIC} except the
 * migration bookkeeping, with its typed columns and rows, the schema versions and the sequences.
 */
final class StoreTables {

    /** The store's own bookkeeping (H2Store): carried as schema records, not as a table. */
    static final String SCHEMA_TABLE = "JARVIS_SCHEMA";
    static final String CONTACTS = "CONTACT";
    static final String GROUPS = "GRP";
    static final String MESSAGES = "MESSAGE";
    private static final int BATCH = 500;

    private StoreTables() {
    }

    /** How many rows of each table were written. */
    static final class Counts {
        final Map<String, Long> rows = new TreeMap<>();

        int of(String table) {
            return Math.toIntExact(rows.getOrDefault(table, 0L));
        }
    }

    /** Writes the schema versions, every table and every sequence of {@code c} to {@code out}. */
    static Counts export(Connection c, AccountContent.Sink out) throws SQLException, AccountException {
        Counts counts = new Counts();
        for (Map.Entry<String, Integer> e : schemaVersions(c).entrySet()) {
            out.schema(e.getKey(), e.getValue());
        }
        for (String table : tables(c)) {
            if (!AccountContent.IDENTIFIER.matcher(table).matches()) {
                throw new AccountException(AccountException.Reason.IO, "table name " + table
                        + " cannot be carried by an account file");
            }
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
                ResultSetMetaData meta = r.getMetaData();
                List<AccountContent.Column> columns = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(new AccountContent.Column(meta.getColumnName(i),
                            type(table, meta.getColumnName(i), meta.getColumnType(i))));
                }
                out.table(table, columns);
                long n = 0;
                while (r.next()) {
                    Object[] values = new Object[columns.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = switch (columns.get(i).type()) {
                            case BOOLEAN -> r.getObject(i + 1, Boolean.class);
                            case INTEGER -> r.getObject(i + 1, Long.class);
                            case TEXT -> r.getString(i + 1);
                            case BYTES -> r.getBytes(i + 1);
                            case TIMESTAMP -> r.getObject(i + 1, OffsetDateTime.class);
                        };
                    }
                    out.row(values);
                    n++;
                }
                counts.rows.put(table, n);
            }
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT SEQUENCE_NAME, BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_SCHEMA = 'PUBLIC'"
                        + " ORDER BY SEQUENCE_NAME")) {
            while (r.next()) {
                out.sequence(r.getString(1), r.getLong(2));
            }
        }
        return counts;
    }

    static Map<String, Integer> schemaVersions(Connection c) throws SQLException {
        Map<String, Integer> versions = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT module, version FROM jarvis_schema")) {
            while (r.next()) {
                versions.put(r.getString(1), r.getInt(2));
            }
        }
        return versions;
    }

    static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'"
                        + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
            while (r.next()) {
                if (!r.getString(1).equals(SCHEMA_TABLE)) {
                    tables.add(r.getString(1));
                }
            }
        }
        return tables;
    }

    private static AccountContent.Type type(String table, String column, int sqlType) throws AccountException {
        return switch (sqlType) {
            case Types.BOOLEAN, Types.BIT -> AccountContent.Type.BOOLEAN;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> AccountContent.Type.INTEGER;
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.CLOB ->
                    AccountContent.Type.TEXT;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> AccountContent.Type.BYTES;
            case Types.TIMESTAMP_WITH_TIMEZONE -> AccountContent.Type.TIMESTAMP;
            default -> throw new AccountException(AccountException.Reason.IO, "column " + table + "." + column
                    + " has SQL type " + sqlType + ", which an account file cannot carry");
        };
    }

    /**
     * Inserts what an account file holds into the tables of {@code c} (one transaction, owned by the caller). The
     * target must have every table and column the file names; the schema versions must be equal to the file's
     * (checked before, by the caller, in {@link #checkSchemas}).
     */
    static final class Inserter implements AccountContent.Sink {
        private final Connection c;
        private final Set<String> targetTables;
        private final Counts counts = new Counts();
        private PreparedStatement insert;
        private String table;
        private int pending;

        Inserter(Connection c) throws SQLException {
            this.c = c;
            this.targetTables = Set.copyOf(tables(c));
        }

        Counts counts() {
            return counts;
        }

        @Override
        public void identity(byte[] identityExport) {
            // Installed by the identity service before the store exists.
        }

        @Override
        public void schema(String module, int version) {
            // Checked against the store before any row is written.
        }

        @Override
        public void table(String name, List<AccountContent.Column> columns) throws AccountException {
            try {
                finishTable();
                if (!targetTables.contains(name)) {
                    throw new AccountException(AccountException.Reason.INCOMPATIBLE, "the account file holds table "
                            + name + ", which this daemon's store does not have");
                }
                Map<String, Integer> target = columnTypes(c, name);
                for (AccountContent.Column col : columns) {
                    if (!target.containsKey(col.name())) {
                        throw new AccountException(AccountException.Reason.INCOMPATIBLE, "the account file holds column "
                                + name + "." + col.name() + ", which this daemon's store does not have");
                    }
                }
                StringBuilder sql = new StringBuilder("INSERT INTO \"").append(name).append("\" (");
                for (int i = 0; i < columns.size(); i++) {
                    sql.append(i == 0 ? "\"" : ", \"").append(columns.get(i).name()).append('"');
                }
                sql.append(") VALUES (").append("?, ".repeat(columns.size() - 1)).append("?)");
                insert = c.prepareStatement(sql.toString());
                this.table = name;
                counts.rows.put(name, 0L);
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        @Override
        public void row(Object[] values) throws AccountException {
            try {
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == null) {
                        insert.setNull(i + 1, Types.NULL);
                    } else {
                        insert.setObject(i + 1, values[i]);
                    }
                }
                insert.addBatch();
                counts.rows.merge(table, 1L, Long::sum);
                if (++pending == BATCH) {
                    flush();
                }
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        @Override
        public void sequence(String name, long next) throws AccountException {
            try {
                finishTable();
                boolean exists;
                try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM INFORMATION_SCHEMA.SEQUENCES"
                        + " WHERE SEQUENCE_SCHEMA = 'PUBLIC' AND SEQUENCE_NAME = ?")) {
                    p.setString(1, name);
                    try (ResultSet r = p.executeQuery()) {
                        exists = r.next();
                    }
                }
                if (!exists) {
                    throw new AccountException(AccountException.Reason.INCOMPATIBLE, "the account file holds sequence "
                            + name + ", which this daemon's store does not have");
                }
                try (Statement s = c.createStatement()) {
                    // The name matched AccountContent.IDENTIFIER and exists; the value is a number.
                    s.execute("ALTER SEQUENCE \"" + name + "\" RESTART WITH " + next);
                }
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        @Override
        public void end(int tables, long rows) throws AccountException {
            try {
                finishTable();
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        private void flush() throws SQLException {
            if (insert != null && pending > 0) {
                insert.executeBatch();
                pending = 0;
            }
        }

        private void finishTable() throws SQLException {
            flush();
            if (insert != null) {
                insert.close();
                insert = null;
            }
        }

        private AccountException failed(SQLException e) {
            return new AccountException(AccountException.Reason.CORRUPTED, "the account file's rows do not fit the "
                    + "store" + (table == null ? "" : " (table " + table + ")") + ": " + e.getMessage(), e);
        }
    }

    static Map<String, Integer> columnTypes(Connection c, String table) throws SQLException {
        Map<String, Integer> columns = new LinkedHashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT COLUMN_NAME, ORDINAL_POSITION FROM"
                + " INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ? ORDER BY 2")) {
            p.setString(1, table);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    columns.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return columns;
    }

    /**
     * Whether the store has every module of {@code wanted} at exactly that version (or, with {@code atLeast}, at that
     * version or later): empty when it does, else what differs (a module still missing is reported as version 0).
     */
    static Map<String, Integer> schemaDifferences(Connection c, Map<String, Integer> wanted, boolean atLeast)
            throws SQLException {
        Map<String, Integer> have = schemaVersions(c);
        Map<String, Integer> differences = new TreeMap<>();
        for (Map.Entry<String, Integer> e : wanted.entrySet()) {
            int v = have.getOrDefault(e.getKey(), 0);
            if (atLeast ? v < e.getValue() : v != e.getValue()) {
                differences.put(e.getKey(), v);
            }
        }
        return differences;
    }
}
