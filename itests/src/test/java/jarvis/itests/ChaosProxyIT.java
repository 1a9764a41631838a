package jarvis.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Two real daemons with a {@link ChaosProxy} on the path between them (each one's stored endpoint for the
 * other is a route of the proxy), and a burst from Alice to Bob for each kind of fault: drop, delay, reset,
 * truncate, corrupt (docs/testing.md, "Fault injection"). For each: every acknowledged send is shown by Bob
 * exactly once in Alice's order and ends DELIVERED, the session comes back by itself, and a corrupted record
 * is reported to the user (a {@code security_alert} of kind {@code RECORD_REJECTED} over IPC).
 */
public class ChaosProxyIT {

    static final int MESSAGES = 1_000;
    static final long SECONDS = 120;

    private static DaemonNode alice;
    private static DaemonNode bob;
    private static ChaosProxy proxy;
    private static final List<JsonNode> aliceAlerts = new CopyOnWriteArrayList<>();
    private static final List<JsonNode> bobAlerts = new CopyOnWriteArrayList<>();

    @BeforeClass
    public static void twoDaemonsBehindAProxy() throws Exception {
        Path cache = ContainerSetup.newDirectory("chaos-cache");
        alice = DaemonNode.create("alice", cache, null);
        bob = DaemonNode.create("bob", cache, null);
        proxy = new ChaosProxy();
        String toBob = proxy.route(bob.port, alice.port);
        String toAlice = proxy.route(alice.port, bob.port);
        DaemonNode.connect(alice, bob, toBob, toAlice);
        collectAlerts(alice, aliceAlerts);
        collectAlerts(bob, bobAlerts);
    }

    private static void collectAlerts(DaemonNode node, List<JsonNode> into) {
        node.ipc().onEvent(e -> {
            if ("security_alert".equals(e.path("event").asText())) {
                into.add(e.path("data"));
            }
        });
    }

