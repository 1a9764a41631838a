package jarvis.session.internal;

import static jarvis.session.internal.Daemon.awaitSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jarvis.api.ConnectionState;
import jarvis.api.Endpoint;
import jarvis.api.contacts.ContactRequest;
import jarvis.api.session.SecurityEvent;
import jarvis.api.transport.FrameReceiver;
import jarvis.api.transport.Link;
import jarvis.crypto.FiveLayerCipher;
import jarvis.crypto.RecordCipher;
import jarvis.crypto.Role;
import jarvis.crypto.TransportKeys;
import jarvis.transport.tcp.internal.TcpForTests;
import jarvis.transport.tcp.internal.TcpTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What attackers on the network can try against a daemon, over real sockets; the daemon must hold. */
class AdversarialTest {

    private static final SecureRandom RANDOM = new SecureRandom();
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

    /** Padded so that records carrying it are told apart from keepalive records by size. */
    private static String message(String text) {
        return text + " ".repeat(400);
    }

    @Test
    void anImpostorWithAContactsUidButItsOwnKeyGetsKeyMismatchAndNothingElse() {
        TestIdentity bob = TestIdentity.generate("bob");
        Daemon a = daemon("alice", new TestSettings());
        a.contacts.put(contactOf(bob));
        a.core.contactAdded(contactOf(bob));
        // Jarvis 1.x let anyone who knew bob's public key and uid be bob.
        Daemon mallory = open(new Daemon("bob", bob.impostor(), new TestSettings()));
        mallory.know(a, a.endpoint());

        await().atMost(Duration.ofSeconds(5)).until(() -> !a.security.isEmpty());
        SecurityEvent event = a.security.get(0);
        assertThat(event.kind()).isEqualTo(SecurityEvent.Kind.KEY_MISMATCH);
        assertThat(event.contactUid()).isEqualTo(bob.uid());
        assertThat(event.presentedFingerprint()).isEqualTo(mallory.identity.fingerprint());
        assertThat(event.expectedFingerprint()).isEqualTo(bob.fingerprint());
        await().atMost(Duration.ofSeconds(5)).until(() -> a.core.state(bob.uid()) == ConnectionState.REFUSED);
        assertThat(mallory.changes).extracting(Daemon.Change::current).doesNotContain(ConnectionState.ONLINE);
        assertThat(mallory.core.send(a.uid(), 16, new byte[] {1}).toCompletableFuture()).isCompletedExceptionally();
        assertThat(a.inbox).isEmpty();
    }

    private static jarvis.api.Contact contactOf(TestIdentity identity) {
        return new jarvis.api.Contact(identity.uid(), identity.summary().username(), identity.fingerprint(),
                identity.publicKeyHex(), List.of(), true, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"request", "refuse"})
    void anUnknownKeyIsReportedAndNeverGetsASession(String mode) {
        Daemon a = daemon("alice", new TestSettings().unknownKeys(mode));
        Daemon stranger = daemon("stranger", new TestSettings());
        stranger.know(a, a.endpoint());

        await().atMost(Duration.ofSeconds(5)).until(() -> !a.security.isEmpty());
        SecurityEvent event = a.security.get(0);
        assertThat(event.kind()).isEqualTo(SecurityEvent.Kind.UNKNOWN_KEY);
        assertThat(event.presentedFingerprint()).isEqualTo(stranger.identity.fingerprint());
        if (mode.equals("request")) {
            ContactRequest request = a.contacts.requests.get(0);
            assertThat(request.uid()).isEqualTo(stranger.uid());
            assertThat(request.username()).isEqualTo("stranger");
            assertThat(request.publicKey()).isEqualTo(stranger.identity.publicKeyHex());
            assertThat(request.endpoints()).containsExactly(stranger.endpoint());
        } else {
            assertThat(a.contacts.requests).isEmpty();
        }
        assertThat(stranger.changes).extracting(Daemon.Change::current).doesNotContain(ConnectionState.ONLINE);
        assertThat(a.core.health()).extracting(h -> h.state()).doesNotContain(ConnectionState.ONLINE);
        assertThat(a.inbox).isEmpty();
    }

