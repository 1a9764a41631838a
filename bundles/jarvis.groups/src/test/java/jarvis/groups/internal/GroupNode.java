package jarvis.groups.internal;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jarvis.api.ConnectionState;
import jarvis.api.DeliveryState;
import jarvis.api.Endpoint;
import jarvis.api.Message;
import jarvis.api.MessageListener;
import jarvis.api.contacts.ContactInvite;
import jarvis.api.groups.Group;
import jarvis.api.groups.GroupListener;
import jarvis.api.session.PeerPayloadHandler;
import jarvis.contacts.internal.ContactBook;
import jarvis.contacts.internal.ContactsHarness;
import jarvis.messaging.internal.MessagingHarness;
import jarvis.messaging.internal.Messenger;
import jarvis.session.internal.SessionCore;
import jarvis.session.internal.SessionHarness;
import jarvis.session.internal.TestIdentity;
import jarvis.store.internal.H2Store;
import jarvis.transport.tcp.internal.TcpForTests;
import jarvis.transport.tcp.internal.TcpTransport;

/**
 * One daemon as far as groups go, every part real: an encrypted H2 store in its own directory, the contact book,
 * a session core on TCP (127.0.0.1, ephemeral port), messaging and groups. {@link #restart()} closes and reopens
 * it on the same files.
 */
final class GroupNode implements AutoCloseable, GroupListener, MessageListener {

    final String name;
    final TestIdentity identity;
    final Path dir;
    final List<Message> received = new CopyOnWriteArrayList<>();
    final List<Group> changes = new CopyOnWriteArrayList<>();

    H2Store store;
    ContactBook contacts;
    SessionCore core;
    TcpTransport tcp;
    Messenger messenger;
    GroupManager groups;
    private volatile Endpoint endpoint;
    private boolean running;

    GroupNode(String name, Path root) {
        this.name = name;
        this.identity = TestIdentity.generate(name);
        this.dir = root.resolve(name);
    }

    GroupNode start() throws Exception {
        store = H2Store.open(dir, identity.storeKey());
        contacts = ContactsHarness.open(store);
        core = SessionHarness.core(contacts);
        tcp = TcpForTests.start(64);
        SessionHarness.bindTransport(core, tcp);
        messenger = MessagingHarness.start(store, core, contacts, uid(), Duration.ofSeconds(1));
        groups = new GroupManager(store, core, contacts, contacts, this::invite, Clock.systemUTC(), 1_000);
        MessagingHarness.bindGroups(messenger, groups);
        MessagingHarness.addListener(messenger, this);
        groups.addListener(this);
        ContactsHarness.listen(contacts, core);
        ContactsHarness.listen(contacts, messenger);
        SessionHarness.bindPayloadHandler(core, messenger, MessagingHarness.HANDLER_PROPERTIES);
        SessionHarness.bindPayloadHandler(core, groups, Map.of(PeerPayloadHandler.CONTENT_TYPES,
                new Integer[] {GroupWire.STATE, GroupWire.RESPONSE, GroupWire.RECEIPT}));
        SessionHarness.bindConnectionListener(core, messenger);
        SessionHarness.bindConnectionListener(core, groups);
        core.identityUnlocked(identity);
        running = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> !SessionHarness.listening(core).isEmpty());
        endpoint = SessionHarness.listening(core).get(0);
        return this;
    }

    void stop() {
        running = false;
        groups.deactivate();
        MessagingHarness.stop(messenger);
        SessionHarness.stop(core);
        TcpForTests.stop(tcp);
        store.close();
    }

    void restart() throws Exception {
        stop();
        start();
    }

    private Optional<ContactInvite> invite() {
        return Optional.of(new ContactInvite(uid(), name, identity.publicKeyHex(),
                endpoint == null ? List.of() : List.of(endpoint), false));
    }

    String uid() {
        return identity.uid();
    }

    /** Adds the other node as a contact at its current endpoint (so this node dials it). */
    void know(GroupNode other) throws Exception {
        contacts.add(other.uid(), other.name, other.identity.publicKeyHex(), List.of(other.endpoint));
    }

    boolean online(GroupNode other) {
        return core.state(other.uid()) == ConnectionState.ONLINE;
    }

    Group group(String id) throws Exception {
        return groups.group(id).orElse(null);
    }

    List<String> groupTexts(String groupId) {
        return received.stream().filter(m -> m.conversationId().equals(groupId))
                .map(m -> name(m.senderUid()) + ":" + m.text()).toList();
    }

    DeliveryState state(String messageId) throws Exception {
        return messenger.message(messageId).orElseThrow().state();
    }

    private String name(String uid) {
        return uid.equals(uid()) ? name : contacts.byUid(uid).map(c -> c.username()).orElse(uid);
    }

    @Override
    public void groupChanged(Group previous, Group current) {
        changes.add(current);
    }

    @Override
    public void groupRemoved(Group group) {
        changes.add(group);
    }

    @Override
    public void messageReceived(Message message) {
        received.add(message);
    }

    @Override
    public void deliveryStateChanged(Message message, DeliveryState previous) {
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
