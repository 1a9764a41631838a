package jarvis.messaging.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jarvis.api.DeliveryState;
import jarvis.api.Message;

/** SQL over the {@code message} and {@code message_tombstone} tables; every method runs inside a store call. */
final class MessageRecords {

    /** What became of a received MESSAGE. */
    enum Receipt {
        /** Stored now (it may be held until its predecessor is shown). */
        STORED,
        /** Already stored or deleted here: acknowledged again, not stored again. */
        DUPLICATE,
        /** The id belongs to someone else's message: dropped, not acknowledged. */
        CONFLICT
    }

    private static final String COLUMNS = "id, conversation_id, sender_uid, outgoing, body, state";

    private MessageRecords() {
    }

    static void insertOutgoing(Connection c, Message m, long now) throws SQLException {
        insert(c, m, true, null, now);
    }

    private static void insert(Connection c, Message m, boolean shown, String prevId, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO message (id, conversation_id, sender_uid, outgoing,"
                + " body, state, shown, prev_id, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, m.id());
            p.setString(2, m.conversationId());
            p.setString(3, m.senderUid());
            p.setBoolean(4, m.outgoing());
            p.setString(5, m.text());
            p.setInt(6, Schema.rank(m.state()));
            p.setBoolean(7, shown);
            p.setString(8, prevId);
            p.setLong(9, now);
            p.executeUpdate();
        }
    }

