package jarvis.session.internal;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jarvis.api.Contact;
import jarvis.api.Endpoint;
import jarvis.api.contacts.ContactDirectory;
import jarvis.api.contacts.ContactRequest;
import jarvis.api.identity.IdentityException;
import jarvis.api.IdentitySummary;
import jarvis.api.identity.UnlockedIdentity;
import jarvis.api.session.PeerNetwork;
import jarvis.api.session.PeerUnavailableException;
import jarvis.api.session.SecurityEvent;
import jarvis.api.transport.Link;
import jarvis.api.transport.Listening;
import jarvis.api.transport.Transport;
import jarvis.api.transport.TransportException;
import jarvis.crypto.AuthenticationFailedException;
import jarvis.crypto.BadPeerKeyException;
import jarvis.crypto.CryptoException;
import jarvis.crypto.FiveLayerCipher;
import jarvis.crypto.Fingerprint;
import jarvis.crypto.ReceivedRecord;
import jarvis.crypto.RecordCipher;
import jarvis.crypto.Role;
import jarvis.crypto.TransportKeys;
import jarvis.crypto.X25519KeyPair;

/**
 * The session core's logic. Every method except {@link #execute} and the read-only views runs on the single
 * session thread, which owns all mutable state: no locks, and transport event loops only ever enqueue.
 * Handshake and record crypto run on that thread too (a handshake is a few X25519 operations, a record at most
 * 64 KiB), so no event loop ever does crypto or calls a listener.
 */
final class SessionManager {

    private static final System.Logger LOG = System.getLogger(SessionManager.class.getName());
    private static final HexFormat HEX = HexFormat.of();
    /** Sends waiting for the session thread per contact, beyond which send() fails at once. */
    static final int MAX_QUEUED_SENDS = 1024;
    /** Largest application payload; it travels in records of at most 64 KiB. */
    static final int MAX_PAYLOAD = 4 * 1024 * 1024;
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    static final Duration PROBE_TIMEOUT_MIN = Duration.ofMillis(250);
    private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final class TransportEntry {
        final Transport transport;
        final String scheme;
        Endpoint listen;
        Listening listening;

        TransportEntry(Transport transport, String scheme, Endpoint listen) {
            this.transport = transport;
            this.scheme = scheme;
            this.listen = listen;
        }
    }

    private final ScheduledExecutorService thread;
    private final ContactDirectory contacts;
    final SessionTable table = new SessionTable();
    final SecurityAlarm alarm = new SecurityAlarm();
    final PayloadRouter router = new PayloadRouter();
    private final SecureRandom random = new SecureRandom();
    private final Map<Transport, TransportEntry> transports = new ConcurrentHashMap<>();
    private final Set<Wire> wires = new HashSet<>();
    private volatile SessionSettings settings;
    private volatile List<Endpoint> listening = List.of();
    private volatile int wireCount;
    private volatile int pendingInbound;
    private LocalIdentity identity;
    private ScheduledFuture<?> keepaliveTask;
    private boolean stopped;
    private long lastRefusalLog = System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS;

    SessionManager(ScheduledExecutorService thread, ContactDirectory contacts, SessionSettings settings) {
        this.thread = thread;
        this.contacts = contacts;
        this.settings = settings;
    }

    // ---- threading ----

    /** Runs a task on the session thread; a failing task is logged, never kills the thread. */
    void execute(Runnable task) {
        thread.execute(guard(task));
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return thread.schedule(guard(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "session task failed", e);
            }
        };
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    // ---- views for any thread ----

    SessionSettings settings() {
        return settings;
    }

    List<Endpoint> listeningEndpoints() {
        return listening;
    }

    int openWires() {
        return wireCount;
    }

    int pendingHandshakes() {
        return pendingInbound;
    }

    // ---- lifecycle ----

    void start() {
        scheduleKeepalive();
    }

    void reconfigure(SessionSettings next) {
        settings = next;
        scheduleKeepalive();
    }

    private void scheduleKeepalive() {
        cancel(keepaliveTask);
        long tick = settings.tick().toNanos();
        keepaliveTask = thread.scheduleAtFixedRate(guard(this::keepalive), tick, tick, TimeUnit.NANOSECONDS);
    }

    void stop() {
        stopAll("the session core is stopping");
        stopped = true;
        cancel(keepaliveTask);
        for (Peer peer : table.peers()) {
            cancel(peer.reconnect);
        }
    }

    // ---- transports ----

    void transportAdded(Transport transport, Map<String, ?> properties) {
        TransportEntry entry = new TransportEntry(transport, scheme(transport, properties), listenOf(properties));
        transports.put(transport, entry);
        LOG.log(System.Logger.Level.INFO, "transport " + entry.scheme + " available");
        if (identity != null) {
            startListening(entry);
            // A new way to reach contacts: try them now rather than at their next backoff.
            for (Peer peer : table.peers()) {
                cancel(peer.reconnect);
                peer.reconnect = null;
            }
            dialAll();
        }
    }

    void transportModified(Transport transport, Map<String, ?> properties) {
        TransportEntry entry = transports.get(transport);
        if (entry == null) {
            transportAdded(transport, properties);
            return;
        }
        Endpoint listen = listenOf(properties);
        if (!Objects.equals(listen, entry.listen)) {
            stopListening(entry);
            entry.listen = listen;
            if (identity != null) {
                startListening(entry);
            }
        }
    }

