package jarvis.session.internal;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import jarvis.api.ConnectionState;
import jarvis.api.Contact;
import jarvis.api.Endpoint;
import jarvis.api.session.PeerNetwork;
import jarvis.api.session.SecurityEvent;
import jarvis.api.transport.Transport;
import jarvis.transport.tcp.internal.TcpForTests;
import jarvis.transport.tcp.internal.TcpTransport;

/**
 * One Jarvis daemon as far as sessions go: a real TCP transport on 127.0.0.1, a session core, an identity and
 * an in-memory contact list, with everything the core tells its whiteboard recorded.
 */
final class Daemon implements AutoCloseable {

    record Received(String from, int type, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8).strip();
        }
    }

    record Change(String uid, ConnectionState previous, ConnectionState current) {
    }

    static final Map<String, Object> TCP_PROPERTIES = Map.of(Transport.SCHEME_PROPERTY, "tcp",
            Transport.LISTEN_PROPERTY, "tcp://127.0.0.1:0");

    final String name;
    final TestIdentity identity;
    final MemoryContacts contacts = new MemoryContacts();
    final SessionCore core;
    volatile TcpTransport tcp;
    final List<Received> inbox = new CopyOnWriteArrayList<>();
    final List<SecurityEvent> security = new CopyOnWriteArrayList<>();
    final List<Change> changes = new CopyOnWriteArrayList<>();

    Daemon(String name, TestIdentity identity, TestSettings settings, int maxConnections) {
        this.name = name;
        this.identity = identity;
        this.core = new SessionCore(settings, contacts);
        core.bindPayloadHandler((uid, type, payload) -> inbox.add(new Received(uid, type, payload)), Map.of());
        core.bindSecurityListener(security::add);
        core.bindConnectionListener((uid, previous, current) -> changes.add(new Change(uid, previous, current)));
        this.tcp = TcpForTests.start(maxConnections);
        core.bindTransport(tcp, TCP_PROPERTIES);
        core.identityUnlocked(identity);
        await().atMost(Duration.ofSeconds(5)).until(() -> !core.listeningEndpoints().isEmpty());
    }

    Daemon(String name, TestIdentity identity, TestSettings settings) {
        this(name, identity, settings, 512);
    }

    Daemon(String name, TestSettings settings) {
        this(name, TestIdentity.generate(name), settings);
    }

    Endpoint endpoint() {
        return core.listeningEndpoints().get(0);
    }

    String uid() {
        return identity.uid();
    }

    Contact asContact(Endpoint... endpoints) {
        return new Contact(identity.uid(), name, identity.fingerprint(), identity.publicKeyHex(),
                Arrays.asList(endpoints), true, false);
    }

    /** Adds another daemon as a contact, reachable at the given endpoints (none: we only wait for its calls). */
    void know(Daemon other, Endpoint... endpoints) {
        Contact contact = other.asContact(endpoints);
        contacts.put(contact);
        core.contactAdded(contact);
    }

    void forget(Daemon other) {
        Contact contact = contacts.byUid(other.uid()).orElseThrow();
        contacts.remove(other.uid());
        core.contactRemoved(contact);
    }

    ConnectionState stateOf(Daemon other) {
        return core.state(other.uid());
    }

    String sessionWith(Daemon other) {
        return core.sessionId(other.uid());
    }

    List<String> textsFrom(Daemon other) {
        return inbox.stream().filter(r -> r.from().equals(other.uid())).map(Received::text).collect(Collectors.toList());
    }

    void send(Daemon to, String text) {
        core.send(to.uid(), PeerNetwork.FIRST_APPLICATION_TYPE, text.getBytes(StandardCharsets.UTF_8))
                .toCompletableFuture().join();
    }

    /** Both sides online on one and the same session. */
    static void awaitSession(Daemon a, Daemon b) {
        await().atMost(Duration.ofSeconds(5)).until(() -> a.stateOf(b) == ConnectionState.ONLINE
                && b.stateOf(a) == ConnectionState.ONLINE && a.sessionWith(b) != null
                && a.sessionWith(b).equals(b.sessionWith(a)));
    }

    @Override
    public void close() {
        core.deactivate();
        TcpTransport t = tcp;
        if (t != null) {
            TcpForTests.stop(t);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