    /**
     * Stores a received message, hidden until {@link #release} shows it in its sender's order. Its conversation
     * is the group named in it, or else the sender's.
     */
    static Receipt receive(Connection c, String senderUid, Wire.Text t, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT sender_uid, outgoing FROM message WHERE id = ? UNION ALL "
                        + "SELECT sender_uid, FALSE FROM message_tombstone WHERE id = ?")) {
            p.setString(1, t.id());
            p.setString(2, t.id());
            try (ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    return r.getString(1).equals(senderUid) && !r.getBoolean(2) ? Receipt.DUPLICATE : Receipt.CONFLICT;
                }
            }
        }
        Message m = new Message(t.id(), t.groupId() != null ? t.groupId() : senderUid, senderUid, t.text(),
                MessageIds.timestamp(t.id()), false, DeliveryState.DELIVERED);
        insert(c, m, false, t.prevId(), now);
        return Receipt.STORED;
    }

    /**
     * Shows a held message once its predecessor is shown (or deleted here), then every held successor in
     * turn; {@code force} shows it regardless (its predecessor never came). Returns what became visible, in
     * the sender's order.
     */
    static List<Message> release(Connection c, String id, boolean force) throws SQLException {
        List<Message> shown = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.push(id);
        boolean forceThis = force;
        while (!todo.isEmpty()) {
            String next = todo.pop();
            String prev;
            try (PreparedStatement p = c.prepareStatement("SELECT prev_id, shown FROM message WHERE id = ?")) {
                p.setString(1, next);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next() || r.getBoolean(2)) {
                        forceThis = false;
                        continue;
                    }
                    prev = r.getString(1);
                }
            }
            if (!forceThis && prev != null && !shownOrDeleted(c, prev)) {
                continue;
            }
            forceThis = false;
            try (PreparedStatement p = c.prepareStatement("UPDATE message SET shown = TRUE WHERE id = ?")) {
                p.setString(1, next);
                p.executeUpdate();
            }
            find(c, next).ifPresent(shown::add);
            List<String> successors = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT id FROM message WHERE prev_id = ? AND shown = FALSE ORDER BY id DESC")) {
                p.setString(1, next);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        successors.add(r.getString(1));
                    }
                }
            }
            // Pushed newest first so the oldest successor is shown first.
            successors.forEach(todo::push);
        }
        return shown;
    }

    private static boolean shownOrDeleted(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM message WHERE id = ? AND shown = TRUE "
                + "UNION ALL SELECT 1 FROM message_tombstone WHERE id = ?")) {
            p.setString(1, id);
            p.setString(2, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Held messages stored before {@code storedBefore}, oldest id first. */
    static List<String> heldSince(Connection c, long storedBefore) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id FROM message WHERE shown = FALSE AND stored_at <= ? ORDER BY id")) {
            p.setLong(1, storedBefore);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
        }
        return ids;
    }

    /**
     * Walks the conversation index backwards from {@code id} and stops at the first match. (H2 computes MAX(id) under
     * these conditions by reading every earlier row of the conversation, so each message sent cost time in
     * proportion to the conversation's length.)
     */
    static final String PREDECESSOR = "SELECT id FROM message WHERE conversation_id = ? AND outgoing = TRUE AND id < ?"
            + " AND state <> ? ORDER BY conversation_id DESC, id DESC FETCH FIRST ROW ONLY";

    /** The newest outgoing message of the conversation older than {@code id} that is not FAILED: the peer's predecessor. */
    static String predecessor(Connection c, String conversationId, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(PREDECESSOR)) {
            p.setString(1, conversationId);
            p.setString(2, id);
            p.setInt(3, Schema.rank(DeliveryState.FAILED));
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    static Optional<Message> find(Connection c, String id) throws SQLException {
        List<Message> found = query(c, "SELECT " + COLUMNS + " FROM message WHERE id = ?", id);
        return found.stream().findFirst();
    }

    /**
     * The state of an outgoing message of the conversation, or {@code null} when there is none.
     */
    static DeliveryState outgoingState(Connection c, String conversationId, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT state FROM message WHERE id = ? AND conversation_id = ? AND outgoing = TRUE")) {
            p.setString(1, id);
            p.setString(2, conversationId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Schema.state(r.getInt(1)) : null;
            }
        }
    }

    /**
     * Moves an outgoing message of the conversation ({@code contactUid} or a group id) forward to {@code target}. Returns the states it passed
     * through, in order (an acknowledged QUEUED message went through SENT), empty if it did not move.
     */
    static List<DeliveryState> advance(Connection c, String contactUid, String id, DeliveryState target)
            throws SQLException {
        int current;
        try (PreparedStatement p = c.prepareStatement(
                "SELECT state FROM message WHERE id = ? AND conversation_id = ? AND outgoing = TRUE")) {
            p.setString(1, id);
            p.setString(2, contactUid);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return List.of();
                }
                current = r.getInt(1);
            }
        }
        if (current >= Schema.rank(target)) {
            return List.of();
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE message SET state = ? WHERE id = ?")) {
            p.setInt(1, Schema.rank(target));
            p.setString(2, id);
            p.executeUpdate();
        }
        List<DeliveryState> path = new ArrayList<>();
        path.add(Schema.state(current));
        DeliveryState from = Schema.state(current);
        if (from != DeliveryState.FAILED) {
            for (DeliveryState s : List.of(DeliveryState.SENT, DeliveryState.DELIVERED, DeliveryState.READ)) {
                if (Schema.rank(s) > current && Schema.rank(s) < Schema.rank(target)) {
                    path.add(s);
                }
            }
        }
        path.add(target);
        return path;
    }

    static List<Message> history(Connection c, String conversationId, String beforeId, int limit)
            throws SQLException {
        if (beforeId == null) {
            return query(c, "SELECT " + COLUMNS + " FROM message WHERE conversation_id = ? AND shown = TRUE "
                    + "ORDER BY id DESC LIMIT " + limit, conversationId);
        }
        return query(c, "SELECT " + COLUMNS + " FROM message WHERE conversation_id = ? AND shown = TRUE AND id < ? "
                + "ORDER BY id DESC LIMIT " + limit, conversationId, beforeId);
    }

    static int unread(Connection c, String conversationId) throws SQLException {
        String sql = "SELECT COUNT(*) FROM message WHERE outgoing = FALSE AND shown = TRUE AND state = "
                + Schema.rank(DeliveryState.DELIVERED) + (conversationId == null ? "" : " AND conversation_id = ?");
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (conversationId != null) {
                p.setString(1, conversationId);
            }
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** Marks the conversation's shown incoming messages read; returns them as they were (DELIVERED). */
    static List<Message> markRead(Connection c, String conversationId) throws SQLException {
        List<Message> unread = query(c, "SELECT " + COLUMNS + " FROM message WHERE conversation_id = ? "
                + "AND outgoing = FALSE AND shown = TRUE AND state = " + Schema.rank(DeliveryState.DELIVERED)
                + " ORDER BY id", conversationId);
        try (PreparedStatement p = c.prepareStatement("UPDATE message SET state = ? WHERE id = ?")) {
            for (Message m : unread) {
                p.setInt(1, Schema.rank(DeliveryState.READ));
                p.setString(2, m.id());
                p.addBatch();
            }
            p.executeBatch();
        }
        return unread;
    }

    static List<Message> search(Connection c, String text, int limit) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM message WHERE shown = TRUE AND LOCATE(?, LOWER(body)) > 0 "
                + "ORDER BY id DESC LIMIT " + limit, text.toLowerCase(Locale.ROOT));
    }

    /** Deletes one message; a received one leaves a tombstone so a resent copy is not shown again. */
    static boolean delete(Connection c, String id, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("MERGE INTO message_tombstone KEY (id) "
                + "SELECT id, sender_uid, ? FROM message WHERE id = ? AND outgoing = FALSE")) {
            p.setLong(1, now);
            p.setString(2, id);
            p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM message WHERE id = ?")) {
            p.setString(1, id);
            return p.executeUpdate() > 0;
        }
    }

    static int deleteConversation(Connection c, String conversationId, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("MERGE INTO message_tombstone KEY (id) "
                + "SELECT id, sender_uid, ? FROM message WHERE conversation_id = ? AND outgoing = FALSE")) {
            p.setLong(1, now);
            p.setString(2, conversationId);
            p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM message WHERE conversation_id = ?")) {
            p.setString(1, conversationId);
            return p.executeUpdate();
        }
    }

    private static List<Message> query(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                p.setString(i + 1, values[i]);
            }
            List<Message> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String id = r.getString(1);
                    out.add(new Message(id, r.getString(2), r.getString(3), r.getString(5), MessageIds.timestamp(id),
                            r.getBoolean(4), Schema.state(r.getInt(6))));
                }
            }
            return out;
        }
    }
}
