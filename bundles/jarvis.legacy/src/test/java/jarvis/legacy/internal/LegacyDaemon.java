package jarvis.legacy.internal;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jarvis.api.DeliveryState;
import jarvis.api.Endpoint;
import jarvis.api.Message;
import jarvis.api.MessageListener;
import jarvis.contacts.internal.ContactBook;
import jarvis.contacts.internal.ContactBookHarness;
import jarvis.groups.internal.GroupManager;
import jarvis.groups.internal.GroupsHarness;
import jarvis.messaging.internal.CarrierHarness;
import jarvis.messaging.internal.MessagingHarness;
import jarvis.messaging.internal.Messenger;
import jarvis.session.internal.SessionCore;
import jarvis.session.internal.SessionHarness;
import jarvis.session.internal.TestIdentity;
import jarvis.store.internal.H2Store;

/**
 * The daemon's side, every part real and wired as DS wires it: an encrypted H2 store, the contact book, a session
 * core (no jarvis/2 transport, so every contact's jarvis/2 session is down), messaging, groups, and the 1.x
 * network listening on 127.0.0.1.
 */
final class LegacyDaemon implements AutoCloseable, MessageListener {

    final TestIdentity identity = TestIdentity.generate("daemon");
    final List<Message> received = new CopyOnWriteArrayList<>();
    final List<String> states = new CopyOnWriteArrayList<>();
    final H2Store store;
    final ContactBook contacts;
    final SessionCore core;
    final Messenger messenger;
    final GroupManager groups;
    final LegacyNetwork legacy;

    LegacyDaemon(Path dir, boolean allContacts, Settings.Transcript transcript) throws Exception {
        store = H2Store.open(dir, identity.storeKey());
        contacts = new ContactBook(store);
        core = SessionHarness.core(contacts);
        messenger = MessagingHarness.start(store, core, contacts, identity.uid(), Duration.ofSeconds(1));
        groups = GroupsHarness.start(store, core, contacts, contacts, identity.uid(), "daemon",
                identity.publicKeyHex());
        MessagingHarness.bindGroups(messenger, groups);
        MessagingHarness.addListener(messenger, this);
        ContactBookHarness.listen(contacts, messenger);
        core.identityUnlocked(identity);
        Settings settings = new Settings(1024 * 1024, Settings.HANDSHAKE_FRAME_BYTES, 5_000, 5_000, 60_000, 60_000,
                16, transcript);
        legacy = new LegacyNetwork(new LegacyNetwork.Options(true, new InetSocketAddress("127.0.0.1", 0), allContacts,
                5_000, settings), contacts, () -> Optional.of(identity));
        legacy.messages = messenger;
        legacy.network = core;
        CarrierHarness.bind(messenger, legacy);
        ContactBookHarness.listen(contacts, legacy);
    }

    String uid() {
        return identity.uid();
    }

    int port() {
        return legacy.port();
    }

    /** Adds the 1.x peer as a contact (at {@code port} if it listens) and allows 1.x with it. */
    void knowLegacy(SpecPeer1x peer, int port, boolean allow) throws Exception {
        contacts.add(peer.uid, peer.username, peer.publicKeyHex(),
                port > 0 ? List.of(Endpoint.tcp("127.0.0.1", port)) : List.of());
        if (allow) {
            contacts.setLegacy(peer.uid, true);
        }
    }

    DeliveryState stateOf(String id) throws Exception {
        return messenger.message(id).orElseThrow().state();
    }

    long outboxRows() throws Exception {
        return store.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM outbox"); ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    List<String> textsFrom(String senderUid) {
        return received.stream().filter(m -> m.senderUid().equals(senderUid)).map(Message::text).toList();
    }

    @Override
    public void messageReceived(Message message) {
        received.add(message);
    }

    @Override
    public void deliveryStateChanged(Message message, DeliveryState previous) {
        states.add(message.id() + " " + previous + "->" + message.state());
    }

    @Override
    public void close() {
        legacy.deactivate();
        GroupsHarness.stop(groups);
        MessagingHarness.stop(messenger);
        SessionHarness.stop(core);
        store.close();
    }
}
