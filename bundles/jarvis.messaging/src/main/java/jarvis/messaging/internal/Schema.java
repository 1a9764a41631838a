package jarvis.messaging.internal;

import java.util.List;

import jarvis.api.DeliveryState;

/** The messaging tables (docs/storage.md, "Messages") and how delivery states are stored. */
final class Schema {

    static final String MODULE = "messaging";

    /**
     * Shipped scripts are never edited; a change is a new script. Script 2: a group message has one outbox row per
     * member it goes to. Script 3: the ids that messages received from a {@link jarvis.api.messaging.MessageCarrier}
     * had at their sender, so a replayed one is recognised (they are stored under ids of our own).
     */
    static final List<String> SCRIPTS = List.of("""
            CREATE TABLE message (
              id CHAR(32) PRIMARY KEY,
              conversation_id CHAR(32) NOT NULL,
              sender_uid CHAR(32) NOT NULL,
              outgoing BOOLEAN NOT NULL,
              body VARCHAR(65536) NOT NULL,
              state SMALLINT NOT NULL,
              shown BOOLEAN NOT NULL,
              prev_id CHAR(32),
              stored_at BIGINT NOT NULL);
            CREATE INDEX message_conversation ON message(conversation_id, id);
            CREATE INDEX message_unread ON message(conversation_id, outgoing, state);
            CREATE INDEX message_prev ON message(prev_id);
            CREATE INDEX message_held ON message(shown, stored_at);
            CREATE TABLE message_tombstone (
              id CHAR(32) PRIMARY KEY,
              sender_uid CHAR(32) NOT NULL,
              deleted_at BIGINT NOT NULL);
            CREATE TABLE outbox (
              message_id CHAR(32) PRIMARY KEY,
              contact_uid CHAR(32) NOT NULL,
              expires_at BIGINT NOT NULL);
            CREATE INDEX outbox_contact ON outbox(contact_uid, message_id);
            CREATE INDEX outbox_expiry ON outbox(expires_at);
            CREATE TABLE read_receipt (
              message_id CHAR(32) PRIMARY KEY,
              contact_uid CHAR(32) NOT NULL);
            CREATE INDEX read_receipt_contact ON read_receipt(contact_uid);
            """, """
            ALTER TABLE outbox DROP PRIMARY KEY;
            ALTER TABLE outbox ADD CONSTRAINT outbox_pk PRIMARY KEY (message_id, contact_uid);
            """, """
            CREATE TABLE carried_id (
              contact_uid CHAR(32) NOT NULL,
              foreign_id CHAR(32) NOT NULL,
              message_id CHAR(32) NOT NULL,
              PRIMARY KEY (contact_uid, foreign_id));
            """);

    private Schema() {
    }

    /**
     * Stored ranks: a state may only be replaced by one of higher rank. FAILED ranks below DELIVERED so that a
     * late acknowledgement still records the truth (the peer has the message).
     */
    static int rank(DeliveryState state) {
        return switch (state) {
            case QUEUED -> 0;
            case SENT -> 1;
            case FAILED -> 2;
            case DELIVERED -> 3;
            case READ -> 4;
        };
    }

    static DeliveryState state(int rank) {
        return switch (rank) {
            case 0 -> DeliveryState.QUEUED;
            case 1 -> DeliveryState.SENT;
            case 2 -> DeliveryState.FAILED;
            case 3 -> DeliveryState.DELIVERED;
            case 4 -> DeliveryState.READ;
            default -> throw new IllegalStateException("unknown stored delivery state " + rank);
        };
    }
}