    void transportRemoved(Transport transport) {
        TransportEntry entry = transports.remove(transport);
        if (entry == null) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "transport " + entry.scheme + " gone: closing its links");
        stopListening(entry);
        for (Wire wire : new ArrayList<>(wires)) {
            if (wire.transport == transport) {
                closeGracefully(wire, WireFormat.CLOSE_NORMAL, "transport " + entry.scheme + " removed");
            }
        }
        for (Peer peer : table.peers()) {
            if (peer.dialing != null && peer.dialing.transport == transport) {
                abandonDial(peer);
            }
        }
    }

    private static String scheme(Transport transport, Map<String, ?> properties) {
        Object scheme = properties.get(Transport.SCHEME_PROPERTY);
        return scheme != null ? scheme.toString() : transport.scheme();
    }

    private static Endpoint listenOf(Map<String, ?> properties) {
        Object listen = properties.get(Transport.LISTEN_PROPERTY);
        if (listen == null || listen.toString().isBlank()) {
            return null;
        }
        try {
            return Endpoint.parse(listen.toString());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring transport.listen: " + e.getMessage());
            return null;
        }
    }

    private void startListening(TransportEntry entry) {
        if (entry.listen == null || entry.listening != null) {
            return;
        }
        Transport transport = entry.transport;
        try {
            // Binding waits for the socket (bounded by the transport); it runs here, never on an event loop.
            entry.listening = transport.listen(entry.listen, link -> accept(transport, link));
        } catch (TransportException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot listen on " + entry.listen + ": " + e.getMessage());
        }
        updateListening();
    }

    private void stopListening(TransportEntry entry) {
        if (entry.listening != null) {
            entry.listening.close();
            entry.listening = null;
        }
        updateListening();
    }

    private void updateListening() {
        List<Endpoint> bound = new ArrayList<>();
        for (TransportEntry entry : transports.values()) {
            if (entry.listening != null) {
                bound.add(entry.listening.endpoint());
            }
        }
        listening = List.copyOf(bound);
    }

    /** Called on an event loop: only wraps the link and enqueues. */
    private Wire accept(Transport transport, Link link) {
        Wire wire = new Wire(this, transport, false);
        wire.link = link;
        try {
            execute(() -> onAccepted(wire));
        } catch (RejectedExecutionException e) {
            link.close();
        }
        return wire;
    }

    private void onAccepted(Wire wire) {
        if (identity == null || !transports.containsKey(wire.transport)) {
            wire.closed = true;
            wire.link.close();
            return;
        }
        if (pendingInbound >= settings.maxPendingHandshakes()) {
            wire.closed = true;
            wire.link.close();
            long now = System.nanoTime();
            if (now - lastRefusalLog >= REFUSAL_LOG_INTERVAL_NANOS) {
                lastRefusalLog = now;
                LOG.log(System.Logger.Level.WARNING, "refusing inbound links: " + pendingInbound
                        + " handshakes in progress (max.pending.handshakes)");
            }
            return;
        }
        pendingInbound++;
        wire.countedPending = true;
        addWire(wire);
        startHandshakeTimer(wire);
    }

    private void addWire(Wire wire) {
        wires.add(wire);
        wireCount = wires.size();
    }

    private void startHandshakeTimer(Wire wire) {
        Duration limit = settings.handshakeTimeout();
        wire.handshakeTimeout = schedule(() -> {
            if (!wire.closed && (wire.session == null || !wire.session.confirmed)) {
                LOG.log(System.Logger.Level.DEBUG, () -> wire + ": handshake not finished within " + limit);
                closeWire(wire, "handshake timed out");
            }
        }, limit);
    }

    // ---- identity ----

    void unlocked(UnlockedIdentity unlocked) {
        if (identity != null) {
            stopAll("the identity was unlocked again");
        }
        byte[] secret;
        try {
            secret = unlocked.privateKey();
        } catch (IdentityException e) {
            LOG.log(System.Logger.Level.WARNING, "identity locked again before the session core started: " + e.getMessage());
            return;
        }
        X25519KeyPair staticKey;
        try {
            staticKey = X25519KeyPair.fromPrivateKey(secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        IdentitySummary summary = unlocked.summary();
        identity = new LocalIdentity(summary.uid(), summary.username(), staticKey);
        LOG.log(System.Logger.Level.INFO, "identity " + summary.uid() + " unlocked: listening and dialing");
        for (TransportEntry entry : transports.values()) {
            startListening(entry);
        }
        for (Peer peer : table.peers()) {
            peer.backoff.reset();
        }
        dialAll();
    }

    void locked() {
        if (identity != null) {
            stopAll("the identity was locked");
        }
    }

    /** Closes every link and stops listening; the static key is wiped. */
    private void stopAll(String why) {
        LocalIdentity old = identity;
        identity = null;
        for (TransportEntry entry : transports.values()) {
            stopListening(entry);
        }
        for (Wire wire : new ArrayList<>(wires)) {
            closeGracefully(wire, WireFormat.CLOSE_NORMAL, why);
        }
        for (Peer peer : table.peers()) {
            if (peer.dialing != null) {
                abandonDial(peer);
            }
            cancel(peer.reconnect);
            peer.reconnect = null;
            table.refresh(peer);
        }
        if (old != null) {
            old.destroy();
        }
    }

    // ---- contacts ----

    private Peer peer(String uid) {
        SessionSettings s = settings;
        return table.peer(uid, () -> new ReconnectSchedule(s.backoffInitial(), s.backoffMax()));
    }

    void contactAdded(Contact contact) {
        dial(peer(contact.uid()));
    }

    void contactChanged(Contact previous, Contact current) {
        Peer peer = peer(current.uid());
        // REFUSED holds until the user changes the contact (re-verifies, accepts a new key, ...).
        peer.refused = false;
        if (!previous.publicKey().equals(current.publicKey())) {
            closePeer(peer, WireFormat.CLOSE_KEY_CHANGED, "the contact's key changed");
        }
        peer.backoff.reset();
        table.refresh(peer);
        dial(peer);
    }

    void contactRemoved(Contact contact) {
        Peer peer = table.get(contact.uid());
        if (peer == null) {
            return;
        }
        peer.removed = true;
        closePeer(peer, WireFormat.CLOSE_NORMAL, "contact removed");
        cancel(peer.reconnect);
        table.refresh(peer);
        table.remove(peer);
    }

    void connectNow(String uid) {
        if (contacts.byUid(uid).isEmpty()) {
            return;
        }
        Peer peer = peer(uid);
        cancel(peer.reconnect);
        peer.reconnect = null;
        dial(peer);
    }

    private void closePeer(Peer peer, int reason, String why) {
        for (Wire wire : new ArrayList<>(wires)) {
            if (peer.uid.equals(wire.contactUid)) {
                closeGracefully(wire, reason, why);
            }
        }
        if (peer.dialing != null) {
            abandonDial(peer);
        }
    }

    // ---- dialing ----

    private void dialAll() {
        for (Contact contact : contacts.contacts()) {
            dial(peer(contact.uid()));
        }
    }

    private void dial(Peer peer) {
        if (identity == null || stopped || peer.refused || peer.removed || peer.current != null
                || peer.dialing != null) {
            return;
        }
        Optional<Contact> found = contacts.byUid(peer.uid);
        if (found.isEmpty() || found.get().publicKey().equals(identity.publicKeyHex)) {
            return;
        }
        Contact contact = found.get();
        List<Endpoint> targets = targets(contact, peer);
        if (targets.isEmpty()) {
            return;
        }
        cancel(peer.reconnect);
        peer.reconnect = null;
        dialEndpoint(peer, contact, targets, 0);
    }

    /** The contact's stored endpoints, then those it announced, for schemes with a transport present. */
    private List<Endpoint> targets(Contact contact, Peer peer) {
        Set<Endpoint> all = new LinkedHashSet<>(contact.endpoints());
        all.addAll(peer.learnedEndpoints);
        List<Endpoint> usable = new ArrayList<>();
        for (Endpoint endpoint : all) {
            if (endpoint.port() != 0 && transportFor(endpoint.scheme()) != null) {
                usable.add(endpoint);
            }
        }
        return usable;
    }

    private TransportEntry transportFor(String scheme) {
        for (TransportEntry entry : transports.values()) {
            if (entry.scheme.equals(scheme)) {
                return entry;
            }
        }
        return null;
    }

    private void dialEndpoint(Peer peer, Contact contact, List<Endpoint> targets, int index) {
        Endpoint target = targets.get(index);
        TransportEntry entry = transportFor(target.scheme());
        if (entry == null) {
            dialFailed(peer, contact, targets, index);
            return;
        }
        Wire wire = new Wire(this, entry.transport, true);
        wire.contactUid = peer.uid;
        wire.dialed = target;
        wire.expectedKey = HEX.parseHex(contact.publicKey());
        wire.expectedFingerprint = contact.fingerprint();
        peer.dialing = wire;
        table.refresh(peer);
        CompletionStage<Link> dial;
        try {
            dial = entry.transport.dial(target, wire);
        } catch (RuntimeException e) {
            dial = CompletableFuture.failedFuture(e);
        }
        dial.whenComplete((link, error) -> {
            try {
                execute(() -> onDialed(peer, contact, targets, index, wire, link, error));
            } catch (RejectedExecutionException e) {
                if (link != null) {
                    link.close();
                }
            }
        });
    }

    private void onDialed(Peer peer, Contact contact, List<Endpoint> targets, int index, Wire wire, Link link,
            Throwable error) {
        if (wire.closed || peer.dialing != wire || identity == null) {
            if (link != null) {
                link.close();
            }
            return;
        }
        if (error != null) {
            LOG.log(System.Logger.Level.DEBUG, () -> "dial " + wire.dialed + " failed: " + error.getMessage());
            dialFailed(peer, contact, targets, index);
            return;
        }
        wire.link = link;
        addWire(wire);
        try {
            wire.handshaker = Handshaker.initiatorIK(identity.staticKey, wire.expectedKey, random);
            send(wire, wire.handshaker.write(ourPayload(WireFormat.SUPPORTED_VERSIONS)));
        } catch (CryptoException e) {
            handshakeFailed(wire, "cannot start the handshake: " + e.getMessage(), null);
            return;
        }
        startHandshakeTimer(wire);
        table.refresh(peer);
    }

    private void dialFailed(Peer peer, Contact contact, List<Endpoint> targets, int index) {
        peer.dialing = null;
        if (index + 1 < targets.size()) {
            dialEndpoint(peer, contact, targets, index + 1);
            return;
        }
        table.refresh(peer);
        scheduleReconnect(peer);
    }

    /** Forgets a dial whose transport or identity went away; a link it still produces is closed on arrival. */
    private void abandonDial(Peer peer) {
        Wire wire = peer.dialing;
        if (wire.link != null) {
            closeWire(wire, "dial abandoned");
        } else {
            wire.closed = true;
            peer.dialing = null;
            table.refresh(peer);
        }
    }

    private void scheduleReconnect(Peer peer) {
        if (identity == null || stopped || peer.refused || peer.removed || peer.current != null
                || peer.dialing != null || peer.reconnect != null) {
            return;
        }
        Duration delay = peer.backoff.next(random);
        LOG.log(System.Logger.Level.DEBUG, () -> "contact " + peer.uid + ": next dial in " + delay.toMillis() + " ms");
        peer.reconnect = schedule(() -> {
            peer.reconnect = null;
            dial(peer);
        }, delay);
    }

    // ---- frames ----

    void onLinkClosed(Wire wire, Link link, Throwable cause) {
        if (wire.link == null) {
            wire.link = link;
        }
        closeWire(wire, cause == null ? "link closed" : "link failed: " + cause.getMessage());
    }

    void onFrame(Wire wire, Link link, byte[] frame) {
        if (wire.closed) {
            return;
        }
        if (wire.link == null) {
            wire.link = link;
        }
        Peer peer = table.get(wire.contactUid);
        if (peer != null) {
            peer.framesIn.incrementAndGet();
            peer.bytesIn.addAndGet(frame.length);
        }
        byte kind = frame.length == 0 ? 0 : frame[0];
        if (wire.session != null) {
            if (kind == WireFormat.RECORD_FRAME) {
                onRecord(wire.session, frame);
            } else if (kind == WireFormat.HANDSHAKE_FRAME) {
                closeWire(wire, "handshake frame after the handshake");
            }
            // Other frame kinds are skipped once authenticated: a later protocol version may add some.
            return;
        }
        if (kind != WireFormat.HANDSHAKE_FRAME) {
            handshakeFailed(wire, "not a jarvis/2 handshake (first byte 0x" + Integer.toHexString(kind & 0xff) + ")",
                    null);
            return;
        }
        try {
            if (wire.outbound) {
                initiatorRead(wire, frame);
            } else {
                responderRead(wire, frame);
            }
        } catch (AuthenticationFailedException | BadPeerKeyException e) {
            handshakeFailed(wire, "handshake authentication failed: " + e.getMessage(), null);
        } catch (CryptoException e) {
            handshakeFailed(wire, "handshake failed: " + e.getMessage(), null);
        } catch (ProtocolViolation e) {
            handshakeFailed(wire, e.getMessage(), null);
        }
    }

    private void responderRead(Wire wire, byte[] frame) throws CryptoException, ProtocolViolation {
        if (wire.handshaker == null) {
            wire.handshaker = Handshaker.responder(frame, identity.staticKey, random);
        }
        Handshaker handshaker = wire.handshaker;
        HandshakePayload payload = handshaker.read(frame);
        if (handshaker.pattern() == WireFormat.PATTERN_IK) {
            // Message 1 (e, es, s, ss): the initiator's key and who it says it is, encrypted to us.
            int version = commonVersion(payload);
            requireIdentity(payload);
            byte[] remoteKey = handshaker.remoteStaticKey();
            Contact contact = admit(wire, remoteKey, payload);
            if (contact == null) {
                return;
            }
            // Raised before our reply, since the initiator's first record may follow it at once.
            authenticate(wire);
            send(wire, handshaker.write(ourPayload(new byte[] {(byte) version})));
            // A replayed message 1 gets this far too: the session counts once the initiator's first record proves it.
            establish(wire, contact, remoteKey, payload, false);
        } else if (handshaker.messages() == 1) {
            // XX message 1 travels in clear: versions only, no identity.
            wire.version = commonVersion(payload);
            if (payload.hasIdentity()) {
                throw new ProtocolViolation("XX message 1 must not carry an identity");
            }
            authenticate(wire);
            send(wire, handshaker.write(ourPayload(new byte[] {(byte) wire.version})));
        } else {
            // XX message 3 (s, se): the initiator's key, proven by se, and its identity.
            requireIdentity(payload);
            if (payload.versions().length != 1 || (payload.versions()[0] & 0xff) != wire.version) {
                throw new ProtocolViolation("XX message 3 must repeat the chosen version");
            }
            byte[] remoteKey = handshaker.remoteStaticKey();
            Contact contact = admit(wire, remoteKey, payload);
            if (contact == null) {
                return;
            }
            establish(wire, contact, remoteKey, payload, true);
        }
    }

    private void initiatorRead(Wire wire, byte[] frame) throws CryptoException, ProtocolViolation {
        Handshaker handshaker = wire.handshaker;
        if (handshaker == null) {
            throw new ProtocolViolation("handshake frame before we wrote ours");
        }
        // IK message 2 (e, ee, se): only the holder of the contact's private key can have written it.
        HandshakePayload payload = handshaker.read(frame);
        if (!handshaker.isComplete()) {
            throw new ProtocolViolation("handshake did not complete with message 2");
        }
        if (payload.versions().length != 1
                || HandshakePayload.choose(payload.versions(), WireFormat.SUPPORTED_VERSIONS) < 0) {
            throw new ProtocolViolation("the responder chose a version we did not offer");
        }
        requireIdentity(payload);
        Optional<Contact> contact = contacts.byUid(wire.contactUid);
        if (contact.isEmpty() || !contact.get().publicKey().equals(HEX.formatHex(wire.expectedKey))) {
            closeWire(wire, "the contact changed during the handshake");
            return;
        }
        if (!payload.uid().equals(wire.contactUid)) {
            LOG.log(System.Logger.Level.WARNING, "contact " + wire.contactUid + " calls itself " + payload.uid()
                    + "; its key is what identifies it");
        }
        authenticate(wire);
        establish(wire, contact.get(), handshaker.remoteStaticKey(), payload, true);
    }

    private static int commonVersion(HandshakePayload payload) throws ProtocolViolation {
        int version = HandshakePayload.choose(payload.versions(), WireFormat.SUPPORTED_VERSIONS);
        if (version < 0) {
            throw new ProtocolViolation("no common session protocol version (offered "
                    + Arrays.toString(payload.versions()) + ")");
        }
        return version;
    }

    private static void requireIdentity(HandshakePayload payload) throws ProtocolViolation {
        if (!payload.hasIdentity()) {
            throw new ProtocolViolation("handshake message carries no identity");
        }
    }

    private static void authenticate(Wire wire) {
        wire.authenticated = true;
        wire.link.authenticated();
    }

    /**
     * Decides whether the key a peer proved may have a session: only a contact's. Returns that contact, or
     * null after raising the security event and closing the link.
     */
    private Contact admit(Wire wire, byte[] remoteKey, HandshakePayload payload) {
        String keyHex = HEX.formatHex(remoteKey);
        String presented = Fingerprint.of(remoteKey).hex();
        Endpoint remote = wire.remote();
        if (keyHex.equals(identity.publicKeyHex)) {
            closeWire(wire, "a peer presented our own key");
            return null;
        }
        Optional<Contact> claimed = contacts.byUid(payload.uid());
        if (claimed.isPresent() && !claimed.get().publicKey().equals(keyHex)) {
            Contact victim = claimed.get();
            alarm.raise(SecurityEvent.Kind.KEY_MISMATCH, victim.uid(), presented, victim.fingerprint(), remote,
                    "a peer claiming to be " + victim.username() + " proved a different key than the stored one: "
                            + "a man-in-the-middle, or the contact reinstalled");
            Peer peer = peer(victim.uid());
            // A session proven with the stored key outranks a claim; without one, stop dialing until the user acts.
            if (peer.current == null) {
                peer.refused = true;
                cancel(peer.reconnect);
                peer.reconnect = null;
            }
            closeWire(wire, "key mismatch for " + victim.uid());
            table.refresh(peer);
            return null;
        }
        Optional<Contact> known = contacts.byPublicKey(keyHex);
        if (known.isPresent()) {
            return known.get();
        }
        SessionSettings s = settings;
        String detail = "a peer calling itself '" + payload.username() + "' (" + payload.uid()
                + ") proved a key that belongs to no contact; "
                + (s.unknownKeys() == SessionSettings.UnknownKeys.REQUEST ? "stored as a contact request" : "refused");
        alarm.raise(SecurityEvent.Kind.UNKNOWN_KEY, null, presented, null, remote, detail);
        if (s.unknownKeys() == SessionSettings.UnknownKeys.REQUEST) {
            try {
                contacts.contactRequested(new ContactRequest(payload.uid(), payload.username(), keyHex,
                        payload.endpoints(), Instant.now()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "contact directory refused a request", e);
            }
        }
        closeWire(wire, "unknown key");
        return null;
    }

    private void establish(Wire wire, Contact contact, byte[] remoteKey, HandshakePayload payload, boolean confirmed) {
        Handshaker handshaker = wire.handshaker;
        boolean weInitiated = handshaker.role() == Role.INITIATOR;
        TransportKeys keys = handshaker.split();
        RecordCipher cipher = FiveLayerCipher.create(keys, handshaker.role());
        String id = HEX.formatHex(keys.handshakeHash());
        keys.destroy();
        handshaker.close();
        wire.handshaker = null;
        PeerSession session = new PeerSession(wire, contact.uid(), cipher, weInitiated,
                weInitiated ? identity.publicKey : remoteKey, id);
        wire.session = session;
        wire.contactUid = contact.uid();
        Peer peer = peer(contact.uid());
        peer.learnedEndpoints = payload.endpoints();
        if (confirmed && !weInitiated) {
            confirm(session);
        } else {
            if (weInitiated) {
                // Our first record confirms the session to the responder, and measures the first RTT.
                // We count the session only when the responder's first record arrives: then both sides
                // hold it confirmed before either applies the duplicate rule, so a contact never shows
                // a moment without a session while one replaces another.
                sendPing(session, random.nextLong());
            }
            peer.answering.add(wire);
            table.refresh(peer);
        }
    }

    /** The peer proved it is live in this session (key confirmation): it may now be the contact's session. */
    private void confirm(PeerSession session) {
        session.confirmed = true;
        Wire wire = session.wire;
        cancel(wire.handshakeTimeout);
        if (wire.countedPending) {
            wire.countedPending = false;
            pendingInbound--;
        }
        Peer peer = peer(session.contactUid);
        peer.answering.remove(wire);
        if (peer.dialing == wire) {
            peer.dialing = null;
        }
        if (!session.weInitiated) {
            // The initiator counts the session once it hears from us: answer at once.
            sendPing(session, random.nextLong());
        }
        LOG.log(System.Logger.Level.INFO, () -> "authenticated " + session);
        offer(peer, session);
        table.refresh(peer);
    }

    /** Applies the duplicate-session rule (see {@link DuplicateSessionRule}) when a contact has two sessions. */
    private void offer(Peer peer, PeerSession newcomer) {
        PeerSession existing = peer.current;
        if (existing == null) {
            makeCurrent(peer, newcomer);
            return;
        }
        if (DuplicateSessionRule.newcomerWins(existing.initiatorKey, newcomer.initiatorKey)) {
            PeerSession waiting = peer.candidate;
            peer.candidate = null;
            if (waiting != null) {
                closeGracefully(waiting.wire, WireFormat.CLOSE_SUPERSEDED, "superseded by a newer session");
            }
            makeCurrent(peer, newcomer);
            closeGracefully(existing.wire, WireFormat.CLOSE_SUPERSEDED, "superseded by " + newcomer.id.substring(0, 12));
        } else if (peer.candidate == null) {
            // The rule keeps the existing session, but only if it is alive: a restarted peer must not be locked out.
            peer.candidate = newcomer;
            probe(peer, existing);
        } else {
            PeerSession waiting = peer.candidate;
            if (DuplicateSessionRule.newcomerWins(waiting.initiatorKey, newcomer.initiatorKey)) {
                peer.candidate = newcomer;
                closeGracefully(waiting.wire, WireFormat.CLOSE_SUPERSEDED, "superseded by a newer session");
            } else {
                closeGracefully(newcomer.wire, WireFormat.CLOSE_SUPERSEDED, "an existing session is kept");
            }
        }
    }

    private void makeCurrent(Peer peer, PeerSession session) {
        // A tie-break swapping one live session for another is no reconnect; coming back after losing one is.
        if (peer.everOnline && peer.current == null && !peer.handover) {
            peer.reconnects++;
        }
        peer.handover = false;
        peer.current = session;
        peer.refused = false;
        peer.everOnline = true;
        cancel(peer.reconnect);
        peer.reconnect = null;
        peer.remote = session.wire.remote();
        peer.sessionId = session.id;
        table.refresh(peer);
    }

    private void probe(Peer peer, PeerSession existing) {
        if (existing.probing) {
            return;
        }
        long nonce = random.nextLong();
        existing.probing = true;
        existing.probeNonce = nonce;
        sendPing(existing, nonce);
        Duration timeout = probeTimeout(peer);
        existing.probeTimeout = schedule(() -> probeExpired(peer, existing), timeout);
    }

    /** A few round trips when one was measured, never more than {@link #PROBE_TIMEOUT}. */
    static Duration probeTimeout(Peer peer) {
        long rtt = peer.rttMicros;
        if (rtt < 0) {
            return PROBE_TIMEOUT;
        }
        Duration bound = Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(rtt) * 4);
        if (bound.compareTo(PROBE_TIMEOUT_MIN) < 0) {
            return PROBE_TIMEOUT_MIN;
        }
        return bound.compareTo(PROBE_TIMEOUT) > 0 ? PROBE_TIMEOUT : bound;
    }

    private void probeExpired(Peer peer, PeerSession existing) {
        existing.probing = false;
        if (existing.closed || peer.current != existing || peer.candidate == null) {
            return;
        }
        PeerSession replacement = peer.candidate;
        peer.candidate = null;
        LOG.log(System.Logger.Level.INFO, () -> existing + " did not answer a probe: replaced by " + replacement);
        peer.reconnects++;
        makeCurrent(peer, replacement);
        closeGracefully(existing.wire, WireFormat.CLOSE_SUPERSEDED, "did not answer a probe");
    }

    private void probeAnswered(Peer peer, PeerSession existing) {
        existing.probing = false;
        cancel(existing.probeTimeout);
        PeerSession loser = peer.candidate;
        if (loser != null && peer.current == existing) {
            peer.candidate = null;
            closeGracefully(loser.wire, WireFormat.CLOSE_SUPERSEDED, "an existing live session is kept");
        }
    }

    // ---- records ----

    private void onRecord(PeerSession session, byte[] frame) {
        ReceivedRecord record;
        try {
            record = session.cipher.open(frame);
        } catch (CryptoException e) {
            recordRejected(session, "a record from " + session.contactUid + " failed to open (" + e.getMessage()
                    + "): the session is closed and dialled again");
            return;
        }
        if (!session.acceptInOrder(record)) {
            recordRejected(session, "a record from " + session.contactUid + " arrived out of sequence (" + record
                    + "): the session is closed and dialled again");
            return;
        }
        if (!session.confirmed) {
            confirm(session);
        }
        if (session.closed) {
            return;
        }
        Peer peer = table.get(session.contactUid);
        if (peer == null) {
            return;
        }
        byte[] payload = record.payload();
        switch (record.contentType()) {
            case WireFormat.PING:
                if (payload.length == WireFormat.PING_LENGTH) {
                    sendRecord(session, WireFormat.PONG, payload);
                }
                break;
            case WireFormat.PONG:
                if (payload.length == WireFormat.PING_LENGTH) {
                    pong(peer, session, ByteBuffer.wrap(payload).getLong());
                }
                break;
            case WireFormat.CLOSE:
                LOG.log(System.Logger.Level.INFO, () -> session + " closed by the peer: " + WireFormat.describeClose(payload));
                if (payload.length > 0 && (payload[0] & 0xFF) == WireFormat.CLOSE_SUPERSEDED && peer.current == session
                        && hasPendingSuccessor(peer)) {
                    // The close and the successor's first record travel on two links: either may arrive first.
                    peer.handover = true;
                }
                closeWire(session.wire, "closed by the peer");
                break;
            default:
                if (record.contentType() >= PeerNetwork.FIRST_APPLICATION_TYPE) {
                    applicationRecord(peer, session, record.contentType(), payload);
                }
                // Unknown session-internal types are skipped: a later version may add some.
        }
    }

    /**
     * A record that does not open, or comes out of sequence, on an authenticated session means the path altered
     * the stream (or an attacker did): the user hears of it, rate-limited by the alarm, and the session restarts.
     */
    private void recordRejected(PeerSession session, String detail) {
        LOG.log(System.Logger.Level.WARNING, session + ": " + detail);
        alarm.raise(SecurityEvent.Kind.RECORD_REJECTED, session.contactUid, null, null, session.wire.remote(), detail);
        closeWire(session.wire, "record rejected");
    }

    private void pong(Peer peer, PeerSession session, long nonce) {
        Long sent = session.pingsSent.remove(nonce);
        if (sent != null) {
            peer.rttMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent);
        }
        if (session.probing && nonce == session.probeNonce) {
            probeAnswered(peer, session);
        }
    }

    private void applicationRecord(Peer peer, PeerSession session, int type, byte[] plaintext) {
        if (plaintext.length == 0 || (plaintext[0] != WireFormat.LAST_CHUNK && plaintext[0] != WireFormat.MORE_CHUNKS)) {
            closeWire(session.wire, "malformed application record");
            return;
        }
        boolean last = plaintext[0] == WireFormat.LAST_CHUNK;
        if (session.partial == null && last) {
            router.deliver(peer.uid, type, Arrays.copyOfRange(plaintext, 1, plaintext.length));
            return;
        }
        if (session.partial == null) {
            session.partial = new java.io.ByteArrayOutputStream();
            session.partialType = type;
        } else if (session.partialType != type) {
            closeWire(session.wire, "chunks of two payloads interleaved");
            return;
        }
        if (session.partial.size() + plaintext.length - 1 > MAX_PAYLOAD) {
            closeWire(session.wire, "payload larger than " + MAX_PAYLOAD + " bytes");
            return;
        }
        session.partial.write(plaintext, 1, plaintext.length - 1);
        if (last) {
            byte[] whole = session.partial.toByteArray();
            session.partial = null;
            router.deliver(peer.uid, type, whole);
        }
    }

    private void sendPing(PeerSession session, long nonce) {
        session.lastPingNanos = System.nanoTime();
        session.pingsSent.put(nonce, session.lastPingNanos);
        sendRecord(session, WireFormat.PING, ByteBuffer.allocate(WireFormat.PING_LENGTH).putLong(nonce).array());
    }

    private CompletionStage<Void> sendRecord(PeerSession session, int type, byte[] plaintext) {
        byte[] record;
        try {
            record = session.cipher.seal(type, plaintext);
        } catch (CryptoException e) {
            closeWire(session.wire, "cannot seal: " + e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
        return send(session.wire, record);
    }

    private CompletionStage<Void> send(Wire wire, byte[] frame) {
        Peer peer = table.get(wire.contactUid);
        if (peer != null) {
            peer.framesOut.incrementAndGet();
            peer.bytesOut.addAndGet(frame.length);
        }
        return wire.link.send(frame);
    }

    /** PeerNetwork.send on the session thread: chunks the payload into records in one go, so they never interleave. */
    void sendPayload(String uid, int type, byte[] payload, CompletableFuture<Void> result) {
        Peer peer = table.get(uid);
        if (peer != null) {
            peer.queuedSends.decrementAndGet();
        }
        PeerSession session = peer == null ? null : peer.current;
        if (session == null || session.closed) {
            result.completeExceptionally(new PeerUnavailableException("contact " + uid + " is not online"));
            return;
        }
        if (!session.wire.link.isWritable()) {
            result.completeExceptionally(new PeerUnavailableException("the link to " + uid + " has a full queue"));
            return;
        }
        int room = Math.min(FiveLayerCipher.MAX_PLAINTEXT_LENGTH,
                session.wire.transport.maxFrameSize() - FiveLayerCipher.HEADER_LENGTH - FiveLayerCipher.LAYER_OVERHEAD);
        int chunk = room - 1;
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        int offset = 0;
        do {
            int n = Math.min(chunk, payload.length - offset);
            byte[] plaintext = new byte[n + 1];
            plaintext[0] = offset + n < payload.length ? WireFormat.MORE_CHUNKS : WireFormat.LAST_CHUNK;
            System.arraycopy(payload, offset, plaintext, 1, n);
            sent.add(sendRecord(session, type, plaintext).toCompletableFuture());
            offset += n;
        } while (offset < payload.length);
        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).whenComplete((ok, error) -> {
            // Completed on the session thread, so a caller's continuation never runs on a transport event loop.
            Runnable complete = () -> {
                if (error == null) {
                    result.complete(null);
                } else {
                    result.completeExceptionally(new PeerUnavailableException("sending to " + uid + " failed: "
                            + error.getMessage()));
                }
            };
            try {
                execute(complete);
            } catch (RejectedExecutionException e) {
                complete.run();
            }
        });
    }

    // ---- keepalive ----

    private void keepalive() {
        SessionSettings s = settings;
        long now = System.nanoTime();
        for (Peer peer : table.peers()) {
            for (PeerSession session : new PeerSession[] {peer.current, peer.candidate}) {
                if (session == null || session.closed || !session.confirmed) {
                    continue;
                }
                if (now - session.wire.lastInboundNanos >= s.dead().toNanos()) {
                    LOG.log(System.Logger.Level.INFO, () -> session + ": nothing received for " + s.dead() + ": dead");
                    closeGracefully(session.wire, WireFormat.CLOSE_NORMAL, "nothing received for " + s.dead());
                } else if (now - session.lastPingNanos >= s.keepalive().toNanos()) {
                    sendPing(session, random.nextLong());
                }
            }
        }
    }

    // ---- closing ----

    private void handshakeFailed(Wire wire, String detail, String presented) {
        alarm.raise(SecurityEvent.Kind.HANDSHAKE_FAILED, wire.contactUid, presented, wire.expectedFingerprint,
                wire.remote(), detail);
        closeWire(wire, detail);
    }

    /** Tells the peer why (when the session is up) and closes. */
    private void closeGracefully(Wire wire, int reason, String why) {
        PeerSession session = wire.session;
        if (!wire.closed && session != null && session.confirmed && wire.link != null && wire.link.isOpen()) {
            sendRecord(session, WireFormat.CLOSE, WireFormat.closePayload(reason, why));
        }
        closeWire(wire, why);
    }

    /** Closes a wire once and updates its contact: promotes a waiting session or schedules a redial. */
    private void closeWire(Wire wire, String why) {
        if (wire.closed) {
            return;
        }
        wire.closed = true;
        wires.remove(wire);
        wireCount = wires.size();
        cancel(wire.handshakeTimeout);
        if (wire.countedPending) {
            wire.countedPending = false;
            pendingInbound--;
        }
        if (wire.handshaker != null) {
            wire.handshaker.close();
            wire.handshaker = null;
        }
        PeerSession session = wire.session;
        if (session != null) {
            session.closed = true;
            cancel(session.probeTimeout);
            session.cipher.close();
        }
        if (wire.link != null) {
            wire.link.close();
        }
        Peer peer = table.get(wire.contactUid);
        if (peer == null) {
            return;
        }
        if (session != null && session.confirmed) {
            LOG.log(System.Logger.Level.INFO, () -> session + " closed: " + why);
        }
        peer.answering.remove(wire);
        boolean redial = false;
        if (peer.dialing == wire) {
            peer.dialing = null;
            redial = true;
        }
        if (session != null && peer.candidate == session) {
            peer.candidate = null;
        }
        if (session != null && peer.current == session) {
            peer.current = null;
            peer.sessionId = null;
            if (System.nanoTime() - session.establishedNanos >= settings.backoffReset().toNanos()) {
                peer.backoff.reset();
            }
            PeerSession waiting = peer.candidate;
            if (waiting != null) {
                peer.candidate = null;
                peer.reconnects++;
                makeCurrent(peer, waiting);
            } else {
                redial = !peer.handover;
            }
        }
        if (peer.handover && peer.current == null && !hasPendingSuccessor(peer)) {
            // The successor failed too: this is a real loss.
            peer.handover = false;
            redial = true;
        }
        table.refresh(peer);
        if (redial) {
            scheduleReconnect(peer);
        }
    }

    /** Whether a link with this peer has finished its handshake and waits for its first record. */
    private static boolean hasPendingSuccessor(Peer peer) {
        for (Wire w : peer.answering) {
            if (w.session != null && !w.closed && !w.session.confirmed) {
                return true;
            }
        }
        return false;
    }

    // ---- payloads ----

    private HandshakePayload ourPayload(byte[] versions) {
        List<Endpoint> advertised = new ArrayList<>();
        for (Endpoint endpoint : listening) {
            // A wildcard address means nothing to the peer.
            if (!endpoint.host().equals("0.0.0.0") && !endpoint.host().equals("::")
                    && !endpoint.host().equals("0:0:0:0:0:0:0:0")) {
                advertised.add(endpoint);
            }
        }
        return new HandshakePayload(versions, identity.uid, identity.username,
                advertised.subList(0, Math.min(advertised.size(), HandshakePayload.MAX_ENDPOINTS)));
    }

    /** Test view: the handshake hash of a contact's current session, the same on both sides. */
    String sessionId(String uid) {
        Peer peer = table.get(uid);
        return peer == null ? null : peer.sessionId;
    }
}
