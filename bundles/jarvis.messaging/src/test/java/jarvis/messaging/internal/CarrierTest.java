package jarvis.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import jarvis.api.Contact;
import jarvis.api.DeliveryState;
import jarvis.api.Message;
import jarvis.api.messaging.MessageCarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The carrier extension point with a real node (store, session core, messaging): a contact without a jarvis/2
 * session is written to through a carrier that reaches it, and what a carrier received is stored once. The
 * carrier here keeps what it is given in memory; the Jarvis 1.x carrier has its own interop test over sockets.
 */
@Timeout(60)
class CarrierTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PEER = "00112233445566778899aabbccddeeff";

    /** A carrier whose link is up or down at the test's command; it fails writes while down. */
    static final class MemoryCarrier implements MessageCarrier {
        volatile boolean up;
        final List<String> written = new CopyOnWriteArrayList<>();
        final List<String> dialRequests = new CopyOnWriteArrayList<>();

        @Override
        public boolean reaches(String contactUid) {
            return up;
        }

        @Override
        public void connectNow(String contactUid) {
            dialRequests.add(contactUid);
        }

        @Override
        public CompletionStage<Void> send(String contactUid, String messageId, String groupId, String text,
                Instant sentAt) {
            if (!up) {
                return CompletableFuture.failedFuture(new java.io.IOException("link down"));
            }
            written.add(messageId + " " + text);
            return CompletableFuture.completedFuture(null);
        }
    }

    @TempDir
    Path root;

    private Node node;
    private final MemoryCarrier carrier = new MemoryCarrier();

    @BeforeEach
    void start() throws Exception {
        node = new Node("alice", root).start();
        node.contacts.put(new Contact(PEER, "py1x", "ab".repeat(32), "cd".repeat(32), List.of(), false, false, true));
        node.messenger.addCarrier(carrier);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private long outboxRows() throws Exception {
        return node.store.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM outbox"); ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    @Test
    void aWaitingMessageGoesThroughTheCarrierOnceItReachesAndEndsSent() throws Exception {
        Message m = node.messenger.send(PEER, "over the old protocol");
        await().atMost(WAIT).until(() -> carrier.dialRequests.contains(PEER));
        assertThat(node.messenger.message(m.id()).orElseThrow().state()).isEqualTo(DeliveryState.QUEUED);
        assertThat(outboxRows()).isEqualTo(1);

        carrier.up = true;
        node.messenger.reachable(PEER);
        await().atMost(WAIT).until(() -> node.messenger.message(m.id()).orElseThrow().state() == DeliveryState.SENT
                && outboxRows() == 0);
        assertThat(carrier.written).containsExactly(m.id() + " over the old protocol");
        assertThat(node.events.changes).anyMatch(c -> c.message().id().equals(m.id())
                && c.message().state() == DeliveryState.SENT);
    }

    @Test
    void aReceivedMessageIsStoredOnceUnderAnIdOfOurs() throws Exception {
        String foreign = "ffeeddccbbaa99887766554433221100";
        node.messenger.received(PEER, foreign, null, "from 1.x", Instant.parse("2025-10-26T21:53:45Z"));
        node.messenger.received(PEER, foreign, null, "from 1.x", Instant.parse("2025-10-26T21:53:45Z"));
        node.messenger.received(PEER, "0123456789abcdef0123456789abcdef", null, "second", Instant.now());
        await().atMost(WAIT).until(() -> node.events.received.size() == 2);
        assertThat(node.events.received).extracting(Message::text).containsExactly("from 1.x", "second");
        Message first = node.events.received.get(0);
        assertThat(first.id()).isNotEqualTo(foreign);
        assertThat(first.senderUid()).isEqualTo(PEER);
        assertThat(first.conversationId()).isEqualTo(PEER);
        assertThat(node.messenger.unreadCount(PEER)).isEqualTo(2);
        assertThat(node.messenger.history(PEER, null, 10)).hasSize(2);
    }

    @Test
    void malformedCarriedMessagesAreDropped() throws Exception {
        node.messenger.received(PEER, "not an id", null, "x", Instant.now());
        node.messenger.received(PEER, "ffeeddccbbaa99887766554433221100", "not a group", "x", Instant.now());
        node.messenger.received("fedcba9876543210fedcba9876543210", "ffeeddccbbaa99887766554433221100", null,
                "from a stranger", Instant.now());
        node.messenger.received(PEER, "0123456789abcdef0123456789abcdef", null, "marker", Instant.now());
        await().atMost(WAIT).until(() -> node.events.received.size() == 1);
        assertThat(node.events.received.get(0).text()).isEqualTo("marker");
    }
}
