package jarvis.account.internal;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import jarvis.api.ConnectionState;
import jarvis.api.DeliveryState;
import jarvis.api.Endpoint;
import jarvis.api.IdentitySummary;
import jarvis.api.Message;
import jarvis.api.MessageListener;
import jarvis.api.contacts.ContactInvite;
import jarvis.api.groups.Group;
import jarvis.api.groups.GroupListener;
import jarvis.api.identity.IdentityListener;
import jarvis.api.identity.UnlockedIdentity;
import jarvis.api.store.Store;
import jarvis.contacts.internal.ContactBook;
import jarvis.contacts.internal.ContactsHarness;
import jarvis.groups.internal.GroupManager;
import jarvis.groups.internal.GroupsHarness;
import jarvis.identity.internal.IdentityHarness;
import jarvis.identity.internal.IdentityManager;
import jarvis.messaging.internal.MessagingHarness;
import jarvis.messaging.internal.Messenger;
import jarvis.session.internal.SessionCore;
import jarvis.session.internal.SessionHarness;
import jarvis.store.internal.H2Store;
import jarvis.transport.tcp.internal.TcpForTests;
import jarvis.transport.tcp.internal.TcpTransport;

/**
 * One daemon's account, every part real, as the daemon wires it: the identity service on a data directory; when it
 * unlocks, an encrypted H2 store in {@code <data>/store} and on it the contact book, a session core on TCP
 * (127.0.0.1, ephemeral port), messaging and groups; when it locks they stop and the store closes; when the identity
 * is deleted the store files go too (what the store bundle does). The account service runs on top.
 */
final class AccountNode implements AutoCloseable, IdentityListener, GroupListener, MessageListener {

    final String name;
    final Path dataDir;
    final IdentityManager identity;
    final AccountManager accounts;
    final List<Message> received = new CopyOnWriteArrayList<>();

    volatile H2Store store;
    volatile ContactBook contacts;
    volatile SessionCore core;
    volatile Messenger messenger;
    volatile GroupManager groups;
    private TcpTransport tcp;
    private volatile Endpoint endpoint;
    private volatile UnlockedIdentity keys;

    AccountNode(String name, Path root) {
        this.name = name;
        this.dataDir = root.resolve(name);
        this.identity = IdentityHarness.open(dataDir);
        IdentityHarness.listen(identity, this);
        this.accounts = new AccountManager(dataDir, identity, timeout -> store, IdentityHarness.TEST_COST);
    }

    IdentitySummary create(String password) throws Exception {
        IdentitySummary s = identity.create(name, password.toCharArray());
        awaitOnline();
        return s;
    }

    void awaitOnline() {
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint != null);
    }

    String uid() {
        return keys.summary().uid();
    }

    String publicKeyHex() {
        return java.util.HexFormat.of().formatHex(keys.publicKey());
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** Adds the other node as a contact at its current endpoint (so this node dials it). */
    void know(AccountNode other) throws Exception {
        contacts.add(other.uid(), other.name, other.publicKeyHex(), List.of(other.endpoint()));
    }

    boolean online(AccountNode other) {
        return core != null && core.state(other.uid()) == ConnectionState.ONLINE;
    }

    DeliveryState state(String messageId) throws Exception {
        return messenger.message(messageId).orElseThrow().state();
    }

    @Override
    public synchronized void identityUnlocked(UnlockedIdentity unlocked) {
        try {
            keys = unlocked;
            byte[] key = unlocked.storeKey();
            H2Store opened = H2Store.open(dataDir.resolve("store"), key);
            Arrays.fill(key, (byte) 0);
            ContactBook book = ContactsHarness.open(opened);
            SessionCore c = SessionHarness.core(book);
            tcp = TcpForTests.start(64);
            SessionHarness.bindTransport(c, tcp);
            Messenger m = MessagingHarness.start(opened, c, book, unlocked.summary().uid(), Duration.ofSeconds(1));
            GroupManager g = GroupsHarness.start(opened, c, book, this::invite, this);
            MessagingHarness.bindGroups(m, g);
            MessagingHarness.addListener(m, this);
            ContactsHarness.listen(book, c);
            ContactsHarness.listen(book, m);
            SessionHarness.bindPayloadHandler(c, m, MessagingHarness.HANDLER_PROPERTIES);
            SessionHarness.bindConnectionListener(c, m);
            c.identityUnlocked(unlocked);
            contacts = book;
            core = c;
            messenger = m;
            groups = g;
            store = opened;
            await().atMost(Duration.ofSeconds(5)).until(() -> !SessionHarness.listening(c).isEmpty());
            endpoint = SessionHarness.listening(c).get(0);
        } catch (Exception e) {
            throw new IllegalStateException(name + ": the account's components did not start", e);
        }
    }

    @Override
    public synchronized void identityLocked(IdentitySummary summary) {
        stop();
    }

    @Override
    public synchronized void identityDeleted(IdentitySummary summary) {
        stop();
        Path dir = dataDir.resolve("store");
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void stop() {
        if (store == null) {
            return;
        }
        H2Store s = store;
        store = null;
        endpoint = null;
        GroupsHarness.stop(groups);
        MessagingHarness.stop(messenger);
        SessionHarness.stop(core);
        TcpForTests.stop(tcp);
        s.close();
        groups = null;
        messenger = null;
        core = null;
        contacts = null;
    }

    private Optional<ContactInvite> invite() {
        Endpoint e = endpoint;
        return Optional.of(new ContactInvite(uid(), name, publicKeyHex(), e == null ? List.of() : List.of(e), false));
    }

    /** Every table of the store, as sorted lists of rows (values as text), by table name. */
    Map<String, List<String>> dump() throws Exception {
        Store s = store;
        return s.read(c -> {
            Map<String, List<String>> out = new TreeMap<>();
            for (String table : StoreTables.tables(c)) {
                List<String> rows = new ArrayList<>();
                try (Statement st = c.createStatement(); ResultSet r = st.executeQuery("SELECT * FROM \"" + table
                        + "\"")) {
                    int n = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        StringBuilder b = new StringBuilder();
                        for (int i = 1; i <= n; i++) {
                            Object v = r.getObject(i);
                            b.append(r.getMetaData().getColumnName(i)).append('=')
                                    .append(v instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : v)
                                    .append(' ');
                        }
                        rows.add(b.toString());
                    }
                }
                rows.sort(null);
                out.put(table, rows);
            }
            out.put("(schema)", List.of(StoreTables.schemaVersions(c).toString()));
            try (Statement st = c.createStatement(); ResultSet r = st.executeQuery(
                    "SELECT SEQUENCE_NAME, BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_SCHEMA = 'PUBLIC'")) {
                List<String> seqs = new ArrayList<>();
                while (r.next()) {
                    seqs.add(r.getString(1) + "=" + r.getLong(2));
                }
                out.put("(sequences)", seqs);
            }
            return out;
        });
    }

    @Override
    public void groupChanged(Group previous, Group current) {
    }

    @Override
    public void groupRemoved(Group group) {
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
        identity.lock();
    }

    @Override
    public String toString() {
        return name;
    }
}