    @AfterClass
    public static void stopAll() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        for (DaemonNode n : new DaemonNode[] {alice, bob}) {
            if (n != null) {
                n.close();
            }
        }
    }

    @After
    public void heal() {
        proxy.heal();
    }

    @Test
    public void droppedBytesKillTheSessionWhichComesBackAndLosesNothing() throws Exception {
        int before = proxy.accepted.get();
        Run run = burst("drop", shown -> {
            for (int at : new int[] {200, 600}) {
                awaitShown(shown, at);
                proxy.dropFor(4_000);
            }
        });
        assertTrue("bytes were dropped", proxy.droppedBytes.get() > 0);
        assertTrue("the sender dialled again", proxy.accepted.get() > before);
        run.report("drop 2 x 4 s");
    }

    @Test
    public void aSlowPathDelaysButLosesNothing() throws Exception {
        proxy.delay(25);
        Run run = burst("delay", shown -> awaitShown(shown, MESSAGES / 2));
        run.report("delay 25 ms each way");
    }

    @Test
    public void resetConnectionsAreRedialledAndLoseNothing() throws Exception {
        int before = proxy.accepted.get();
        int resetsBefore = proxy.resets.get();
        Run run = burst("reset", shown -> {
            for (int at : new int[] {150, 400, 650}) {
                awaitShown(shown, at);
                proxy.resetAll();
            }
        });
        assertEquals(resetsBefore + 3, proxy.resets.get());
        assertTrue("the daemons dialled again after each reset", proxy.accepted.get() >= before + 3);
        run.report("reset 3 x");
    }

    @Test
    public void aFrameCutInTheMiddleIsNeitherDeliveredNorLost() throws Exception {
        int before = proxy.truncated.get();
        Run run = burst("truncate", shown -> {
            for (int i = 1, at = 200; i <= 3; i++, at += 300) {
                awaitShown(shown, at);
                proxy.truncateNextRecord();
                int cuts = before + i;
                KillBurstIT.awaitCount("a record frame cut", SECONDS, proxy.truncated::get, cuts);
            }
        });
        assertEquals(before + 3, proxy.truncated.get());
        run.report("truncate 3 x");
    }

    @Test
    public void corruptedRecordsAreRejectedReportedAndResent() throws Exception {
        int before = proxy.corrupted.get();
        int towardsBob = proxy.corruptedFor(bob.port);
        int towardsAlice = proxy.corruptedFor(alice.port);
        Run run = burst("corrupt", shown -> {
            for (int i = 1, at = 200; i <= 3; i++, at += 300) {
                awaitShown(shown, at);
                proxy.corruptNextRecord();
                KillBurstIT.awaitCount("a record corrupted", SECONDS, proxy.corrupted::get, before + i);
            }
        });
        assertEquals(before + 3, proxy.corrupted.get());
        // Whoever received a flipped bit said so over IPC (the alarm reports once per 10 s per peer and host).
        if (proxy.corruptedFor(bob.port) > towardsBob) {
            awaitAlert(bobAlerts, alice.uid());
        }
        if (proxy.corruptedFor(alice.port) > towardsAlice) {
            awaitAlert(aliceAlerts, bob.uid());
        }
        run.report("corrupt 3 x (" + (proxy.corruptedFor(bob.port) - towardsBob) + " towards the receiver, "
                + (proxy.corruptedFor(alice.port) - towardsAlice) + " towards the sender); alerts: receiver "
                + count(bobAlerts) + ", sender " + count(aliceAlerts));
    }

    private static long count(List<JsonNode> alerts) {
        return alerts.stream().filter(a -> "RECORD_REJECTED".equals(a.path("kind").asText())).count();
    }

    private static void awaitAlert(List<JsonNode> alerts, String fromUid) {
        KillBurstIT.awaitTrue("a RECORD_REJECTED alert about " + fromUid, 30, () -> alerts.stream()
                .anyMatch(a -> "RECORD_REJECTED".equals(a.path("kind").asText()) && fromUid.equals(a.path("uid").asText())
                        && !a.path("detail").asText().isEmpty()));
    }

    private static void awaitShown(Burst.Shown shown, int atLeast) {
        KillBurstIT.awaitCount("bob shows " + atLeast, SECONDS, shown.announced::get, atLeast);
    }

    interface Faults {
        void inject(Burst.Shown shown) throws Exception;
    }

    /** What one burst through the proxy gave, checked; {@link #report} prints the figures. */
    record Run(Burst burst, Burst.Shown shown, Burst.Outcome outcome, long seconds) {
        void report(String faults) {
            System.out.println("ChaosProxyIT " + burst.prefix + " (" + faults + "): sent " + burst.count + ", acknowledged "
                    + burst.acknowledged.size() + ", delivered " + outcome.delivered() + ", duplicates "
                    + outcome.duplicates() + " (announced twice " + shown.duplicates.get() + "), order violations "
                    + outcome.orderViolations() + " (announced out of order " + shown.orderViolations.get() + "), "
                    + seconds + " s; proxy connections " + proxy.accepted.get() + "; load " + Load.now());
        }
    }

    /**
     * Sends a burst while {@code faults} strike, heals the path, waits for delivery and checks: all
     * acknowledged, each shown exactly once in order, DELIVERED at the sender, the session back online.
     */
    private static Run burst(String name, Faults faults) throws Exception {
        Burst burst = new Burst(name, MESSAGES).baseline(bob, alice);
        Burst.Shown shown = burst.shown(alice.uid());
        shown.attach(bob.ipc());
        long start = System.nanoTime();
        JsonIpc ipc = alice.ipc();
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                burst.send(ipc, bob.uid());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        try {
            faults.inject(shown);
        } finally {
            proxy.heal();
        }
        sending.get(SECONDS, TimeUnit.SECONDS);
        assertEquals("a fault on the path never makes a send fail: " + burst.refused, 0, burst.refused.size());
        assertEquals(MESSAGES, burst.acknowledged.size());
        Set<String> expected = burst.acknowledgedIds();
        KillBurstIT.awaitDelivered(alice, bob, burst, expected, SECONDS);
        Burst.Outcome outcome = burst.received(bob.history(alice.uid()));
        assertEquals(expected, outcome.ids());
        assertEquals(0, outcome.duplicates());
        assertEquals(0, outcome.orderViolations());
        assertEquals(0, shown.duplicates.get());
        assertEquals(0, shown.orderViolations.get());
        KillBurstIT.awaitTrue("the session is back", SECONDS, () -> alice.ipc()
                .call("get_connection_status", JsonIpc.params().put("uid", bob.uid())).path("connected").asBoolean());
        return new Run(burst, shown, outcome, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
    }
}
