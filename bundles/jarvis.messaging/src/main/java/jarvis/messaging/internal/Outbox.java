package jarvis.messaging.internal;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL over the {@code outbox} and {@code read_receipt} tables; every method runs inside a store call. An outbox row
 * is one copy of a message still owed to one contact: a one-to-one message has one, a group message one per member.
 */
final class Outbox {

    /** A message due to be (re)sent, with the predecessor the peer orders it after and its group (or null). */
    record Due(String id, String prevId, String groupId, byte[] utf8) {
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
        try (PreparedStatement p = c.prepareStatement("SELECT o.message_id, m.body, m.conversation_id FROM outbox o "
                + "JOIN message m ON m.id = o.message_id WHERE o.contact_uid = ? AND o.message_id > ? "
                + "ORDER BY o.message_id LIMIT " + limit)) {
            p.setString(1, contactUid);
            p.setString(2, afterId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    rows.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
                }
            }
        }
        List<Due> due = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            boolean group = !row[2].equals(contactUid);
            String prev = group ? groupPredecessor(c, contactUid, row[2], row[0])
                    : MessageRecords.predecessor(c, contactUid, row[0]);
            due.add(new Due(row[0], prev, group ? row[2] : null, row[1].getBytes(StandardCharsets.UTF_8)));
        }
        return due;
    }

    /**
     * The predecessor of a group message for one member: the newest earlier message of the group still owed to
     * that member. An earlier one it acknowledged is stored there already, so it needs no naming; one sent before
     * the member joined was never owed to it and must not hold the message back.
     */
    private static String groupPredecessor(Connection c, String contactUid, String groupId, String id)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT MAX(o.message_id) FROM outbox o JOIN message m "
                + "ON m.id = o.message_id WHERE o.contact_uid = ? AND m.conversation_id = ? AND o.message_id < ?")) {
            p.setString(1, contactUid);
            p.setString(2, groupId);
            p.setString(3, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    /** Removes the copy owed to one contact; returns whether there was one. */
    static boolean removeCopy(Connection c, String messageId, String contactUid) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM outbox WHERE message_id = ? AND contact_uid = ?")) {
            p.setString(1, messageId);
            p.setString(2, contactUid);
            return p.executeUpdate() > 0;
        }
    }

    /** How many copies of the message are still owed. */
    static int copies(Connection c, String messageId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE message_id = ?")) {
            p.setString(1, messageId);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** Removes every copy still owed of the conversation's messages. */
    static void removeConversation(Connection c, String conversationId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "DELETE FROM outbox WHERE message_id IN (SELECT id FROM message WHERE conversation_id = ?)")) {
            p.setString(1, conversationId);
            p.executeUpdate();
        }
    }

    static void remove(Connection c, String messageId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM outbox WHERE message_id = ?")) {
            p.setString(1, messageId);
            p.executeUpdate();
        }
    }

    static void removeReceiptsOf(Connection c, String contactUid) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM read_receipt WHERE contact_uid = ?")) {
            p.setString(1, contactUid);
            p.executeUpdate();
        }
    }

    /** Contacts with messages waiting. */
    static List<String> contactsWaiting(Connection c) throws SQLException {
        return strings(c, "SELECT DISTINCT contact_uid FROM outbox");
    }

    /** Copies whose expiry has passed (message id, contact uid), removed here; the caller marks them FAILED. */
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
            removeCopy(c, e[0], e[1]);
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
