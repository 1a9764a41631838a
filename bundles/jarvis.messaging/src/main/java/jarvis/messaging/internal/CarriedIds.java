package jarvis.messaging.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Sender ids of messages that came through a carrier. Such a message is stored under an id of ours (its
 * sender's ids are random and carry no time), so its own id is kept here to recognise it when it comes again.
 */
final class CarriedIds {

    private CarriedIds() {
    }

    /** Whether the contact's message {@code foreignId} was stored before. */
    static boolean seen(Connection c, String contactUid, String foreignId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT 1 FROM carried_id WHERE contact_uid = ? AND foreign_id = ?")) {
            p.setString(1, contactUid);
            p.setString(2, foreignId);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    static void record(Connection c, String contactUid, String foreignId, String messageId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO carried_id (contact_uid, foreign_id, message_id) VALUES (?, ?, ?)")) {
            p.setString(1, contactUid);
            p.setString(2, foreignId);
            p.setString(3, messageId);
            p.executeUpdate();
        }
    }
}
