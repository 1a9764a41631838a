package jarvis.legacy.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jarvis.api.ConnectionState;
import jarvis.api.Contact;
import jarvis.api.ContactListener;
import jarvis.api.Endpoint;
import jarvis.api.IdentitySummary;
import jarvis.api.contacts.ContactDirectory;
import jarvis.api.identity.IdentityException;
import jarvis.api.identity.IdentityService;
import jarvis.api.identity.UnlockedIdentity;
import jarvis.api.messaging.CarriedMessages;
import jarvis.api.messaging.MessageCarrier;
import jarvis.api.session.PeerNetwork;
import jarvis.crypto.Fingerprint;
import jarvis.crypto.LegacyJarvis1Crypto;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Jarvis 1.x protocol with contacts allowed to use it: listens on a port of its own, dials such contacts, runs
 * the 1.x key exchange and handshake (checking the fingerprint on both sides) and carries text for messaging. Off
 * until configured ({@code enabled = true}); then used only for contacts with the legacy permission, or for all
 * contacts if so configured, and only while their jarvis/2 session is not up. docs/legacy.md says what it does
 * and does not protect.
 */
@Component(name = LegacyNetwork.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {MessageCarrier.class, ContactListener.class}, property = MessageCarrier.NAME_PROPERTY + "=jarvis1")
@Designate(ocd = LegacyNetwork.Config.class)
public final class LegacyNetwork implements MessageCarrier, ContactListener {

    static final String PID = "jarvis.legacy";