    @Test
    void aKnownPeerDialingWithXxGetsASessionAndItsPayloadsArrive() throws Exception {
        Daemon a = daemon("alice", new TestSettings());
        TestIdentity carol = TestIdentity.generate("carol");
        a.know(open(new Daemon("carol-as-known", carol, new TestSettings())));
        TcpTransport tcp = TcpForTests.start(16);
        try {
            BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
            Link link = tcp.dial(a.endpoint(), receiver(frames)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            Handshaker xx = Handshaker.initiatorXX(carol.keys(), RANDOM);
            link.send(xx.write(HandshakePayload.versionsOnly(WireFormat.SUPPORTED_VERSIONS)));
            HandshakePayload reply = xx.read(frames.poll(5, TimeUnit.SECONDS));
            assertThat(reply.uid()).isEqualTo(a.uid());
            assertThat(xx.remoteStaticKey()).isEqualTo(a.identity.publicKey());
            link.send(xx.write(new HandshakePayload(reply.versions(), carol.uid(), "carol", List.of())));
            link.authenticated();
            TransportKeys keys = xx.split();
            RecordCipher cipher = FiveLayerCipher.create(keys, Role.INITIATOR);
            byte[] hello = "hello over XX".getBytes(StandardCharsets.UTF_8);
            byte[] plaintext = new byte[hello.length + 1];
            System.arraycopy(hello, 0, plaintext, 1, hello.length);
            link.send(cipher.seal(16, plaintext));

            await().atMost(Duration.ofSeconds(5)).until(() -> a.inbox.size() == 1);
            assertThat(a.inbox.get(0).from()).isEqualTo(carol.uid());
            assertThat(a.inbox.get(0).text()).isEqualTo("hello over XX");
            assertThat(a.core.state(carol.uid())).isEqualTo(ConnectionState.ONLINE);
            link.close();
        } finally {
            TcpForTests.stop(tcp);
        }
    }

    private static FrameReceiver receiver(BlockingQueue<byte[]> frames) {
        return new FrameReceiver() {
            @Override
            public void frame(Link link, byte[] frame) {
                frames.add(frame);
            }

            @Override
            public void closed(Link link, Throwable cause) {
            }
        };
    }

    @Test
    void aRelayingManInTheMiddleSeesNoPlaintextAndAnyChangeKillsOnlyThatSession() throws Exception {
        Daemon a = daemon("alice", new TestSettings());
        // Bob redials only after the test: every session comes from alice through the relay, never directly.
        Daemon b = daemon("bob", new TestSettings().backoff(30, 60));
        Daemon c = daemon("carol", new TestSettings());
        Relay relay = open(new Relay(b.endpoint()));
        a.know(b, relay.endpoint());
        b.know(a);
        a.know(c, c.endpoint());
        c.know(a, a.endpoint());
        awaitSession(a, b);
        awaitSession(a, c);

        a.send(b, message("the launch code is 0000"));
        b.send(a, message("the answer is 42"));
        await().atMost(Duration.ofSeconds(5)).until(() -> b.inbox.size() == 1 && a.textsFrom(b).size() == 1);
        String wire = new String(relay.seen(), StandardCharsets.ISO_8859_1);
        assertThat(wire).doesNotContain("launch code").doesNotContain("answer is").doesNotContain(a.name)
                .doesNotContain(b.uid());

        // A flipped bit in a record from alice: bob drops the session, then they reconnect.
        String first = b.sessionWith(a);
        relay.tamper = once((fromDialer, frame) -> fromDialer && isMessage(frame), frame -> {
            frame[frame.length - 3] ^= 0x10;
            return List.of(frame);
        });
        a.send(b, message("flipped"));
        await().atMost(Duration.ofSeconds(6)).until(() -> b.sessionWith(a) != null && !b.sessionWith(a).equals(first));
        awaitSession(a, b);
        assertThat(b.security).as("the altered record is reported, not only logged")
                .anyMatch(e -> e.kind() == SecurityEvent.Kind.RECORD_REJECTED && a.uid().equals(e.contactUid()));

        // A frame injected towards alice: alice drops that session too.
        String second = a.sessionWith(b);
        byte[] forged = new byte[200];
        RANDOM.nextBytes(forged);
        forged[0] = WireFormat.RECORD_FRAME;
        relay.inject(false, forged);
        await().atMost(Duration.ofSeconds(6)).until(() -> a.sessionWith(b) != null && !a.sessionWith(b).equals(second));
        awaitSession(a, b);

        a.send(b, message("after the attacks"));
        c.send(a, message("carol was never disturbed"));
        await().atMost(Duration.ofSeconds(5)).until(() -> b.textsFrom(a).contains("after the attacks")
                && a.textsFrom(c).contains("carol was never disturbed"));
        assertThat(b.textsFrom(a)).doesNotContain("flipped");
        assertThat(a.sessionWith(c)).isEqualTo(c.sessionWith(a));
    }

    enum RecordAttack { DUPLICATE, SWAP, OLD_REPLAY }

    @ParameterizedTest
    @EnumSource(RecordAttack.class)
    void replayedReorderedAndStaleRecordsAreRejectedAndTheDaemonRecovers(RecordAttack attack) throws Exception {
        Daemon a = daemon("alice", new TestSettings());
        Daemon b = daemon("bob", new TestSettings());
        Relay relay = open(new Relay(b.endpoint()));
        a.know(b, relay.endpoint());
        b.know(a);
        awaitSession(a, b);
        String attacked = b.sessionWith(a);

        AtomicInteger seen = new AtomicInteger();
        AtomicReference<byte[]> held = new AtomicReference<>();
        int count;
        List<String> expected = new ArrayList<>();
        switch (attack) {
            case DUPLICATE -> {
                count = 5;
                relay.tamper = (fromDialer, frame) -> {
                    if (fromDialer && isMessage(frame) && seen.incrementAndGet() == 3) {
                        return List.of(frame, frame.clone());
                    }
                    return List.of(frame);
                };
                expected.addAll(List.of("m0", "m1", "m2"));
            }
            case SWAP -> {
                count = 5;
                relay.tamper = (fromDialer, frame) -> {
                    if (fromDialer && isMessage(frame)) {
                        int n = seen.incrementAndGet();
                        if (n == 2) {
                            held.set(frame);
                            return List.of();
                        }
                        if (n == 3) {
                            return List.of(frame, held.get());
                        }
                    }
                    return List.of(frame);
                };
                expected.add("m0");
            }
            default -> {
                count = 72;
                relay.tamper = (fromDialer, frame) -> {
                    if (fromDialer && isMessage(frame)) {
                        int n = seen.incrementAndGet();
                        if (n == 1) {
                            held.set(frame.clone());
                        }
                        if (n == 71) {
                            return List.of(frame, held.get());
                        }
                    }
                    return List.of(frame);
                };
                for (int i = 0; i < 71; i++) {
                    expected.add("m" + i);
                }
            }
        }
        for (int i = 0; i < count; i++) {
            try {
                a.send(b, message("m" + i));
            } catch (java.util.concurrent.CompletionException e) {
                // The session may already be gone: what counts is what bob accepted.
            }
        }
        await().atMost(Duration.ofSeconds(6)).until(() -> b.sessionWith(a) != null && !b.sessionWith(a).equals(attacked));
        assertThat(b.textsFrom(a)).containsExactlyElementsOf(expected);
        assertThat(b.security).as("the broken record sequence is reported")
                .anyMatch(e -> e.kind() == SecurityEvent.Kind.RECORD_REJECTED && a.uid().equals(e.contactUid()));

        relay.tamper = Relay.PASS;
        awaitSession(a, b);
        a.send(b, message("fresh"));
        await().atMost(Duration.ofSeconds(5)).until(() -> b.textsFrom(a).contains("fresh"));
        assertThat(b.textsFrom(a)).doesNotHaveDuplicates();
    }

    @Test
    void garbageOversizedFramesAndForgedHandshakesAreClosedAndReportedWithoutFlooding() throws Exception {
        Daemon a = daemon("alice", new TestSettings());
        Daemon b = daemon("bob", new TestSettings());
        a.know(b, b.endpoint());
        b.know(a, a.endpoint());
        awaitSession(a, b);
        String session = a.sessionWith(b);

        for (int i = 0; i < 30; i++) {
            byte[] garbage = new byte[64];
            RANDOM.nextBytes(garbage);
            garbage[0] = 0x07;
            assertClosedAfter(a.endpoint(), frame(garbage));
        }
        assertClosedAfter(a.endpoint(), new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
        for (int i = 0; i < 10; i++) {
            byte[] forged = new byte[120];
            RANDOM.nextBytes(forged);
            forged[0] = WireFormat.HANDSHAKE_FRAME;
            forged[1] = WireFormat.PATTERN_IK;
            forged[2] = WireFormat.CIPHER_CHACHAPOLY;
            assertClosedAfter(a.endpoint(), frame(forged));
        }

        List<SecurityEvent> failures = a.security.stream()
                .filter(e -> e.kind() == SecurityEvent.Kind.HANDSHAKE_FAILED).toList();
        // Forty bad handshakes from one host: the user hears of the first of each kind, not of forty.
        assertThat(failures).isNotEmpty().hasSizeLessThanOrEqualTo(2);
        a.send(b, message("still here"));
        await().atMost(Duration.ofSeconds(5)).until(() -> b.textsFrom(a).contains("still here"));
        assertThat(a.sessionWith(b)).isEqualTo(session);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.core.pendingHandshakes() == 0);
    }

    @Test
    void aBytePerTickHandshakeIsCutByTheHandshakeTimeout() throws Exception {
        Daemon a = daemon("alice", new TestSettings());
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), a.endpoint().port())) {
            socket.setSoTimeout(200);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(60);
            out.write(WireFormat.HANDSHAKE_FRAME);
            out.flush();
            int written = 1;
            boolean closed = false;
            // One byte per 200 ms read timeout: the whole frame would need 12 s; the 1 s timeout must cut it.
            while (!closed && written < 60) {
                try {
                    closed = socket.getInputStream().read() < 0;
                } catch (SocketTimeoutException e) {
                    out.write(0);
                    out.flush();
                    written++;
                } catch (IOException e) {
                    closed = true;
                }
            }
            assertThat(closed).isTrue();
            assertThat(written).isLessThan(30);
        }
        assertThat(a.core.pendingHandshakes()).isZero();
    }

    @Test
    void aThousandIdleConnectionsAreCutWhileARealPeerKeepsWorking() throws Exception {
        Daemon a = open(new Daemon("alice", TestIdentity.generate("alice"), new TestSettings(), 1100));
        Daemon b = daemon("bob", new TestSettings());
        a.know(b, b.endpoint());
        b.know(a, a.endpoint());
        awaitSession(a, b);
        String session = a.sessionWith(b);

        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                idle.add(new Socket(InetAddress.getLoopbackAddress(), a.endpoint().port()));
            }
            for (int i = 0; i < 20; i++) {
                a.send(b, message("a" + i));
                b.send(a, message("b" + i));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> b.inbox.size() == 20 && a.inbox.size() == 20);
            for (Socket s : idle) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                int read;
                try {
                    read = in.read();
                } catch (IOException e) {
                    read = -1;
                }
                assertThat(read).isEqualTo(-1);
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        assertThat(a.core.pendingHandshakes()).isZero();
        assertThat(a.sessionWith(b)).isEqualTo(session);
        assertThat(b.textsFrom(a)).hasSize(20);
    }

    private static void assertClosedAfter(Endpoint endpoint, byte[] bytes) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (IOException e) {
                read = -1;
            }
            assertThat(read).as("the daemon closes the link").isEqualTo(-1);
        }
    }

    private static byte[] frame(byte[] body) {
        byte[] f = new byte[4 + body.length];
        f[0] = (byte) (body.length >>> 24);
        f[1] = (byte) (body.length >>> 16);
        f[2] = (byte) (body.length >>> 8);
        f[3] = (byte) body.length;
        System.arraycopy(body, 0, f, 4, body.length);
        return f;
    }

    private static boolean isMessage(byte[] frame) {
        return frame.length > 300 && frame[0] == WireFormat.RECORD_FRAME;
    }

    private static Relay.Tamper once(java.util.function.BiPredicate<Boolean, byte[]> when,
            java.util.function.Function<byte[], List<byte[]>> change) {
        AtomicInteger done = new AtomicInteger();
        return (fromDialer, frame) -> when.test(fromDialer, frame) && done.getAndIncrement() == 0
                ? change.apply(frame) : List.of(frame);
    }
}
