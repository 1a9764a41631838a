package jarvis.messaging.internal;

import jarvis.session.internal.MemoryContacts;
import jarvis.session.internal.TestIdentity;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jarvis.api.ConnectionState;
import jarvis.api.Contact;
import jarvis.api.Endpoint;
import jarvis.api.session.PeerPayloadHandler;
import jarvis.session.internal.SessionCore;
import jarvis.session.internal.SessionHarness;
import jarvis.store.internal.H2Store;
import jarvis.transport.tcp.internal.TcpForTests;
import jarvis.transport.tcp.internal.TcpTransport;

/**
 * One Jarvis daemon as far as messaging goes: a real encrypted H2 store in its own directory, a real session
 * core on a real TCP transport (127.0.0.1, ephemeral port), an in-memory contact list and the messaging
 * component. {@link #stop()} and {@link #start()} close and reopen it on the same files, as a restart does.
 */
final class Node implements AutoCloseable {

    static final Map<String, Object> HANDLER_PROPERTIES = Map.of(PeerPayloadHandler.CONTENT_TYPES,
            new Integer[] {Wire.MESSAGE, Wire.ACK, Wire.READ, Wire.TYPING});

    final String name;
    final TestIdentity identity;
    final Path dir;
    final MemoryContacts contacts = new MemoryContacts();
    final Recorder events = new Recorder();
    volatile Messenger.Settings settings = new Messenger.Settings(true, Duration.ofDays(30).toMillis(), 5_000, 60_000);
    volatile Clock clock = Clock.systemUTC();

    H2Store store;
    SessionCore core;
    TcpTransport tcp;
    Messenger messenger;
    /** Extra handler bound to the core (a raw peer's recorder) instead of nothing. */
    PeerPayloadHandler extraHandler;
    private boolean running;

    Node(String name, Path root) {
        this.name = name;
        this.identity = TestIdentity.generate(name);
        this.dir = root.resolve(name);
    }

    /** Opens the store, the session core and messaging; the node dials the contacts it has endpoints for. */
    Node start() throws Exception {
        return start(true);
    }

    /** A node without messaging: only the session core, for sending raw payloads and recording what comes. */
    Node startRaw(PeerPayloadHandler handler) throws Exception {
        extraHandler = handler;
        return start(false);
    }

    private Node start(boolean withMessaging) throws Exception {
        store = H2Store.open(dir, identity.storeKey());
        core = SessionHarness.core(contacts);
        tcp = TcpForTests.start(64);
        SessionHarness.bindTransport(core, tcp);
        if (withMessaging) {
            messenger = new Messenger(settings, store, core, contacts, () -> Optional.of(uid()), clock);
            messenger.addMessageListener(events);
            messenger.addTypingListener(events);
            SessionHarness.bindPayloadHandler(core, messenger, HANDLER_PROPERTIES);
            SessionHarness.bindConnectionListener(core, messenger);
        }
        if (extraHandler != null) {
            SessionHarness.bindPayloadHandler(core, extraHandler, Map.of());
        }
        core.identityUnlocked(identity);
        running = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> !SessionHarness.listening(core).isEmpty());
        return this;
    }

    /** Closes everything in the order OSGi would: messaging first (the store goes away under it), then the rest. */
    void stop() {
        running = false;
        if (messenger != null) {
            messenger.deactivate();
            messenger = null;
        }
        SessionHarness.stop(core);
        TcpForTests.stop(tcp);
        store.close();
    }

    void restart() throws Exception {
        stop();
        start();
    }

    String uid() {
        return identity.uid();
    }

    Endpoint endpoint() {
        return SessionHarness.listening(core).get(0);
    }

    Contact asContact(Endpoint... endpoints) {
        return new Contact(identity.uid(), name, identity.fingerprint(), identity.publicKeyHex(),
                Arrays.asList(endpoints), true, false);
    }

    /** Adds another node as a contact; with {@code dial} this node calls it at its current endpoint. */
    void know(Node other, boolean dial) {
        Contact contact = dial ? other.asContact(other.endpoint()) : other.asContact();
        contacts.put(contact);
        if (core != null) {
            core.contactAdded(contact);
        }
    }

    /** Flags or clears a key change on a contact, as the contact book would, and tells messaging. */
    void setKeyChanged(Node other, boolean changed) {
        Contact before = contacts.byUid(other.uid()).orElseThrow();
        Contact after = new Contact(before.uid(), before.username(), before.fingerprint(), before.publicKey(),
                before.endpoints(), !changed, changed);
        contacts.put(after);
        if (messenger != null) {
            messenger.contactChanged(before, after);
        }
    }

    boolean online(Node other) {
        return core.state(other.uid()) == ConnectionState.ONLINE;
    }

    List<String> textsFrom(Node other) {
        return events.textsFrom(other.uid());
    }

    @Override
    public void close() {
        if (running) {
            stop();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
