package jarvis.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import jarvis.api.Contact;
import jarvis.api.DeliveryState;
import jarvis.api.Message;
import jarvis.session.internal.FaultyPath;
import jarvis.testing.fuzz.Fuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stateful test of messaging over the real stack (store, session core, TCP on loopback, messaging), with a faulty
 * path between the two nodes: random sequences of actions (send either way, cut the connection, drop, duplicate
 * or reorder a frame on the path, restart either node, let the network deliver) are run against a model that is
 * simply the list of texts each side sent. After every action, what each side has shown of the other's messages
 * must be a prefix of what was sent (in order, nothing twice, nothing invented); at the end of a sequence, with
 * the path healed, everything sent must have been shown exactly once, be DELIVERED at the sender, stored once at
 * the receiver, and the outboxes must be empty. The session layer has no rekey inside a session: keys change with
 * each handshake, which every fault and restart forces (rekeying inside the record layer is covered by
 * RecordLayerActionSequenceTest in jarvis.crypto).
 */
@Timeout(300)
class MessagingActionSequenceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private enum Action { SEND_A_TO_B, SEND_B_TO_A, BURST, CUT, DROP_FRAME, DUPLICATE_FRAME, REORDER_FRAMES, RESTART_A,
        RESTART_B, DELIVER }

    /** Two nodes, B dialing A through the faulty path. */
    private static final class World implements AutoCloseable {
        final Node a;
        final Node b;
        FaultyPath path;
        final List<String> sentAtoB = new ArrayList<>();
        final List<String> sentBtoA = new ArrayList<>();
        final List<String> log = new ArrayList<>();

        World(Path dir) throws Exception {
            a = new Node("alice", dir);
            b = new Node("bob", dir);
            a.start();
            path = new FaultyPath(a.endpoint());
            b.contacts.put(a.asContact(path.endpoint()));
            a.know(b, false);
            b.start();
            await().atMost(WAIT).until(() -> a.online(b) && b.online(a));
        }

        void send(Node from, Node to, List<String> sent, String text) throws Exception {
            from.messenger.send(to.uid(), text);
            sent.add(text);
        }

        /** A restart of A gives it a new port: a new path to it, and B told of the changed contact. */
        void restartA() throws Exception {
            a.restart();
            path.close();
            path = new FaultyPath(a.endpoint());
            Contact before = b.contacts.byUid(a.uid()).orElseThrow();
            Contact after = a.asContact(path.endpoint());
            b.contacts.put(after);
            b.core.contactChanged(before, after);
        }

        void checkPrefixes() {
            prefix(b.textsFrom(a), sentAtoB, "shown at B");
            prefix(a.textsFrom(b), sentBtoA, "shown at A");
        }

        private void prefix(List<String> shown, List<String> sent, String what) {
            List<String> sentNow = List.copyOf(sent);
            assertThat(shown.size()).as("%s after %s: %s, sent %s", what, log, shown, sentNow)
                    .isLessThanOrEqualTo(sentNow.size());
            assertThat(shown).as("%s after %s", what, log).isEqualTo(sentNow.subList(0, shown.size()));
        }

        boolean allShown() {
            return b.textsFrom(a).size() == sentAtoB.size() && a.textsFrom(b).size() == sentBtoA.size();
        }

        @Override
        public void close() throws Exception {
            path.close();
            b.close();
            a.close();
        }
    }

    @Test
    void randomActionSequencesDeliverEveryMessageExactlyOnceAndInOrder(@TempDir Path root) {
        int[] sequence = {0};
        Fuzz.Report report = Fuzz.target("messaging-actions").tries(4).timeout(Duration.ofSeconds(120))
                .maxAllocation(input -> Long.MAX_VALUE).property(r -> {
                    Path dir = Files.createDirectory(root.resolve("sequence-" + sequence[0]++));
                    try (World w = new World(dir)) {
                        run(w, r, sequence[0]);
                    }
                });
        assertThat(report.tries()).isPositive();
    }

    private static void run(World w, Random r, int sequence) throws Exception {
        int actions = 6 + r.nextInt(7);
        int n = 0;
        for (int step = 0; step < actions; step++) {
            Action action = Action.values()[r.nextInt(Action.values().length)];
            w.log.add(action.name());
            switch (action) {
                case SEND_A_TO_B -> w.send(w.a, w.b, w.sentAtoB, "s" + sequence + " a" + n++);
                case SEND_B_TO_A -> w.send(w.b, w.a, w.sentBtoA, "s" + sequence + " b" + n++);
                case BURST -> {
                    for (int i = 0; i < 5 + r.nextInt(30); i++) {
                        if (r.nextBoolean()) {
                            w.send(w.a, w.b, w.sentAtoB, "s" + sequence + " a" + n++);
                        } else {
                            w.send(w.b, w.a, w.sentBtoA, "s" + sequence + " b" + n++);
                        }
                    }
                }
                case CUT -> w.path.inject(FaultyPath.Fault.CUT);
                case DROP_FRAME -> w.path.inject(FaultyPath.Fault.DROP);
                case DUPLICATE_FRAME -> w.path.inject(FaultyPath.Fault.DUPLICATE);
                case REORDER_FRAMES -> w.path.inject(FaultyPath.Fault.REORDER);
                case RESTART_A -> w.restartA();
                case RESTART_B -> w.b.restart();
                case DELIVER -> await().atMost(WAIT).untilAsserted(() -> {
                    w.checkPrefixes();
                    assertThat(w.allShown()).isTrue();
                });
            }
            w.checkPrefixes();
        }
        // Heal the path (a fault still pending fires on the next frame, as it would have) and let everything arrive.
        await().atMost(WAIT).untilAsserted(() -> {
            w.checkPrefixes();
            assertThat(w.allShown()).as("everything shown after %s", w.log).isTrue();
        });
        assertThat(w.b.textsFrom(w.a)).containsExactlyElementsOf(w.sentAtoB);
        assertThat(w.a.textsFrom(w.b)).containsExactlyElementsOf(w.sentBtoA);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(count(w.a, "SELECT COUNT(*) FROM outbox")).isZero();
            assertThat(count(w.b, "SELECT COUNT(*) FROM outbox")).isZero();
        });
        for (Node sender : List.of(w.a, w.b)) {
            Node receiver = sender == w.a ? w.b : w.a;
            List<Message> history = sender.messenger.history(receiver.uid(), null, 500);
            assertThat(history).filteredOn(Message::outgoing).allSatisfy(m ->
                    assertThat(m.state()).isIn(DeliveryState.DELIVERED, DeliveryState.READ));
        }
        assertThat(count(w.b, "SELECT COUNT(*) FROM message WHERE outgoing = FALSE")).isEqualTo(w.sentAtoB.size());
        assertThat(count(w.a, "SELECT COUNT(*) FROM message WHERE outgoing = FALSE")).isEqualTo(w.sentBtoA.size());
    }

    private static long count(Node n, String sql) throws Exception {
        return n.store.read(c -> {
            try (PreparedStatement p = c.prepareStatement(sql); ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
