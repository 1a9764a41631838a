package jarvis.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code kill -9} of a real daemon process in the middle of a burst of 10,000 messages, then a restart
 * (docs/testing.md, "Fault injection"). Alice sends to Bob through IPC; every send answered with success is
 * durable at Alice and must be shown by Bob exactly once, in Alice's order, and end DELIVERED at Alice. Once
 * Bob is killed (the receiver), once Alice (the sender: sends never answered may or may not exist; they are
 * counted apart). Loopback only; every wait is bounded.
 */
public class KillBurstIT {

    static final int MESSAGES = 10_000;
    static final int KILL_AFTER = 3_000;
    static final long DELIVERY_SECONDS = 240;

    private static DaemonNode alice;
    private static DaemonNode bob;

    @BeforeClass
    public static void twoDaemons() throws Exception {
        Path cache = ContainerSetup.newDirectory("kill-cache");
        alice = DaemonNode.create("alice", cache, null);
        bob = DaemonNode.create("bob", cache, null);
        DaemonNode.connect(alice, bob, bob.endpoint(), alice.endpoint());
    }

    @AfterClass
    public static void stopDaemons() throws Exception {
        for (DaemonNode n : new DaemonNode[] {alice, bob}) {
            if (n != null) {
                n.close();
            }
        }
    }

    @Test
    public void killingTheReceiverMidBurstLosesAndRepeatsNothing() throws Exception {
        Burst burst = new Burst("kill-receiver", MESSAGES).baseline(bob, alice);
        Burst.Shown shown = burst.shown(alice.uid());
        shown.attach(bob.ipc());
        long start = System.nanoTime();
        CompletableFuture<Void> sending = sendInBackground(burst);

        awaitCount("bob shows " + KILL_AFTER + " messages", 120, shown.announced::get, KILL_AFTER);
        bob.kill9();
        int shownBeforeKill = shown.announced.get();
        bob.start();
        shown.attach(bob.ipc());
        bob.unlock();
        sending.get(DELIVERY_SECONDS, TimeUnit.SECONDS);
        assertEquals("the receiver's death never makes a send fail: " + burst.refused, 0, burst.refused.size());
        assertEquals(0, burst.unanswered.size());
        assertEquals(MESSAGES, burst.acknowledged.size());

        Set<String> expected = burst.acknowledgedIds();
        Result result = awaitDelivery(burst, expected, start);
        System.out.println("KillBurstIT receiver kill -9: sent " + MESSAGES + ", acknowledged " + burst.acknowledged.size()
                + ", killed after " + shownBeforeKill + " shown, delivered " + result.outcome.delivered() + ", duplicates "
                + result.outcome.duplicates() + " (announced twice " + shown.duplicates.get() + "), order violations "
                + result.outcome.orderViolations() + " (announced out of order " + shown.orderViolations.get() + "), "
                + result.seconds + " s (sends " + burst.sendMillis() + " ms); load " + Load.now());
        assertEquals(Set.of(), difference(expected, result.outcome.ids()));
        assertEquals(expected, result.outcome.ids());
        assertEquals(0, result.outcome.duplicates());
        assertEquals(0, result.outcome.orderViolations());
        assertEquals(0, shown.duplicates.get());
        assertEquals(0, shown.orderViolations.get());
    }

