package jarvis.session.internal;

import static jarvis.session.internal.Daemon.awaitSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.IntStream;

import jarvis.api.ConnectionState;
import jarvis.api.session.PeerHealth;
import jarvis.api.session.PeerNetwork;
import jarvis.api.session.PeerPayloadHandler;
import jarvis.api.session.PeerUnavailableException;
import jarvis.api.session.StatusColour;
import jarvis.transport.tcp.internal.TcpForTests;
import jarvis.transport.tcp.internal.TcpTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Session cores talking over real TCP on 127.0.0.1: the behaviour a user relies on. */
class SessionNetworkTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    private <T extends AutoCloseable> T open(T resource) {
        open.add(resource);
        return resource;
    }

    private Daemon daemon(String name, TestSettings settings) {
        return open(new Daemon(name, settings));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static void befriend(Daemon a, Daemon b) {
        a.know(b, b.endpoint());
        b.know(a, a.endpoint());
        awaitSession(a, b);
    }

    @Test
    void twoPeersExchangePayloadsBothWaysInOrder() {
        Daemon a = daemon("alice", new TestSettings());
        Daemon b = daemon("bob", new TestSettings());
        List<Daemon.Received> onlyType17 = new CopyOnWriteArrayList<>();
        b.core.bindPayloadHandler((uid, type, payload) -> onlyType17.add(new Daemon.Received(uid, type, payload)),
                Map.of(PeerPayloadHandler.CONTENT_TYPES, new Integer[] {17}));
        befriend(a, b);

        List<CompletableFuture<Void>> sent = new ArrayList<>();
        List<String> expected = IntStream.range(0, 100).mapToObj(i -> "message " + i).toList();
        for (String text : expected) {
            sent.add(a.core.send(b.uid(), 16, text.getBytes(StandardCharsets.UTF_8)).toCompletableFuture());
            sent.add(b.core.send(a.uid(), 16, ("reply to " + text).getBytes(StandardCharsets.UTF_8)).toCompletableFuture());
        }
        byte[] large = new byte[200 * 1024 + 7];
        Arrays.fill(large, (byte) 'x');
        sent.add(a.core.send(b.uid(), 16, large).toCompletableFuture());
        sent.add(a.core.send(b.uid(), 17, "typed".getBytes(StandardCharsets.UTF_8)).toCompletableFuture());
        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).join();

        await().atMost(Duration.ofSeconds(5)).until(() -> b.inbox.size() == 102 && a.inbox.size() == 100);
        assertThat(a.textsFrom(b)).containsExactlyElementsOf(expected.stream().map(t -> "reply to " + t).toList());
        assertThat(b.inbox.subList(0, 100)).extracting(Daemon.Received::text).containsExactlyElementsOf(expected);
        assertThat(b.inbox.get(100).payload()).isEqualTo(large);
        assertThat(b.inbox.get(101).type()).isEqualTo(17);
        assertThat(onlyType17).extracting(Daemon.Received::text).containsExactly("typed");

        await().atMost(Duration.ofSeconds(5)).until(() -> health(b, a).rttMicros() >= 0);
        PeerHealth health = health(b, a);
        assertThat(health.state()).isEqualTo(ConnectionState.ONLINE);
        assertThat(health.bytesIn()).isGreaterThan(large.length);
        assertThat(health.framesIn()).isGreaterThan(100);
        assertThat(health.framesOut()).isGreaterThanOrEqualTo(100);
        assertThat(health.remote()).isNotNull();
        assertThat(b.core.status(List.of(a.uid()))).isEqualTo(StatusColour.GREEN);
        assertThat(b.core.status(List.of(a.uid(), "0123456789abcdef0123456789abcdef"))).isEqualTo(StatusColour.AMBER);
        assertThat(b.core.status(List.of())).isEqualTo(StatusColour.RED);
        // One event per change, in the order of the state machine.
        assertThat(b.changes).filteredOn(c -> c.uid().equals(a.uid())).extracting(Daemon.Change::current)
                .endsWith(ConnectionState.ONLINE).doesNotHaveDuplicates();
    }

    @Test
    void sendingToAContactThatIsNotOnlineFailsAtOnce() {
        Daemon a = daemon("alice", new TestSettings());
        Daemon b = daemon("bob", new TestSettings());
        a.know(b);
        assertThat(a.core.send(b.uid(), 16, new byte[] {1}).toCompletableFuture())
                .failsWithin(Duration.ofSeconds(1)).withThrowableOfType(Exception.class)
                .withCauseInstanceOf(PeerUnavailableException.class);
    }

    @Test
    void simultaneousDialsEndWithOneSharedSessionEveryTime() throws Exception {
        Daemon a = daemon("alice", new TestSettings());
        Daemon b = daemon("bob", new TestSettings());
        a.contacts.put(b.asContact(b.endpoint()));
        b.contacts.put(a.asContact(a.endpoint()));
        CyclicBarrier together = new CyclicBarrier(2);
        for (int round = 0; round < 20; round++) {
            Thread other = new Thread(() -> {
                awaitQuietly(together);
                a.core.contactAdded(b.asContact(b.endpoint()));
            });
            other.start();
            awaitQuietly(together);
            b.core.contactAdded(a.asContact(a.endpoint()));
            other.join();
            // Both dialled; within a couple of seconds both hold the same single session (no 15 s stall).
            awaitSession(a, b);
            await().atMost(Duration.ofSeconds(5)).until(() -> a.core.openWires() == 1 && b.core.openWires() == 1);
            assertThat(a.sessionWith(b)).isEqualTo(b.sessionWith(a));

            a.core.contactRemoved(b.asContact(b.endpoint()));
            b.core.contactRemoved(a.asContact(a.endpoint()));
            await().atMost(Duration.ofSeconds(5)).until(() -> a.core.openWires() == 0 && b.core.openWires() == 0
                    && a.stateOf(b) == ConnectionState.OFFLINE && b.stateOf(a) == ConnectionState.OFFLINE);
        }
    }

    private static void awaitQuietly(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRestartedPeerIsBackOnlinePromptly() {
        Daemon a = daemon("alice", new TestSettings());
        TestIdentity bobIdentity = TestIdentity.generate("bob");
        Daemon b = new Daemon("bob", bobIdentity, new TestSettings());
        befriend(a, b);
        b.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> a.stateOf(b) == ConnectionState.OFFLINE);

        Daemon restarted = open(new Daemon("bob", bobIdentity, new TestSettings()));
        restarted.know(a, a.endpoint());
        awaitSession(a, restarted);
        restarted.send(a, "I am back");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.textsFrom(restarted).contains("I am back"));
        assertThat(health(a, restarted).reconnects()).isEqualTo(1);
    }

    @Test
    void aRestartedPeerBehindADeadLinkReplacesTheOldSessionAfterAProbe() throws Exception {
        // The old session was initiated by the smaller key, so the rule would keep it: only the probe can replace it.
        TestIdentity[] ids = {TestIdentity.generate("alice"), TestIdentity.generate("bob")};
        Arrays.sort(ids, (x, y) -> Arrays.compareUnsigned(x.publicKey(), y.publicKey()));
        TestSettings slowKeepalive = new TestSettings().keepalive(10, 30);
        Daemon a = open(new Daemon("alice", ids[0], slowKeepalive));
        Daemon b = new Daemon("bob", ids[1], slowKeepalive);
        Relay relay = open(new Relay(b.endpoint()));
        a.know(b, relay.endpoint());
        b.know(a);
        awaitSession(a, b);
        String old = a.sessionWith(b);

        relay.blackhole = true;
        b.close();
        Daemon restarted = open(new Daemon("bob", ids[1], slowKeepalive));
        restarted.know(a, a.endpoint());
        awaitSession(a, restarted);
        assertThat(a.sessionWith(restarted)).isNotEqualTo(old);
        restarted.send(a, "through the new session");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.textsFrom(restarted).contains("through the new session"));
    }

    @Test
    void keepaliveDetectsADeadPeerAndTheSessionComesBackWithThePath() throws Exception {
        Daemon a = daemon("alice", new TestSettings().keepalive(1, 2));
        Daemon b = daemon("bob", new TestSettings().keepalive(1, 2));
        Relay relay = open(new Relay(b.endpoint()));
        a.know(b, relay.endpoint());
        b.know(a);
        awaitSession(a, b);

        relay.blackhole = true;
        await().atMost(Duration.ofSeconds(6)).until(() -> a.stateOf(b) != ConnectionState.ONLINE
                && b.stateOf(a) == ConnectionState.OFFLINE);
        relay.blackhole = false;
        awaitSession(a, b);
    }

    @Test
    void removingTheTransportTakesContactsOfflineAndANewOneBringsThemBackAtOnce() {
        // Backoff far beyond the wait below: only the dial triggered by the new transport can reconnect in time.
        Daemon a = daemon("alice", new TestSettings().backoff(30, 60));
        Daemon b = daemon("bob", new TestSettings().backoff(30, 60));
        befriend(a, b);

        TcpTransport old = a.tcp;
        a.core.unbindTransport(old);
        TcpForTests.stop(old);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.stateOf(b) == ConnectionState.OFFLINE
                && b.stateOf(a) == ConnectionState.OFFLINE);
        assertThat(a.core.listeningEndpoints()).isEmpty();

        TcpTransport replacement = TcpForTests.start(512);
        a.tcp = replacement;
        a.core.bindTransport(replacement, Daemon.TCP_PROPERTIES);
        awaitSession(a, b);
        assertThat(a.core.listeningEndpoints()).isNotEmpty();
    }

    @Test
    void lockingTheIdentityClosesEverySessionAndUnlockingRestoresThem() {
        Daemon a = daemon("alice", new TestSettings());
        Daemon b = daemon("bob", new TestSettings());
        Daemon c = daemon("carol", new TestSettings());
        befriend(a, b);
        befriend(a, c);

        a.core.identityLocked(a.identity.summary());
        await().atMost(Duration.ofSeconds(5)).until(() -> a.stateOf(b) == ConnectionState.OFFLINE
                && a.stateOf(c) == ConnectionState.OFFLINE && b.stateOf(a) == ConnectionState.OFFLINE
                && c.stateOf(a) == ConnectionState.OFFLINE && a.core.openWires() == 0);
        assertThat(a.core.listeningEndpoints()).isEmpty();
        assertThat(a.core.send(b.uid(), PeerNetwork.FIRST_APPLICATION_TYPE, new byte[1]).toCompletableFuture())
                .isCompletedExceptionally();

        a.core.identityUnlocked(a.identity);
        awaitSession(a, b);
        awaitSession(a, c);
    }

    private static PeerHealth health(Daemon of, Daemon about) {
        return of.core.health().stream().filter(h -> h.contactUid().equals(about.uid())).findFirst().orElseThrow();
    }
}
