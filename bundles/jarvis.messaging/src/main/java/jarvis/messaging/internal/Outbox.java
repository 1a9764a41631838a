package jarvis.messaging.internal;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** SQL over the {@code outbox} and {@code read_receipt} tables; every method runs inside a store call. */
final class Outbox {

    /** A message due to be (re)sent, with the predecessor the peer orders it after. */
    record Due(String id, String prevId, byte[] utf8) {
    }

    private Outbox() {
    }

    static void add(Connection c, String messageId, String contactUid, long expiresAt) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO outbox (message_id, contact_uid, expires_at) VALUES (?, ?, ?)")) {
            p.setString(1, messageId);
            p.setString(2, contactUid);
            p.setLong(3, expiresAt);
            p.executeUpdate();
        }
    }

    /** The contact's waiting messages after {@code afterId} (the last one handed to the session), oldest first. */
    static List<Due> after(Connection c, String contactUid, String afterId, int limit) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT o.message_id, m.body FROM outbox o "
                + "JOIN message m ON m.id = o.message_id WHERE o.contact_uid = ? AND o.message_id > ? "
                + "ORDER BY o.message_id LIMIT " + limit)) {
            p.setString(1, contactUid);
            p.setString(2, afterId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    rows.add(new String[] {r.getString(1), r.getString(2)});
                }
            }
        }
        List<Due> due = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            due.add(new Due(row[0], MessageRecords.predecessor(c, contactUid, row[0]),
                    row[1].getBytes(StandardCharsets.UTF_8)));
        }
        return due;
    }

    static void remove(Connection c, String messageId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM outbox WHERE message_id = ?")) {
            p.setString(1, messageId);
            p.executeUpdate();
        }
    }

    static void removeContact(Connection c, String contactUid) throws SQLException {
        for (String sql : List.of("DELETE FROM outbox WHERE contact_uid = ?", "DELETE FROM read_receipt WHERE contact_uid = ?")) {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, contactUid);
                p.executeUpdate();
            }
        }
    }

    /** Contacts with messages waiting. */
    static List<String> contactsWaiting(Connection c) throws SQLException {
        return strings(c, "SELECT DISTINCT contact_uid FROM outbox");
    }

    /** Messages whose expiry has passed, removed from the outbox here; the caller marks them FAILED. */
    static List<String[]> takeExpired(Connection c, long now) throws SQLException {
        List<String[]> expired = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT message_id, contact_uid FROM outbox WHERE expires_at <= ? ORDER BY message_id")) {
            p.setLong(1, now);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    expired.add(new String[] {r.getString(1), r.getString(2)});
                }
            }
        }
        for (String[] e : expired) {
            remove(c, e[0]);
        }
        return expired;
    }

    static void addReceipt(Connection c, String messageId, String contactUid) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("MERGE INTO read_receipt KEY (message_id) VALUES (?, ?)")) {
            p.setString(1, messageId);
            p.setString(2, contactUid);
            p.executeUpdate();
        }
    }

    static List<String> receipts(Connection c, String contactUid, int limit) throws SQLException {
        return strings(c, "SELECT message_id FROM read_receipt WHERE contact_uid = ? ORDER BY message_id LIMIT " + limit,
                contactUid);
    }

    static void removeReceipts(Connection c, List<String> ids) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM read_receipt WHERE message_id = ?")) {
            for (String id : ids) {
                p.setString(1, id);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    static void removeReceipt(Connection c, String messageId) throws SQLException {
        removeReceipts(c, List.of(messageId));
    }

    static List<String> contactsWithReceipts(Connection c) throws SQLException {
        return strings(c, "SELECT DISTINCT contact_uid FROM read_receipt");
    }

    private static List<String> strings(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                p.setObject(i + 1, values[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        }
    }
}
