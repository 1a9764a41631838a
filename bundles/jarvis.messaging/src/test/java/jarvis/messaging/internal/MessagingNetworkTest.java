package jarvis.messaging.internal;

import jarvis.session.internal.MemoryContacts;
import jarvis.session.internal.TestIdentity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jarvis.api.DeliveryState;
import jarvis.api.Message;
import jarvis.api.messaging.MessageService;
import jarvis.api.messaging.MessagingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whole nodes (store + session core + TCP + messaging) talking over loopback. */
@Timeout(60)
class MessagingNetworkTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path root;

    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        nodes.forEach(Node::close);
    }

    private Node node(String name) {
        Node n = new Node(name, root);
        nodes.add(n);
        return n;
    }

    /** A started and B started, B dialing A, both online. */
    private Node[] pair() throws Exception {
        Node a = node("alice");
        Node b = node("bob");
        a.start();
        b.know(a, true);
        a.know(b, false);
        b.start();
        await().atMost(WAIT).until(() -> a.online(b) && b.online(a));
        return new Node[] {a, b};
    }

    private static DeliveryState stateOf(Node n, String id) throws MessagingException {
        return n.messenger.message(id).orElseThrow().state();
    }

    private static long count(Node n, String sql) throws Exception {
        return n.store.read(c -> {
            try (PreparedStatement p = c.prepareStatement(sql); ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    @Test
    void messagesFlowBothWaysThroughSentDeliveredAndRead() throws Exception {
        Node[] ab = pair();
        Node a = ab[0];
        Node b = ab[1];

        Message toBob = a.messenger.send(b.uid(), "hello bob");
        Message toAlice = b.messenger.send(a.uid(), "hello alice");
        assertThat(toBob.state()).isEqualTo(DeliveryState.QUEUED);
        assertThat(toBob.outgoing()).isTrue();
        assertThat(toBob.senderUid()).isEqualTo(a.uid());

        await().atMost(WAIT).until(() -> b.textsFrom(a).equals(List.of("hello bob"))
                && a.textsFrom(b).equals(List.of("hello alice")));
        await().atMost(WAIT).until(() -> stateOf(a, toBob.id()) == DeliveryState.DELIVERED
                && stateOf(b, toAlice.id()) == DeliveryState.DELIVERED);
        Message got = b.events.received.get(0);
        assertThat(got.id()).isEqualTo(toBob.id());
        assertThat(got.outgoing()).isFalse();
        assertThat(got.conversationId()).isEqualTo(a.uid());
        assertThat(got.timestamp()).isEqualTo(toBob.timestamp());
        assertThat(b.messenger.unreadCount(a.uid())).isEqualTo(1);
        assertThat(b.messenger.totalUnread()).isEqualTo(1);

        assertThat(b.messenger.markRead(a.uid())).isEqualTo(1);
        assertThat(b.messenger.unreadCount(a.uid())).isZero();
        assertThat(b.messenger.markRead(a.uid())).isZero();
        await().atMost(WAIT).until(() -> stateOf(a, toBob.id()) == DeliveryState.READ);
        // Listeners hear of a change just after it is committed.
        await().atMost(WAIT).untilAsserted(() -> assertThat(a.events.statesOf(toBob.id()))
                .containsExactly(DeliveryState.SENT, DeliveryState.DELIVERED, DeliveryState.READ));
        assertThat(b.events.statesOf(toBob.id())).containsExactly(DeliveryState.READ);
        assertThat(b.messenger.history(a.uid(), null, 10)).extracting(Message::text)
                .containsExactly("hello alice", "hello bob");
        assertThat(count(a, "SELECT COUNT(*) FROM outbox")).isZero();
        assertThat(count(a, "SELECT COUNT(*) FROM read_receipt") + count(b, "SELECT COUNT(*) FROM read_receipt"))
                .isZero();
    }

    @Test
    void concurrentSendsAreAllDeliveredInEachSendersOrderWithoutWaitingForAResend() throws Exception {
        Node a = node("alice");
        Node b = node("bob");
        // A resend an hour away and a hold longer than the wait: a message a drain passed over, or shown only after
        // the hold, would not arrive in time.
        Messenger.Settings slow = new Messenger.Settings(true, Duration.ofDays(30).toMillis(), 3_600_000, 3_600_000);
        a.settings = slow;
        b.settings = slow;
        a.start();
        b.know(a, true);
        a.know(b, false);
        b.start();
        await().atMost(WAIT).until(() -> a.online(b) && b.online(a));

        int threads = 8;
        int each = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Message>>> sent = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                sent.add(pool.submit(() -> {
                    List<Message> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(a.messenger.send(b.uid(), "t" + thread + " m" + i));
                    }
                    return mine;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<List<Message>> f : sent) {
                List<Message> mine = f.get(30, TimeUnit.SECONDS);
                for (int i = 1; i < mine.size(); i++) {
                    assertThat(mine.get(i).id()).isGreaterThan(mine.get(i - 1).id());
                }
                mine.forEach(m -> ids.add(m.id()));
            }
            assertThat(ids).doesNotHaveDuplicates().hasSize(threads * each);

            await().atMost(WAIT).until(() -> b.textsFrom(a).size() >= threads * each);
            List<String> received = b.textsFrom(a);
            assertThat(received).hasSize(threads * each).doesNotHaveDuplicates();
            for (int t = 0; t < threads; t++) {
                String prefix = "t" + t + " ";
                List<String> fromThread = received.stream().filter(x -> x.startsWith(prefix)).toList();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    expected.add(prefix + "m" + i);
                }
                assertThat(fromThread).as("order of thread %d", t).isEqualTo(expected);
            }
            await().atMost(WAIT).until(() -> count(a, "SELECT COUNT(*) FROM outbox") == 0);
            for (String id : ids) {
                assertThat(stateOf(a, id)).isIn(DeliveryState.DELIVERED, DeliveryState.READ);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readReceiptsCanBeSwitchedOff() throws Exception {
        Node a = node("alice");
        Node b = node("bob");
        b.settings = new Messenger.Settings(false, Duration.ofDays(30).toMillis(), 5_000, 60_000);
        a.start();
        b.know(a, true);
        a.know(b, false);
        b.start();
        Message m = a.messenger.send(b.uid(), "private");
        await().atMost(WAIT).until(() -> stateOf(a, m.id()) == DeliveryState.DELIVERED);
        assertThat(b.messenger.markRead(a.uid())).isEqualTo(1);
        assertThat(count(b, "SELECT COUNT(*) FROM read_receipt")).isZero();
        await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> stateOf(a, m.id()) == DeliveryState.DELIVERED);
    }

    @Test
    void aMessageToAnOfflineContactWaitsAndIsDeliveredWhenItComesOnline() throws Exception {
        Node a = node("alice");
        Node b = node("bob");
        a.start();
        a.know(b, false);
        Message m = a.messenger.send(b.uid(), "are you there?");
        assertThat(stateOf(a, m.id())).isEqualTo(DeliveryState.QUEUED);
        assertThat(count(a, "SELECT COUNT(*) FROM outbox")).isEqualTo(1);

        // The sender restarts too: the outbox is on disk, not in memory.
        a.restart();
        assertThat(stateOf(a, m.id())).isEqualTo(DeliveryState.QUEUED);

        b.know(a, true);
        b.start();
        await().atMost(WAIT).until(() -> b.textsFrom(a).equals(List.of("are you there?")));
        await().atMost(WAIT).until(() -> stateOf(a, m.id()) == DeliveryState.DELIVERED);
        await().atMost(WAIT).untilAsserted(() -> assertThat(a.events.statesOf(m.id()))
                .containsExactly(DeliveryState.SENT, DeliveryState.DELIVERED));
        assertThat(count(a, "SELECT COUNT(*) FROM outbox")).isZero();
    }

    @Test
    void aReceiverRestartedBetweenSendAndDeliveryGetsEachMessageExactlyOnce() throws Exception {
        Node[] ab = pair();
        Node a = ab[0];
        Node b = ab[1];
        Message first = a.messenger.send(b.uid(), "before");
        await().atMost(WAIT).until(() -> stateOf(a, first.id()) == DeliveryState.DELIVERED);

        b.stop();
        await().atMost(WAIT).until(() -> !a.online(b));
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(a.messenger.send(b.uid(), "while down " + i));
        }
        b.start();
        await().atMost(WAIT).until(() -> sent.stream().allMatch(m -> {
            try {
                return stateOf(a, m.id()) == DeliveryState.DELIVERED;
            } catch (MessagingException e) {
                return false;
            }
        }));
        // Once more: a restart after delivery must not bring anything back.
        b.restart();
        await().atMost(WAIT).until(() -> a.online(b) && b.online(a));
        Message after = a.messenger.send(b.uid(), "after");
        await().atMost(WAIT).until(() -> stateOf(a, after.id()) == DeliveryState.DELIVERED);
        assertThat(b.textsFrom(a)).containsExactly("before", "while down 0", "while down 1", "while down 2", "after");
        assertThat(count(b, "SELECT COUNT(*) FROM message")).isEqualTo(5);
    }

    @Test
    @Timeout(150)
    void aBurstOf2000WithAReceiverRestartIsDeliveredExactlyOnceAndInOrder() throws Exception {
        Node[] ab = pair();
        Node a = ab[0];
        Node b = ab[1];
        int total = 2000;
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>();
        boolean restarted = false;
        for (int i = 0; i < total; i++) {
            ids.add(a.messenger.send(b.uid(), String.format("m%04d", i)).id());
            if (!restarted && b.events.received.size() >= 300) {
                b.restart();
                restarted = true;
            }
        }
        if (!restarted) {
            await().atMost(WAIT).until(() -> b.events.received.size() >= 300);
            b.restart();
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> count(a, "SELECT COUNT(*) FROM message WHERE state = "
                + Schema.rank(DeliveryState.DELIVERED)) == total);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("burst: %d messages delivered and acknowledged in %.2f s (%.0f/s) with one receiver restart%n",
                total, seconds, total / seconds);

        List<Message> received = b.events.received;
        Set<String> distinct = new HashSet<>();
        int duplicates = 0;
        int orderViolations = 0;
        for (int i = 0; i < received.size(); i++) {
            if (!distinct.add(received.get(i).id())) {
                duplicates++;
            }
            if (i > 0 && received.get(i).text().compareTo(received.get(i - 1).text()) <= 0) {
                orderViolations++;
            }
        }
        assertThat(duplicates).isZero();
        assertThat(orderViolations).isZero();
        assertThat(distinct).isEqualTo(new HashSet<>(ids));
        assertThat(count(b, "SELECT COUNT(*) FROM message")).isEqualTo(total);
        assertThat(count(a, "SELECT COUNT(*) FROM outbox")).isZero();
        assertThat(b.messenger.unreadCount(a.uid())).isEqualTo(total);
        // History pages, oldest page last, give the sender's order back.
        List<String> history = new ArrayList<>();
        String before = null;
        for (List<Message> page; !(page = b.messenger.history(a.uid(), before, MessageService.MAX_PAGE)).isEmpty(); ) {
            page.forEach(m -> history.add(0, m.text()));
            before = page.get(page.size() - 1).id();
        }
        assertThat(history).hasSize(total).isSorted();
    }

    @Test
    void concurrentSendsAreShownInIdOrderWithoutWaitingForAResend() throws Exception {
        // Several threads sending at once (two IPC clients, or one with requests in flight): the ids they get
        // are the sender's order, and the receiver must show the messages in it.
        Node[] ab = pair();
        Node a = ab[0];
        Node b = ab[1];
        int threads = 4;
        int each = 100;
        Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        ids.add(a.messenger.send(b.uid(), "t" + thread + "-" + i).id());
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // Well inside resend.seconds (30): a message committed after a later id went out would wait for it.
        await().atMost(WAIT).until(() -> b.events.received.size() >= threads * each);
        List<String> shown = b.events.received.stream().map(Message::id).toList();
        assertThat(shown).hasSize(threads * each).doesNotHaveDuplicates().isSorted();
        assertThat(new HashSet<>(shown)).isEqualTo(ids);
    }

    @Test
    void twoSendersToOneReceiverAreEachShownInTheirOwnOrderWithSeparateUnreadCounts() throws Exception {
        Node a = node("alice");
        Node b = node("bob");
        Node c = node("carol");
        b.start();
        a.know(b, true);
        c.know(b, true);
        b.know(a, false);
        b.know(c, false);
        a.start();
        c.start();
        await().atMost(WAIT).until(() -> b.online(a) && b.online(c));
        int each = 300;
        Thread carol = new Thread(() -> {
            for (int i = 0; i < each; i++) {
                try {
                    c.messenger.send(b.uid(), String.format("c%04d", i));
                } catch (MessagingException e) {
                    throw new AssertionError(e);
                }
            }
        });
        carol.start();
        for (int i = 0; i < each; i++) {
            a.messenger.send(b.uid(), String.format("a%04d", i));
        }
        carol.join();
        await().atMost(WAIT).until(() -> b.events.received.size() == 2 * each);
        for (Node sender : List.of(a, c)) {
            List<String> texts = b.textsFrom(sender);
            assertThat(texts).hasSize(each).doesNotHaveDuplicates().isSorted();
        }
        assertThat(b.messenger.unreadCount(a.uid())).isEqualTo(each);
        assertThat(b.messenger.unreadCount(c.uid())).isEqualTo(each);
        assertThat(b.messenger.totalUnread()).isEqualTo(2 * each);
        assertThat(b.messenger.markRead(c.uid())).isEqualTo(each);
        assertThat(b.messenger.unreadCount(c.uid())).isZero();
        assertThat(b.messenger.totalUnread()).isEqualTo(each);
    }

    @Test
    void historyPagesNewestFirstAndDeleteAndSearchWork() throws Exception {
        Node[] ab = pair();
        Node a = ab[0];
        Node b = ab[1];
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            sent.add(a.messenger.send(b.uid(), (i == 7 ? "Meet at the Old Harbour " : "note ") + i));
        }
        await().atMost(WAIT).until(() -> b.events.received.size() == 25);

        List<Message> page1 = b.messenger.history(a.uid(), null, 10);
        List<Message> page2 = b.messenger.history(a.uid(), page1.get(9).id(), 10);
        List<Message> page3 = b.messenger.history(a.uid(), page2.get(9).id(), 10);
        assertThat(page1).extracting(Message::id).containsExactly(ids(sent, 24, 15));
        assertThat(page2).extracting(Message::id).containsExactly(ids(sent, 14, 5));
        assertThat(page3).extracting(Message::id).containsExactly(ids(sent, 4, 0));
        assertThat(a.messenger.history(b.uid(), null, 3)).extracting(Message::id).containsExactly(ids(sent, 24, 22));
        assertThatThrownBy(() -> b.messenger.history(a.uid(), null, 0)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("1 to 500");

        assertThat(b.messenger.search("old HARBOUR", 10)).extracting(Message::id).containsExactly(sent.get(7).id());
        assertThat(a.messenger.search("harbour", 10)).extracting(Message::id).containsExactly(sent.get(7).id());
        assertThat(b.messenger.search("note", 5)).hasSize(5).extracting(Message::id).containsExactly(ids(sent, 24, 20));
        assertThat(b.messenger.search("nowhere", 10)).isEmpty();

        assertThat(b.messenger.delete(sent.get(3).id())).isTrue();
        assertThat(b.messenger.delete(sent.get(3).id())).isFalse();
        assertThat(b.messenger.message(sent.get(3).id())).isEmpty();
        assertThat(b.messenger.history(a.uid(), null, 100)).hasSize(24);
        assertThat(b.messenger.unreadCount(a.uid())).isEqualTo(24);
        assertThat(b.messenger.deleteConversation(a.uid())).isEqualTo(24);
        assertThat(b.messenger.history(a.uid(), null, 100)).isEmpty();
        assertThat(b.messenger.totalUnread()).isZero();
        assertThat(b.messenger.search("harbour", 10)).isEmpty();
        // The conversation goes on after a delete.
        a.messenger.send(b.uid(), "still here");
        await().atMost(WAIT).until(() -> b.messenger.history(a.uid(), null, 10).size() == 1);
    }

    @Test
    void aQueuedMessageDeletedBeforeDeliveryIsNeverSent() throws Exception {
        Node a = node("alice");
        Node b = node("bob");
        a.start();
        a.know(b, false);
        Message dropped = a.messenger.send(b.uid(), "never mind");
        Message kept = a.messenger.send(b.uid(), "hello");
        assertThat(a.messenger.delete(dropped.id())).isTrue();
        b.know(a, true);
        b.start();
        await().atMost(WAIT).until(() -> stateOf(a, kept.id()) == DeliveryState.DELIVERED);
        assertThat(b.textsFrom(a)).containsExactly("hello");
        assertThat(count(b, "SELECT COUNT(*) FROM message")).isEqualTo(1);
    }

    @Test
    void textsOverTheLimitEmptyTextsAndUnknownContactsAreRefusedAndNothingIsStored() throws Exception {
        Node[] ab = pair();
        Node a = ab[0];
        Node b = ab[1];
        String tooLong = "x".repeat(MessageService.MAX_TEXT_BYTES + 1);
        assertThatThrownBy(() -> a.messenger.send(b.uid(), tooLong)).isInstanceOf(MessagingException.class)
                .hasMessage("the message is too long: 65537 bytes of UTF-8, at most 65536 (64 KiB)");
        // Multi-byte characters count in bytes: 32,769 two-byte characters are over the limit.
        assertThatThrownBy(() -> a.messenger.send(b.uid(), "é".repeat(32_769))).isInstanceOf(MessagingException.class)
                .hasMessageContaining("65538 bytes");
        assertThatThrownBy(() -> a.messenger.send(b.uid(), "")).isInstanceOf(MessagingException.class)
                .hasMessage("a message cannot be empty");
        String stranger = TestIdentity.generate("stranger").uid();
        assertThatThrownBy(() -> a.messenger.send(stranger, "hi")).isInstanceOf(MessagingException.class)
                .hasMessageContaining("unknown contact");
        assertThatThrownBy(() -> a.messenger.send("not-a-uid", "hi")).isInstanceOf(MessagingException.class)
                .hasMessageContaining("32 lowercase hex");
        assertThat(count(a, "SELECT COUNT(*) FROM message")).isZero();
        assertThat(count(a, "SELECT COUNT(*) FROM outbox")).isZero();

        // Exactly the limit is fine, and crosses the wire in session chunks.
        String max = "y".repeat(MessageService.MAX_TEXT_BYTES);
        Message m = a.messenger.send(b.uid(), max);
        await().atMost(WAIT).until(() -> stateOf(a, m.id()) == DeliveryState.DELIVERED);
        assertThat(b.messenger.message(m.id()).orElseThrow().text()).isEqualTo(max);
    }

    @Test
    void messagesToAContactWhoseKeyChangedAreHeldUntilVerifiedAgain() throws Exception {
        Node[] ab = pair();
        Node a = ab[0];
        Node b = ab[1];
        a.setKeyChanged(b, true);
        Message held = a.messenger.send(b.uid(), "held back");
        assertThat(a.messenger.typing(b.uid())).isFalse();
        await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> stateOf(a, held.id()) == DeliveryState.QUEUED
                && b.events.received.isEmpty());
        a.setKeyChanged(b, false);
        await().atMost(WAIT).until(() -> stateOf(a, held.id()) == DeliveryState.DELIVERED);
        assertThat(b.textsFrom(a)).containsExactly("held back");
    }

    @Test
    void anUndeliveredMessageFailsAfterTheExpiry() throws Exception {
        Node a = node("alice");
        Node b = node("bob");
        MutableClock clock = new MutableClock();
        a.clock = clock;
        a.start();
        a.know(b, false);
        Message m = a.messenger.send(b.uid(), "into the void");
        clock.advance(Duration.ofDays(29));
        await().during(Duration.ofMillis(1200)).atMost(WAIT).until(() -> stateOf(a, m.id()) == DeliveryState.QUEUED);
        clock.advance(Duration.ofDays(2));
        await().atMost(WAIT).until(() -> stateOf(a, m.id()) == DeliveryState.FAILED);
        await().atMost(WAIT).untilAsserted(() -> assertThat(a.events.statesOf(m.id()))
                .containsExactly(DeliveryState.FAILED));
        assertThat(count(a, "SELECT COUNT(*) FROM outbox")).isZero();
    }

    @Test
    void typingReachesAnOnlineContactAndIsNeverStored() throws Exception {
        Node[] ab = pair();
        Node a = ab[0];
        Node b = ab[1];
        assertThat(a.messenger.typing(b.uid())).isTrue();
        await().atMost(WAIT).until(() -> b.events.typing.equals(List.of(a.uid())));
        assertThat(count(b, "SELECT COUNT(*) FROM message") + count(a, "SELECT COUNT(*) FROM message")).isZero();
        b.stop();
        await().atMost(WAIT).until(() -> !a.online(b));
        assertThat(a.messenger.typing(b.uid())).isFalse();
    }

    // ---- a raw peer: session core only, sending hand-made payloads ----

    record Raw(String from, int type, byte[] payload) {
    }

    private Node[] rawPeerAndReceiver(List<Raw> rawInbox) throws Exception {
        Node b = node("bob");
        Node r = node("raw");
        b.start();
        r.know(b, true);
        b.know(r, false);
        r.startRaw((uid, type, payload) -> rawInbox.add(new Raw(uid, type, payload)));
        await().atMost(WAIT).until(() -> b.online(r) && r.online(b));
        return new Node[] {r, b};
    }

    private static void rawSend(Node r, Node to, int type, byte[] payload) {
        r.core.send(to.uid(), type, payload).toCompletableFuture().join();
    }

    private static long acksOf(List<Raw> inbox, String id) {
        return inbox.stream().filter(x -> x.type() == Wire.ACK).flatMap(x -> {
            try {
                return Wire.decodeIds(x.payload()).stream();
            } catch (Wire.Malformed e) {
                throw new AssertionError(e);
            }
        }).filter(id::equals).count();
    }

    @Test
    void aResentIdIsAcknowledgedEachTimeButStoredAndShownOnceEvenAfterDelete() throws Exception {
        List<Raw> inbox = new CopyOnWriteArrayList<>();
        Node[] rb = rawPeerAndReceiver(inbox);
        Node r = rb[0];
        Node b = rb[1];
        MessageIds ids = new MessageIds(java.time.Clock.systemUTC());
        String id = ids.next();
        byte[] payload = Wire.encodeText(id, null, null, "only once".getBytes(StandardCharsets.UTF_8));
        rawSend(r, b, Wire.MESSAGE, payload);
        rawSend(r, b, Wire.MESSAGE, payload);
        await().atMost(WAIT).until(() -> acksOf(inbox, id) == 2);
        assertThat(b.textsFrom(r)).containsExactly("only once");
        assertThat(count(b, "SELECT COUNT(*) FROM message")).isEqualTo(1);

        assertThat(b.messenger.delete(id)).isTrue();
        rawSend(r, b, Wire.MESSAGE, payload);
        await().atMost(WAIT).until(() -> acksOf(inbox, id) == 3);
        assertThat(b.textsFrom(r)).containsExactly("only once");
        assertThat(count(b, "SELECT COUNT(*) FROM message")).isZero();
    }

    @Test
    void aMessageArrivingBeforeItsPredecessorIsHeldThenShownInTheSendersOrder() throws Exception {
        List<Raw> inbox = new CopyOnWriteArrayList<>();
        Node b = node("bob");
        b.settings = new Messenger.Settings(true, Duration.ofDays(30).toMillis(), 5_000, 2_000);
        Node r = node("raw");
        b.start();
        r.know(b, true);
        b.know(r, false);
        r.startRaw((uid, type, payload) -> inbox.add(new Raw(uid, type, payload)));
        await().atMost(WAIT).until(() -> b.online(r) && r.online(b));
        MessageIds ids = new MessageIds(java.time.Clock.systemUTC());
        String one = ids.next();
        String two = ids.next();
        String three = ids.next();
        String four = ids.next();
        rawSend(r, b, Wire.MESSAGE, Wire.encodeText(two, one, null, "two".getBytes(StandardCharsets.UTF_8)));
        rawSend(r, b, Wire.MESSAGE, Wire.encodeText(three, two, null, "three".getBytes(StandardCharsets.UTF_8)));
        // Acknowledged (it is durable) but not shown: its predecessor is missing.
        await().atMost(WAIT).until(() -> acksOf(inbox, two) == 1 && acksOf(inbox, three) == 1);
        assertThat(b.events.received).isEmpty();
        assertThat(b.messenger.history(r.uid(), null, 10)).isEmpty();
        assertThat(b.messenger.unreadCount(r.uid())).isZero();

        rawSend(r, b, Wire.MESSAGE, Wire.encodeText(one, null, null, "one".getBytes(StandardCharsets.UTF_8)));
        await().atMost(WAIT).until(() -> b.events.received.size() == 3);
        assertThat(b.textsFrom(r)).containsExactly("one", "two", "three");

        // A predecessor that never comes holds its successor only for the hold time (2 s here).
        String five = ids.next();
        rawSend(r, b, Wire.MESSAGE, Wire.encodeText(five, four, null, "five".getBytes(StandardCharsets.UTF_8)));
        await().atMost(WAIT).until(() -> acksOf(inbox, five) == 1);
        assertThat(b.textsFrom(r)).containsExactly("one", "two", "three");
        await().atMost(WAIT).until(() -> b.textsFrom(r).size() == 4);
        assertThat(b.textsFrom(r)).containsExactly("one", "two", "three", "five");
    }

    @Test
    void malformedPayloadsAreDroppedAndTheComponentCarriesOn() throws Exception {
        List<Raw> inbox = new CopyOnWriteArrayList<>();
        Node[] rb = rawPeerAndReceiver(inbox);
        Node r = rb[0];
        Node b = rb[1];
        MessageIds ids = new MessageIds(java.time.Clock.systemUTC());
        String bad = ids.next();
        byte[] good = Wire.encodeText(bad, null, null, "x".getBytes(StandardCharsets.UTF_8));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        byte[] badUtf8 = Wire.encodeText(bad, null, null, new byte[] {(byte) 0xff});
        byte[] version9 = good.clone();
        version9[0] = 9;
        rawSend(r, b, Wire.MESSAGE, new byte[0]);
        rawSend(r, b, Wire.MESSAGE, truncated);
        rawSend(r, b, Wire.MESSAGE, badUtf8);
        rawSend(r, b, Wire.MESSAGE, version9);
        rawSend(r, b, Wire.MESSAGE, new byte[Wire.MAX_PAYLOAD_BYTES + 1]);
        rawSend(r, b, Wire.ACK, new byte[] {1, 0, 5, 1, 2});
        rawSend(r, b, Wire.READ, new byte[] {1});
        rawSend(r, b, Wire.TYPING, new byte[] {1, 2, 3});
        // An acknowledgement of somebody else's message id changes nothing.
        rawSend(r, b, Wire.ACK, Wire.encodeIds(List.of(ids.next())).get(0));

        String ok = ids.next();
        rawSend(r, b, Wire.MESSAGE, Wire.encodeText(ok, null, null, "still fine".getBytes(StandardCharsets.UTF_8)));
        await().atMost(WAIT).until(() -> acksOf(inbox, ok) == 1);
        assertThat(b.textsFrom(r)).containsExactly("still fine");
        assertThat(b.events.typing).isEmpty();
        assertThat(acksOf(inbox, bad)).isZero();
        assertThat(count(b, "SELECT COUNT(*) FROM message")).isEqualTo(1);
        assertThat(b.online(r)).isTrue();
    }

    private static String[] ids(List<Message> sent, int from, int downTo) {
        List<String> out = new ArrayList<>();
        for (int i = from; i >= downTo; i--) {
            out.add(sent.get(i).id());
        }
        return out.toArray(String[]::new);
    }
}