    @ObjectClassDefinition(name = "Jarvis 1.x protocol",
            description = "Talking to Jarvis 1.x (Python) peers. Weaker than jarvis/2: no forward secrecy.")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "Listen and dial with the 1.x protocol at all.")
        boolean enabled() default false;

        @AttributeDefinition(name = "Listen address", description = "Where 1.x peers connect (1.x itself binds 0.0.0.0).")
        String listen_address() default "0.0.0.0";

        @AttributeDefinition(name = "Listen port", description = "A port of its own, not the jarvis/2 one; 0 picks a free one.",
                min = "0", max = "65535")
        int listen_port() default 5001;

        @AttributeDefinition(name = "All contacts",
                description = "Allow 1.x with every contact, not only those marked legacy.")
        boolean all_contacts() default false;

        @AttributeDefinition(name = "Largest frame (bytes)", description = "Longer frames close the connection "
                + "before anything is allocated for them.", min = "4096", max = "10485760")
        int max_frame_bytes() default 1024 * 1024;

        @AttributeDefinition(name = "Connect timeout (s)", min = "1", max = "300")
        int connect_timeout_seconds() default 10;

        @AttributeDefinition(name = "Handshake timeout (s)", description = "For each read of the key exchange and "
                + "handshake.", min = "1", max = "300")
        int handshake_timeout_seconds() default 15;

        @AttributeDefinition(name = "Idle timeout (s)", description = "A link on which nothing arrives this long "
                + "is closed (1.x pings every 30 s).", min = "10")
        int idle_timeout_seconds() default 90;

        @AttributeDefinition(name = "Ping interval (s)", min = "1")
        int ping_interval_seconds() default 30;

        @AttributeDefinition(name = "Reconnect interval (s)", description = "How often contacts marked legacy "
                + "without a link are dialed.", min = "5")
        int reconnect_seconds() default 60;

        @AttributeDefinition(name = "Maximum connections", description = "Further connections are closed at once.",
                min = "1")
        int max_links() default 64;
    }

    /** Everything the component needs from its configuration. */
    record Options(boolean enabled, InetSocketAddress listen, boolean allContacts, long reconnectMillis,
            Settings settings) {

        static Options from(Config c) {
            return new Options(c.enabled(), new InetSocketAddress(c.listen_address(), c.listen_port()),
                    c.all_contacts(), TimeUnit.SECONDS.toMillis(Math.max(5, c.reconnect_seconds())),
                    new Settings(Math.max(4096, Math.min(Frame.MAX_PAYLOAD, c.max_frame_bytes())),
                            Settings.HANDSHAKE_FRAME_BYTES, TimeUnit.SECONDS.toMillis(c.connect_timeout_seconds()),
                            TimeUnit.SECONDS.toMillis(c.handshake_timeout_seconds()),
                            TimeUnit.SECONDS.toMillis(c.idle_timeout_seconds()),
                            TimeUnit.SECONDS.toMillis(c.ping_interval_seconds()), Math.max(1, c.max_links()),
                            Settings.LOGGED));
        }
    }

    private static final System.Logger LOG = System.getLogger(LegacyNetwork.class.getName());
    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern GROUP_ID = Pattern.compile("g[0-9a-f]{31}");
    /** A contact is dialed at most this often on request. */
    private static final long DIAL_SPACING_MILLIS = 5_000;
    static final int REPLAY_MEMORY = 65_536;

    private final Options options;
    private final ContactDirectory contacts;
    private final Supplier<Optional<UnlockedIdentity>> identity;
    private final SecureRandom random = new SecureRandom();
    private final ReplayGuard replays = new ReplayGuard(REPLAY_MEMORY);
    private final Map<String, LegacyLink> links = new ConcurrentHashMap<>();
    private final Map<String, Long> lastDial = new ConcurrentHashMap<>();
    private final Semaphore connections;
    private final ThreadFactory threads;
    private final ExecutorService connectionThreads;
    private final ScheduledExecutorService timer;
    private final ServerSocket server;
    private final LegacyLink.Events events = new LinkEvents();
    private volatile boolean stopped;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile CarriedMessages messages;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile PeerNetwork network;

    @Activate
    public LegacyNetwork(Config config, @Reference(name = "contacts") ContactDirectory contacts,
            @Reference(name = "identity") IdentityService identity) throws IOException {
        this(Options.from(config), contacts, identity::unlocked);
    }

    LegacyNetwork(Options options, ContactDirectory contacts, Supplier<Optional<UnlockedIdentity>> identity)
            throws IOException {
        this.options = options;
        this.contacts = contacts;
        this.identity = identity;
        this.connections = new Semaphore(options.settings().maxLinks());
        AtomicInteger n = new AtomicInteger();
        this.threads = r -> {
            Thread t = new Thread(r, "jarvis-legacy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.connectionThreads = Executors.newCachedThreadPool(threads);
        this.timer = Executors.newSingleThreadScheduledExecutor(threads);
        if (!options.enabled()) {
            server = null;
            LOG.log(System.Logger.Level.INFO, "Jarvis 1.x protocol installed but not enabled");
            return;
        }
        server = new ServerSocket();
        server.bind(options.listen(), 50);
        connectionThreads.execute(this::acceptLoop);
        long ping = options.settings().pingIntervalMillis();
        timer.scheduleWithFixedDelay(this::pingAll, ping, ping, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::redial, 0, options.reconnectMillis(), TimeUnit.MILLISECONDS);
        LOG.log(System.Logger.Level.WARNING, "Jarvis 1.x protocol enabled (no forward secrecy) on "
                + server.getLocalSocketAddress() + (options.allContacts() ? " for all contacts" : " for contacts "
                + "marked legacy"));
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        timer.shutdownNow();
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the 1.x listener: " + e.getMessage());
            }
        }
        for (LegacyLink link : List.copyOf(links.values())) {
            link.close("Jarvis 1.x protocol stopped");
        }
        connectionThreads.shutdownNow();
        LOG.log(System.Logger.Level.INFO, "Jarvis 1.x protocol stopped");
    }

    /** The port 1.x peers connect to; -1 when not enabled. */
    int port() {
        return server == null ? -1 : server.getLocalPort();
    }

    /** Whether a link (trusted or not) is up with the contact. */
    boolean linked(String contactUid) {
        LegacyLink link = links.get(contactUid);
        return link != null && !link.isClosed();
    }

    // ---- MessageCarrier ----

    @Override
    public boolean reaches(String contactUid) {
        LegacyLink link = links.get(contactUid);
        return link != null && link.trusted() && allowed(contacts.byUid(contactUid));
    }

    @Override
    public void connectNow(String contactUid) {
        Optional<Contact> contact = contacts.byUid(contactUid);
        if (server != null && allowed(contact)) {
            dial(contact.get());
        }
    }

    @Override
    public CompletionStage<Void> send(String contactUid, String messageId, String groupId, String text,
            Instant sentAt) {
        LegacyLink link = links.get(contactUid);
        Optional<UnlockedIdentity> self = identity.get();
        if (link == null || !link.trusted() || self.isEmpty() || !allowed(contacts.byUid(contactUid))) {
            return CompletableFuture.failedFuture(new IOException("no trusted 1.x link to " + contactUid));
        }
        if (!HEX32.matcher(messageId).matches() || (groupId != null && !GROUP_ID.matcher(groupId).matches())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a 1.x message or group id"));
        }
        String encrypted;
        try {
            encrypted = LegacyJarvis1Crypto.encryptMessage(link.keys(), text, random).toJson();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Frame frame = groupId == null
                ? new Frame(FrameType.TEXT_MESSAGE, Payloads.text(messageId, sentAt, encrypted))
                : new Frame(FrameType.GROUP_MESSAGE, Payloads.group(groupId, messageId, self.get().summary().uid(),
                        sentAt, encrypted));
        return link.write(frame);
    }

    // ---- ContactListener: a permission withdrawn, a key changed or a contact removed ends its 1.x link ----

    @Override
    public void contactAdded(Contact contact) {
        // Nothing to end; a new contact marked legacy is dialed on the next pass.
    }

    @Override
    public void contactChanged(Contact previous, Contact current) {
        if (!allowed(Optional.of(current))) {
            closeLink(current.uid(), "1.x no longer allowed with " + current.username());
        }
    }

    @Override
    public void contactRemoved(Contact contact) {
        closeLink(contact.uid(), contact.username() + " is no longer a contact");
    }

    private void closeLink(String contactUid, String reason) {
        LegacyLink link = links.get(contactUid);
        if (link != null) {
            link.close(reason);
        }
    }

    // ---- who may talk 1.x ----

    private boolean allowed(Optional<Contact> contact) {
        return contact.isPresent() && !contact.get().keyChanged() && (options.allContacts() || contact.get().legacy());
    }

    private boolean jarvis2Online(String contactUid) {
        PeerNetwork n = network;
        return n != null && n.state(contactUid) == ConnectionState.ONLINE;
    }

    // ---- dialing ----

    /** Every so often: contacts marked legacy, without a link and without a jarvis/2 session, are dialed. */
    private void redial() {
        try {
            for (Contact c : contacts.contacts()) {
                if (c.legacy() && allowed(Optional.of(c))) {
                    dial(c);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "1.x reconnect pass failed", e);
        }
    }

    private void dial(Contact contact) {
        String uid = contact.uid();
        if (linked(uid) || jarvis2Online(uid) || identity.get().isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        Long last = lastDial.get(uid);
        if (last != null && now - last < TimeUnit.MILLISECONDS.toNanos(DIAL_SPACING_MILLIS)) {
            return;
        }
        lastDial.put(uid, now);
        List<Endpoint> tcp = contact.endpoints().stream().filter(e -> "tcp".equals(e.scheme())).toList();
        if (tcp.isEmpty() || !connections.tryAcquire()) {
            return;
        }
        try {
            connectionThreads.execute(() -> {
                try {
                    for (Endpoint e : tcp) {
                        if (linked(uid)) {
                            return;
                        }
                        LegacyLink link = dialOnce(contact, e);
                        if (link != null) {
                            link.run();
                            return;
                        }
                    }
                } finally {
                    connections.release();
                }
            });
        } catch (RejectedExecutionException e) {
            connections.release();
        }
    }

    /** One dial: key exchange, fingerprint check, HANDSHAKE, HANDSHAKE_RESPONSE. Null if it failed. */
    private LegacyLink dialOnce(Contact contact, Endpoint endpoint) {
        Settings s = options.settings();
        Socket socket = new Socket();
        String peer = contact.username() + " at " + endpoint;
        try {
            socket.connect(new InetSocketAddress(InetAddress.getByName(endpoint.host()), endpoint.port()),
                    (int) s.connectTimeoutMillis());
            socket.setSoTimeout((int) s.handshakeTimeoutMillis());
            socket.setTcpNoDelay(true);
            UnlockedIdentity self = identity.get().orElseThrow(() -> new IOException("the identity is locked"));
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            OutputStream out = socket.getOutputStream();
            out.write(Frame.keyMessage(self.publicKey()));
            out.flush();
            byte[] peerKey = Frame.readKey(in);
            String fingerprint = Fingerprint.of(peerKey).hex();
            if (!Arrays.equals(peerKey, HexFormat.of().parseHex(contact.publicKey()))
                    || !fingerprint.equals(contact.fingerprint())) {
                throw new ProtocolViolation("fingerprint mismatch: the peer's key is not " + contact.username() + "'s");
            }
            LegacyJarvis1Crypto.LayerKeys keys = layerKeys(self, peerKey);
            IdentitySummary me = self.summary();
            send(socket, new Frame(FrameType.HANDSHAKE, Payloads.handshake(me.uid(), me.username(), me.fingerprint())),
                    contact.uid());
            Frame answer = Frame.read(in, s.handshakeFrameBytes());
            s.transcript().frame(contact.uid(), false, answer.type(), answer.payload().length);
            if (answer.type() != FrameType.HANDSHAKE_RESPONSE) {
                throw new ProtocolViolation("expected HANDSHAKE_RESPONSE, got " + FrameType.name(answer.type()));
            }
            Payloads.Hello hello = Payloads.readHello(answer.payload());
            if (!hello.accepted() || !fingerprint.equals(hello.fingerprint())) {
                throw new ProtocolViolation("handshake response not accepted or with another fingerprint");
            }
            LegacyLink link = new LegacyLink(contact.uid(), true, socket, in, keys, s, replays, events, threads);
            if (!register(link)) {
                link.close("a 1.x link with " + contact.username() + " is already up");
                return null;
            }
            return link;
        } catch (IOException | ProtocolViolation | IdentityException | RuntimeException e) {
            s.transcript().refused(peer, e.getMessage());
            closeQuietly(socket);
            return null;
        }
    }

    // ---- accepting ----

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.log(System.Logger.Level.WARNING, "1.x listener failed: " + e.getMessage());
                }
                return;
            }
            if (!connections.tryAcquire()) {
                options.settings().transcript().refused(socket.getRemoteSocketAddress().toString(),
                        "too many connections");
                closeQuietly(socket);
                continue;
            }
            try {
                connectionThreads.execute(() -> {
                    try {
                        LegacyLink link = accept(socket);
                        if (link != null) {
                            link.run();
                        }
                    } finally {
                        connections.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                connections.release();
                closeQuietly(socket);
            }
        }
    }

    /**
     * The responder's side: the peer's key must belong to a contact allowed to use 1.x, its HANDSHAKE must carry
     * that key's fingerprint. Anything else is closed without a word, as 1.x does.
     */
    private LegacyLink accept(Socket socket) {
        Settings s = options.settings();
        String peer = String.valueOf(socket.getRemoteSocketAddress());
        try {
            socket.setSoTimeout((int) s.handshakeTimeoutMillis());
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            byte[] peerKey = Frame.readKey(in);
            Optional<Contact> contact = contacts.byPublicKey(HexFormat.of().formatHex(peerKey));
            if (!allowed(contact)) {
                throw new ProtocolViolation("the key is not a contact allowed to use 1.x");
            }
            Contact c = contact.get();
            UnlockedIdentity self = identity.get().orElseThrow(() -> new IOException("the identity is locked"));
            OutputStream out = socket.getOutputStream();
            out.write(Frame.keyMessage(self.publicKey()));
            out.flush();
            LegacyJarvis1Crypto.LayerKeys keys = layerKeys(self, peerKey);
            Frame hello = Frame.read(in, s.handshakeFrameBytes());
            s.transcript().frame(c.uid(), false, hello.type(), hello.payload().length);
            if (hello.type() != FrameType.HANDSHAKE) {
                throw new ProtocolViolation("expected HANDSHAKE, got " + FrameType.name(hello.type()));
            }
            String fingerprint = Fingerprint.of(peerKey).hex();
            if (!fingerprint.equals(Payloads.readHello(hello.payload()).fingerprint())) {
                throw new ProtocolViolation("the handshake names another fingerprint than the key sent");
            }
            LegacyLink link = new LegacyLink(c.uid(), false, socket, in, keys, s, replays, events, threads);
            if (!register(link)) {
                link.close("a trusted 1.x link with " + c.username() + " is already up");
                throw new ProtocolViolation("a trusted 1.x link with " + c.username() + " is already up");
            }
            IdentitySummary me = self.summary();
            CompletableFuture<Void> answered = link.write(new Frame(FrameType.HANDSHAKE_RESPONSE,
                    Payloads.handshakeResponse(me.uid(), me.username(), me.fingerprint())));
            answered.join();
            return link;
        } catch (IOException | ProtocolViolation | IdentityException | RuntimeException e) {
            s.transcript().refused(peer, e.getMessage());
            closeQuietly(socket);
            return null;
        }
    }

    // ---- links ----

    /**
     * Makes the link the contact's one. An inbound link that has not proved itself gives way to a newer one (the
     * real peer reconnecting); a trusted link is kept and the newcomer refused.
     */
    private boolean register(LegacyLink link) {
        if (stopped) {
            return false;
        }
        LegacyLink[] displaced = new LegacyLink[1];
        LegacyLink now = links.compute(link.contactUid, (uid, old) -> {
            if (old == null || old.isClosed()) {
                return link;
            }
            if (!old.trusted() && !link.dialed) {
                displaced[0] = old;
                return link;
            }
            return old;
        });
        if (displaced[0] != null) {
            displaced[0].close("replaced by a newer connection");
        }
        if (now != link) {
            return false;
        }
        LOG.log(System.Logger.Level.INFO, link + " up" + (link.trusted() ? "" : " (trusted once a message decrypts)"));
        if (link.trusted()) {
            tellReachable(link.contactUid);
        }
        return true;
    }

    private void tellReachable(String contactUid) {
        CarriedMessages m = messages;
        if (m != null) {
            m.reachable(contactUid);
        }
    }

    private void pingAll() {
        for (LegacyLink link : links.values()) {
            link.write(new Frame(FrameType.PING, Payloads.EMPTY));
        }
    }

    private final class LinkEvents implements LegacyLink.Events {

        @Override
        public void message(LegacyLink link, Payloads.Text text, String plaintext) {
            if (!HEX32.matcher(text.messageId()).matches()
                    || (text.groupId() != null && !GROUP_ID.matcher(text.groupId()).matches())) {
                options.settings().transcript().dropped(link.contactUid, "message id or group id malformed");
                return;
            }
            CarriedMessages m = messages;
            if (m == null) {
                options.settings().transcript().dropped(link.contactUid, "messaging is not running");
                return;
            }
            m.received(link.contactUid, text.messageId(), text.groupId(), plaintext, sentAt(text.timestamp()));
        }

        @Override
        public void trusted(LegacyLink link) {
            LOG.log(System.Logger.Level.INFO, link + " trusted: a message from it decrypted");
            tellReachable(link.contactUid);
        }

        @Override
        public void closed(LegacyLink link, String reason) {
            links.remove(link.contactUid, link);
            LOG.log(System.Logger.Level.INFO, link + " closed: " + reason);
        }
    }

    /** 1.x times are naive local times of the sender; read as UTC, and now when unreadable or in the future. */
    static Instant sentAt(String timestamp) {
        Instant now = Instant.now();
        try {
            Instant t = LocalDateTime.parse(timestamp).toInstant(ZoneOffset.UTC);
            return t.isAfter(now) ? now : t;
        } catch (DateTimeParseException e) {
            return now;
        }
    }

    private static LegacyJarvis1Crypto.LayerKeys layerKeys(UnlockedIdentity self, byte[] peerKey)
            throws IdentityException {
        byte[] shared = self.agree(peerKey);
        try {
            return LegacyJarvis1Crypto.deriveLayerKeys(shared);
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }

    private void send(Socket socket, Frame frame, String contactUid) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(frame.encode());
        out.flush();
        options.settings().transcript().frame(contactUid, true, frame.type(), frame.payload().length);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a refused 1.x socket: " + e.getMessage());
        }
    }
}