    @Test
    public void killingTheSenderMidBurstKeepsEveryAcknowledgedMessage() throws Exception {
        Burst burst = new Burst("kill-sender", MESSAGES).baseline(bob, alice);
        Burst.Shown shown = burst.shown(alice.uid());
        shown.attach(bob.ipc());
        long start = System.nanoTime();
        CompletableFuture<Void> sending = sendInBackground(burst);

        awaitCount("alice acknowledges " + KILL_AFTER + " sends", 120, burst.acknowledged::size, KILL_AFTER);
        alice.kill9();
        sending.get(DELIVERY_SECONDS, TimeUnit.SECONDS);
        Set<String> acknowledged = burst.acknowledgedIds();
        int requested = burst.acknowledged.size() + burst.refused.size() + burst.unanswered.size();
        assertEquals("nothing is refused: " + burst.refused, 0, burst.refused.size());
        alice.restart();

        // What Alice stored: every acknowledged send, and perhaps some whose answer the kill swallowed.
        Map<String, String> stored = burst.sent(alice.history(bob.uid()));
        assertEquals("acknowledged but lost at the sender", Set.of(), difference(acknowledged, stored.keySet()));
        int storedUnanswered = stored.size() - acknowledged.size();
        Result result = awaitDelivery(burst, stored.keySet(), start);
        System.out.println("KillBurstIT sender kill -9: requested " + requested + " of " + MESSAGES + ", acknowledged "
                + acknowledged.size() + ", unanswered " + burst.unanswered.size() + " (of which stored and delivered "
                + storedUnanswered + ", never stored " + (burst.unanswered.size() - storedUnanswered) + "), delivered "
                + result.outcome.delivered() + ", duplicates " + result.outcome.duplicates() + " (announced twice "
                + shown.duplicates.get() + "), order violations " + result.outcome.orderViolations()
                + " (announced out of order " + shown.orderViolations.get() + "), " + result.seconds + " s; load " + Load.now());
        assertTrue("alice was killed mid-burst", requested < MESSAGES || burst.unanswered.size() > 0);
        assertEquals(stored.keySet(), result.outcome.ids());
        assertEquals(0, result.outcome.duplicates());
        assertEquals(0, result.outcome.orderViolations());
        assertEquals(0, shown.duplicates.get());
        assertEquals(0, shown.orderViolations.get());
    }

    private static CompletableFuture<Void> sendInBackground(Burst burst) {
        JsonIpc ipc = alice.ipc();
        String to = bob.uid();
        return CompletableFuture.runAsync(() -> {
            try {
                burst.send(ipc, to);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    record Result(Burst.Outcome outcome, long seconds) {
    }

    /**
     * Waits (bounded) until Bob shows every expected message and Alice records each as DELIVERED, then reads
     * Bob's whole history.
     */
    static Result awaitDelivery(Burst burst, Set<String> expected, long startNanos) throws Exception {
        awaitDelivered(alice, bob, burst, expected, DELIVERY_SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
        return new Result(burst.received(bob.history(alice.uid())), seconds);
    }

    /**
     * Until every expected message is DELIVERED at the sender and shown at the receiver. The receiver's unread
     * count (one cheap query) gates the reads of whole histories, which would otherwise compete with the
     * daemons for the cores every second.
     */
    static void awaitDelivered(DaemonNode sender, DaemonNode receiver, Burst burst, Set<String> expected, long seconds) {
        awaitTrue("bob's unread count reaches the burst", seconds,
                () -> receiver.unread(sender.uid()) - burst.unreadBefore >= expected.size());
        awaitTrue("every message of " + burst.prefix + " delivered", seconds, () -> {
            Map<String, String> states = burst.sent(sender.history(receiver.uid()));
            return states.keySet().containsAll(expected)
                    && expected.stream().allMatch(id -> "DELIVERED".equals(states.get(id)) || "READ".equals(states.get(id)));
        });
        awaitTrue("every message of " + burst.prefix + " shown", seconds,
                () -> burst.received(receiver.history(sender.uid())).ids().containsAll(expected));
    }

    static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new HashSet<>(a);
        d.removeAll(b);
        return d;
    }

    /** Polls every second: for conditions that read whole histories. */
    static void awaitTrue(String what, long seconds, java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await(what).atMost(seconds, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS)
                .pollDelay(0, TimeUnit.SECONDS).until(condition);
    }

    /** Polls often: for counters kept by this JVM, where a fault must strike close to a given count. */
    static void awaitCount(String what, long seconds, java.util.function.IntSupplier count, int atLeast) {
        org.awaitility.Awaitility.await(what).atMost(seconds, TimeUnit.SECONDS).pollInterval(10, TimeUnit.MILLISECONDS)
                .pollDelay(0, TimeUnit.SECONDS).until(() -> count.getAsInt() >= atLeast);
    }
}
