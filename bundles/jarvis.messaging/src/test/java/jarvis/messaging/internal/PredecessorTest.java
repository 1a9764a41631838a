package jarvis.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jarvis.api.DeliveryState;
import jarvis.api.Message;
import jarvis.store.internal.H2Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The predecessor a sent message names, on a real H2 store with the messaging schema. */
class PredecessorTest {

    private static final String BOB = "b".repeat(32);
    private static final String CAROL = "c".repeat(32);
    private static final String ME = "a".repeat(32);

    @TempDir
    Path dir;

    private H2Store store;
    private final MessageIds ids = new MessageIds(Clock.systemUTC());

    @BeforeEach
    void open() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        store = H2Store.open(dir, key);
        store.migrate(Schema.MODULE, Schema.SCRIPTS);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theNewestEarlierOutgoingMessageOfTheConversationThatDidNotFail() throws Exception {
        String first = outgoing(BOB, DeliveryState.DELIVERED);
        String toCarol = outgoing(CAROL, DeliveryState.QUEUED);
        String fromBob = ids.next();
        store.write(c -> {
            MessageRecords.receive(c, BOB, new Wire.Text(fromBob, null, null, "hi"), 0);
            return null;
        });
        String failed = outgoing(BOB, DeliveryState.FAILED);
        String second = outgoing(BOB, DeliveryState.SENT);
        String third = outgoing(BOB, DeliveryState.QUEUED);

        assertThat(predecessor(BOB, first)).isNull();
        assertThat(predecessor(BOB, second)).as("skips Carol's, the received and the failed one").isEqualTo(first);
        assertThat(predecessor(BOB, third)).isEqualTo(second);
        assertThat(predecessor(BOB, "f".repeat(32))).isEqualTo(third);
        assertThat(predecessor(CAROL, third)).isEqualTo(toCarol);
        assertThat(failed).isGreaterThan(first);
    }

    @Test
    void isFoundByWalkingTheConversationIndexBackwardsNotByReadingTheWholeConversation() throws Exception {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sent.add(outgoing(BOB, DeliveryState.DELIVERED));
        }
        String plan = store.read(c -> {
            try (PreparedStatement p = c.prepareStatement("EXPLAIN ANALYZE " + MessageRecords.PREDECESSOR)) {
                p.setString(1, BOB);
                p.setString(2, "f".repeat(32));
                p.setInt(3, Schema.rank(DeliveryState.FAILED));
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return r.getString(1);
                }
            }
        });
        assertThat(plan).contains("MESSAGE_CONVERSATION").contains("index sorted");
        // Rows read: the last message and at most the one the scan stops on, not the 300 of the conversation.
        int scanned = Integer.parseInt(plan.replaceAll("(?s).*scanCount: (\\d+).*", "$1"));
        assertThat(scanned).isLessThanOrEqualTo(2);
        assertThat(predecessor(BOB, "f".repeat(32))).isEqualTo(sent.get(sent.size() - 1));
    }

    private String outgoing(String conversation, DeliveryState state) throws Exception {
        String id = ids.next();
        Message m = new Message(id, conversation, ME, "text " + id, MessageIds.timestamp(id), true, state);
        store.write(c -> {
            MessageRecords.insertOutgoing(c, m, 0);
            return null;
        });
        return id;
    }

    private String predecessor(String conversation, String id) throws Exception {
        return store.read(c -> MessageRecords.predecessor(c, conversation, id));
    }
}
