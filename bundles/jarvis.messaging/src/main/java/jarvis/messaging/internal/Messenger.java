package jarvis.messaging.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import jarvis.api.ConnectionListener;
import jarvis.api.ConnectionState;
import jarvis.api.Contact;
import jarvis.api.ContactListener;
import jarvis.api.DeliveryState;
import jarvis.api.IdentitySummary;
import jarvis.api.Ids;
import jarvis.api.Message;
import jarvis.api.MessageListener;
import jarvis.api.contacts.ContactDirectory;
import jarvis.api.groups.Group;
import jarvis.api.groups.GroupException;
import jarvis.api.groups.GroupMember;
import jarvis.api.groups.GroupService;
import jarvis.api.groups.GroupState;
import jarvis.api.identity.IdentityService;
import jarvis.api.messaging.CarriedMessages;
import jarvis.api.messaging.MessageCarrier;
import jarvis.api.messaging.MessageService;
import jarvis.api.messaging.MessagingException;
import jarvis.api.messaging.TypingListener;
import jarvis.api.service.LazyService;
import jarvis.api.session.PeerNetwork;
import jarvis.api.session.PeerPayloadHandler;
import jarvis.api.store.Store;
import jarvis.api.store.StoreException;
import jarvis.api.store.StoreWorker;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Messaging over the peer network, one-to-one and in groups (fanned out pairwise: one outbox row per member), with
 * its history and outbox in the account's store. Runs
 * while the store is open (the identity unlocked). Every store write caused by the network, every send
 * and every announcement happens on one thread of its own ({@code jarvis-messaging}); the session thread
 * only queues payloads here. The rules are in docs/protocol.md ("Messaging protocol").
 */
@Component(name = Messenger.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true,
        service = {MessageService.class, PeerPayloadHandler.class, ConnectionListener.class, ContactListener.class,
                CarriedMessages.class},
        property = {PeerPayloadHandler.CONTENT_TYPES + ":Integer=16", PeerPayloadHandler.CONTENT_TYPES + ":Integer=17",
                PeerPayloadHandler.CONTENT_TYPES + ":Integer=18", PeerPayloadHandler.CONTENT_TYPES + ":Integer=19"})
@Designate(ocd = Messenger.Config.class)
public final class Messenger implements MessageService, PeerPayloadHandler, ConnectionListener, ContactListener,
        CarriedMessages {

    static final String PID = "jarvis.messaging";

    @ObjectClassDefinition(name = "Jarvis messaging",
            description = "Read receipts, outbox expiry and resend timing of one-to-one messages.")
    public @interface Config {

        @AttributeDefinition(name = "Send read receipts",
                description = "Tell contacts when their messages have been read here.")
        boolean read_receipts() default true;

        @AttributeDefinition(name = "Outbox expiry (days)",
                description = "An undelivered message fails after this many days.", min = "1")
        int outbox_expiry_days() default 30;

        @AttributeDefinition(name = "Resend after (s)",
                description = "A message sent but not acknowledged is sent again after this long.", min = "1")
        int resend_seconds() default 30;

        @AttributeDefinition(name = "Order hold (s)", description = "A received message whose predecessor has "
                + "not arrived is shown anyway after this long.", min = "1")
        int order_hold_seconds() default 60;
    }

    /** The configuration in the units the code uses. */
    record Settings(boolean readReceipts, long expiryMillis, long resendMillis, long holdMillis) {
        static Settings from(Config c) {
            return new Settings(c.read_receipts(), Duration.ofDays(Math.max(1, c.outbox_expiry_days())).toMillis(),
                    Duration.ofSeconds(Math.max(1, c.resend_seconds())).toMillis(),
                    Duration.ofSeconds(Math.max(1, c.order_hold_seconds())).toMillis());
        }
    }

    private record Incoming(String contactUid, int type, byte[] payload) {
    }

    /**
     * What the messaging thread remembers of the messages going to one contact. Deliberately not stored: after
     * a restart everything still in the outbox is due again, oldest first.
     */
    private static final class Stream {
        /** The last id handed to the session; the next drain continues after it. */
        String cursor = "";
        /** Handed to the session, not yet acknowledged: id → when. */
        final Map<String, Long> awaiting = new LinkedHashMap<>();

        /** Go back to the oldest waiting message (new session, or an acknowledgement overdue). */
        void rewind() {
            cursor = "";
            awaiting.clear();
        }
    }

    private static final System.Logger LOG = System.getLogger(Messenger.class.getName());
    /** Most messages to one contact sent and not yet acknowledged (the session itself queues at most 1024). */
    static final int WINDOW = 256;
    /** Hand-offs are recorded as SENT in batches this long at most after they happen. */
    static final long SENT_FLUSH_MILLIS = 50;
    /** Received payloads waiting for the messaging thread; beyond this they are dropped and resent by the peer. */
    static final int MAX_INCOMING = 8192;
    /** Received payloads written in one transaction (group commit). */
    static final int BATCH = 512;
    static final long TICK_MILLIS = 1000;

    private final Store store;
    private final PeerNetwork network;
    private final ContactDirectory contacts;
    private final Supplier<Optional<String>> localUid;
    private final Clock clock;
    private final MessageIds ids;
    private volatile Settings settings;

    private final StoreWorker worker = new StoreWorker("jarvis-messaging");
    /** Held while outgoing messages are given ids and committed, so that they are committed in id order. */
    private final Object sendCommitLock = new Object();
    private final Queue<PendingSend> pendingSends = new ConcurrentLinkedQueue<>();
    private final List<MessageListener> messageListeners = new CopyOnWriteArrayList<>();
    private final List<TypingListener> typingListeners = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Incoming> incoming = new ArrayBlockingQueue<>(MAX_INCOMING);
    private final AtomicBoolean incomingScheduled = new AtomicBoolean();
    private final Set<String> drainRequested = ConcurrentHashMap.newKeySet();
    private final List<MessageCarrier> carriers = new CopyOnWriteArrayList<>();
    private final AtomicInteger carriedWaiting = new AtomicInteger();

    // Only touched on the messaging thread.
    private final Map<String, Stream> streams = new HashMap<>();
    private final List<String> handedOff = new ArrayList<>();
    private final Set<String> receiptsInFlight = new HashSet<>();

    /**
     * Membership of groups; without it group messages are neither sent nor accepted. DS binds it as service
     * objects, fetched on first use (see {@link LazyService}): fetched at activation, groups would activate the
     * contact book, which would activate this component again.
     */
    volatile Supplier<Optional<GroupService>> groups = Optional::empty;
    private volatile LazyService<GroupService> groupsBound;

    @Reference(name = "groups", service = GroupService.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindGroups")
    void bindGroups(ComponentServiceObjects<GroupService> service) {
        LazyService<GroupService> lazy = new LazyService<>(service);
        groupsBound = lazy;
        groups = lazy::get;
    }

    void unbindGroups(ComponentServiceObjects<GroupService> service) {
        LazyService<GroupService> lazy = groupsBound;
        if (lazy != null) {
            groupsBound = null;
            groups = Optional::empty;
            lazy.release();
        }
    }

    @Activate
    public Messenger(Config config, @Reference(name = "store") Store store,
            @Reference(name = "network") PeerNetwork network,
            @Reference(name = "contacts") ContactDirectory contacts,
            @Reference(name = "identity") IdentityService identity) throws StoreException {
        this(Settings.from(config), store, network, contacts,
                () -> identity.status().summary().map(IdentitySummary::uid), Clock.systemUTC());
    }

    Messenger(Settings settings, Store store, PeerNetwork network, ContactDirectory contacts,
            Supplier<Optional<String>> localUid, Clock clock) throws StoreException {
        this.settings = settings;
        this.store = store;
        this.network = network;
        this.contacts = contacts;
        this.localUid = localUid;
        this.clock = clock;
        this.ids = new MessageIds(clock);
        store.migrate(Schema.MODULE, Schema.SCRIPTS);
        onWorker(this::start);
        worker.repeat(this::tick, TICK_MILLIS, TICK_MILLIS);
        LOG.log(System.Logger.Level.INFO, "messaging active: " + settings);
    }

    @Modified
    void modified(Config config) {
        settings = Settings.from(config);
        LOG.log(System.Logger.Level.INFO, "messaging reconfigured: " + settings);
    }

    @Deactivate
    void deactivate() {
        worker.stop();
        LOG.log(System.Logger.Level.INFO, "messaging stopped");
    }

    // ---- whiteboard ----

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addMessageListener(MessageListener listener) {
        messageListeners.add(listener);
    }

    void removeMessageListener(MessageListener listener) {
        messageListeners.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTypingListener(TypingListener listener) {
        typingListeners.add(listener);
    }

    void removeTypingListener(TypingListener listener) {
        typingListeners.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCarrier(MessageCarrier carrier) {
        carriers.add(carrier);
    }

    void removeCarrier(MessageCarrier carrier) {
        carriers.remove(carrier);
    }

    // ---- MessageService ----

    @Override
    public Message send(String contactUid, String text) throws MessagingException {
        Contact contact = requireContact(contactUid);
        checkText(text);
        String self = localUid.get().orElseThrow(() -> new MessagingException("the identity is locked"));
        Message message = commitSend(id -> new Message(id, contact.uid(), self, text, MessageIds.timestamp(id), true,
                DeliveryState.QUEUED), List.of(contact.uid()));
        requestDrain(contact.uid());
        return message;
    }

    @Override
    public Message sendToGroup(String groupId, String text) throws MessagingException {
        Group group = requireJoinedGroup(groupId);
        checkText(text);
        String self = localUid.get().orElseThrow(() -> new MessagingException("the identity is locked"));
        List<String> recipients = recipients(group, self);
        Message message = commitSend(id -> new Message(id, group.id(), self, text, MessageIds.timestamp(id), true,
                recipients.isEmpty() ? DeliveryState.DELIVERED : DeliveryState.QUEUED), recipients);
        recipients.forEach(this::requestDrain);
        return message;
    }

    /**
     * Joined members, and members allowed to use Jarvis 1.x (which has no invitations, so they never join): 1.x
     * peers take any group message whose group they know.
     */
    private List<String> recipients(Group group, String self) {
        List<String> out = new ArrayList<>(group.recipients(self));
        for (GroupMember m : group.members()) {
            if (!m.joined() && !m.uid().equals(self) && contacts.byUid(m.uid()).map(Contact::legacy).orElse(false)) {
                out.add(m.uid());
            }
        }
        return out;
    }

    /**
     * Stores an outgoing message and its outbox entries, and returns only once they are committed. Callers that
     * arrive while a commit runs are committed together in the next transaction (group commit). Ids are given
     * under the commit lock, so messages are committed in id order: a drain, which continues after the last id it
     * handed over, can never pass a message that is committed later with a smaller id.
     */
    private Message commitSend(Function<String, Message> build, List<String> recipients) throws MessagingException {
        PendingSend mine = new PendingSend(build, recipients);
        pendingSends.add(mine);
        synchronized (sendCommitLock) {
            while (!mine.done) {
                List<PendingSend> batch = new ArrayList<>();
                for (PendingSend p = pendingSends.poll(); p != null; p = batch.size() < BATCH ? pendingSends.poll() : null) {
                    batch.add(p);
                }
                commitSends(batch);
            }
            if (mine.failure != null) {
                throw mine.failure;
            }
            return mine.stored;
        }
    }

    private void commitSends(List<PendingSend> batch) {
        long now = clock.millis();
        long expiry = settings.expiryMillis();
        List<Message> messages = new ArrayList<>(batch.size());
        for (PendingSend p : batch) {
            messages.add(p.build.apply(ids.next()));
        }
        MessagingException failure = null;
        try {
            store.write(c -> {
                for (int i = 0; i < batch.size(); i++) {
                    Message m = messages.get(i);
                    MessageRecords.insertOutgoing(c, m, now);
                    for (String uid : batch.get(i).recipients) {
                        Outbox.add(c, m.id(), uid, now + expiry);
                    }
                }
                return null;
            });
        } catch (StoreException e) {
            failure = new MessagingException("messages could not be saved: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            failure = new MessagingException("messages could not be saved: " + e, e);
        }
        for (int i = 0; i < batch.size(); i++) {
            PendingSend p = batch.get(i);
            p.stored = failure == null ? messages.get(i) : null;
            p.failure = failure;
            p.done = true;
        }
    }

    /** A send waiting for its commit; its fields are read and written under the commit lock only. */
    private static final class PendingSend {
        final Function<String, Message> build;
        final List<String> recipients;
        Message stored;
        MessagingException failure;
        boolean done;

        PendingSend(Function<String, Message> build, List<String> recipients) {
            this.build = build;
            this.recipients = recipients;
        }
    }

    private Group requireJoinedGroup(String groupId) throws MessagingException {
        if (!Ids.isGroupId(groupId)) {
            throw new MessagingException("a group id is g followed by 31 lowercase hex characters");
        }
        GroupService service = groups.get()
                .orElseThrow(() -> new MessagingException("groups are not available"));
        Optional<Group> group;
        try {
            group = service.group(groupId);
        } catch (GroupException e) {
            throw new MessagingException(e.getMessage(), e);
        }
        Group g = group.orElseThrow(() -> new MessagingException("unknown group " + groupId));
        return switch (g.state()) {
            case JOINED -> g;
            case INVITED -> throw new MessagingException("accept the invitation to " + g.name() + " first");
            case LEFT, REMOVED -> throw new MessagingException("you are no longer a member of " + g.name());
        };
    }

    @Override
    public Optional<Message> message(String messageId) throws MessagingException {
        if (!MessageIds.isId(messageId)) {
            return Optional.empty();
        }
        return read(c -> MessageRecords.find(c, messageId));
    }

    @Override
    public List<Message> history(String conversationId, String beforeId, int limit) throws MessagingException {
        requireConversation(conversationId);
        checkLimit(limit);
        if (beforeId != null && !MessageIds.isId(beforeId)) {
            throw new MessagingException("a message id is 32 lowercase hex characters");
        }
        return read(c -> MessageRecords.history(c, conversationId, beforeId, limit));
    }

    @Override
    public int unreadCount(String conversationId) throws MessagingException {
        requireConversation(conversationId);
        return read(c -> MessageRecords.unread(c, conversationId));
    }

    @Override
    public int totalUnread() throws MessagingException {
        return read(c -> MessageRecords.unread(c, null));
    }

    @Override
    public int markRead(String conversationId) throws MessagingException {
        requireConversation(conversationId);
        // Group messages get no read receipts: who read what in a group is not the others' business.
        boolean receipts = settings.readReceipts() && Ids.isUid(conversationId);
        List<Message> read = write(c -> {
            List<Message> marked = MessageRecords.markRead(c, conversationId);
            if (receipts) {
                for (Message m : marked) {
                    Outbox.addReceipt(c, m.id(), m.senderUid());
                }
            }
            return marked;
        });
        for (Message m : read) {
            announce(l -> l.deliveryStateChanged(m.withState(DeliveryState.READ), DeliveryState.DELIVERED));
        }
        if (receipts && !read.isEmpty()) {
            onWorker(() -> sendReceipts(conversationId));
        }
        return read.size();
    }

    @Override
    public boolean delete(String messageId) throws MessagingException {
        if (!MessageIds.isId(messageId)) {
            throw new MessagingException("a message id is 32 lowercase hex characters");
        }
        long now = clock.millis();
        return write(c -> {
            Outbox.remove(c, messageId);
            Outbox.removeReceipt(c, messageId);
            return MessageRecords.delete(c, messageId, now);
        });
    }

    @Override
    public int deleteConversation(String conversationId) throws MessagingException {
        requireConversation(conversationId);
        long now = clock.millis();
        return write(c -> {
            Outbox.removeConversation(c, conversationId);
            Outbox.removeReceiptsOf(c, conversationId);
            return MessageRecords.deleteConversation(c, conversationId, now);
        });
    }

    @Override
    public List<Message> search(String text, int limit) throws MessagingException {
        if (text == null || text.isBlank()) {
            throw new MessagingException("search for what? the text is empty");
        }
        if (text.length() > 1000) {
            throw new MessagingException("search text is too long (at most 1000 characters)");
        }
        checkLimit(limit);
        return read(c -> MessageRecords.search(c, text, limit));
    }

    @Override
    public boolean typing(String contactUid) throws MessagingException {
        Contact contact = requireContact(contactUid);
        if (contact.keyChanged() || network.state(contact.uid()) != ConnectionState.ONLINE) {
            return false;
        }
        return !network.send(contact.uid(), Wire.TYPING, Wire.encodeTyping()).toCompletableFuture()
                .isCompletedExceptionally();
    }

    // ---- PeerPayloadHandler (session thread: queue and return) ----

    @Override
    public void received(String contactUid, int contentType, byte[] payload) {
        if (payload.length > Wire.MAX_PAYLOAD_BYTES) {
            LOG.log(System.Logger.Level.WARNING, "dropped an oversized payload of type " + contentType + " ("
                    + payload.length + " bytes) from " + contactUid);
            return;
        }
        if (!incoming.offer(new Incoming(contactUid, contentType, payload))) {
            // Nothing is acknowledged for a dropped payload, so the peer sends it again.
            LOG.log(System.Logger.Level.WARNING, "messaging is behind: dropped a payload from " + contactUid);
            return;
        }
        if (incomingScheduled.compareAndSet(false, true)) {
            onWorker(this::processIncoming);
        }
    }

    // ---- CarriedMessages (a carrier's thread: queue and return) ----

    @Override
    public void reachable(String contactUid) {
        // No rewind here: a carrier write may still be in flight and would go twice. What an earlier jarvis/2
        // session took and never acknowledged is sent again once overdue, as always.
        requestDrain(contactUid);
    }

    @Override
    public void received(String contactUid, String foreignId, String groupId, String text, Instant sentAt) {
        if (!Ids.isUid(contactUid) || !MessageIds.isId(foreignId) || (groupId != null && !Ids.isGroupId(groupId))
                || text == null || text.isEmpty() || text.length() > MAX_TEXT_BYTES) {
            LOG.log(System.Logger.Level.WARNING, "dropped a carried message from " + contactUid
                    + ": bad id, group id or text length");
            return;
        }
        if (carriedWaiting.incrementAndGet() > MAX_INCOMING) {
            carriedWaiting.decrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "messaging is behind: dropped a carried message from " + contactUid);
            return;
        }
        onWorker(() -> {
            carriedWaiting.decrementAndGet();
            receiveCarried(contactUid, foreignId, groupId, text);
        });
    }

    // ---- ConnectionListener / ContactListener (session and contact threads: hand over) ----

    @Override
    public void connectionChanged(String contactUid, ConnectionState previous, ConnectionState current) {
        if (current == ConnectionState.ONLINE) {
            onWorker(() -> online(contactUid));
        }
    }

    @Override
    public void contactAdded(Contact contact) {
        requestDrain(contact.uid());
    }

    @Override
    public void contactChanged(Contact previous, Contact current) {
        if (!current.keyChanged()) {
            requestDrain(current.uid());
        }
    }

    @Override
    public void contactRemoved(Contact contact) {
        // Its messages stay in the outbox until they expire, in case the contact is added again.
    }

    // ---- the messaging thread ----

    private void start() throws StoreException {
        tick();
    }

    private Stream stream(String contactUid) {
        return streams.computeIfAbsent(contactUid, k -> new Stream());
    }

    private void online(String contactUid) throws StoreException {
        // Whatever went to an earlier session may be lost with it: start again from the oldest unacknowledged.
        stream(contactUid).rewind();
        drain(contactUid);
        sendReceipts(contactUid);
    }

    private void tick() throws StoreException {
        long now = clock.millis();
        expire(now);
        releaseHeld(now - settings.holdMillis());
        long overdue = now - settings.resendMillis();
        for (String uid : store.read(Outbox::contactsWaiting)) {
            Stream s = stream(uid);
            if (s.awaiting.values().stream().anyMatch(at -> at <= overdue)) {
                s.rewind();
            }
            drain(uid);
        }
        for (String uid : store.read(Outbox::contactsWithReceipts)) {
            sendReceipts(uid);
        }
    }

    private void requestDrain(String contactUid) {
        if (drainRequested.add(contactUid)) {
            onWorker(() -> {
                drainRequested.remove(contactUid);
                drain(contactUid);
            });
        }
    }

    /** Hands the contact's waiting messages to its session in id order, at most {@link #WINDOW} unacknowledged. */
    private void drain(String contactUid) throws StoreException {
        if (network.state(contactUid) != ConnectionState.ONLINE) {
            if (!carriers.isEmpty()) {
                drainCarried(contactUid);
            }
            return;
        }
        Stream s = stream(contactUid);
        List<Outbox.Due> due = due(contactUid, s);
        long now = clock.millis();
        for (Outbox.Due d : due) {
            CompletableFuture<Void> sent = network.send(contactUid, Wire.MESSAGE,
                    Wire.encodeText(d.id(), d.prevId(), d.groupId(), d.utf8())).toCompletableFuture();
            if (sent.isCompletedExceptionally()) {
                break; // Offline, or the session's queue is full: the rest waits for the next trigger, in order.
            }
            s.cursor = d.id();
            s.awaiting.put(d.id(), now);
            sent.whenComplete((ok, failure) -> {
                if (failure == null) {
                    onWorker(() -> handed(d.id()));
                }
            });
        }
    }

    /**
     * The contact's waiting messages after the stream's cursor, as many as its window has room for; none while the
     * contact's key changed (held until the new key is verified) or the contact is gone.
     */
    private List<Outbox.Due> due(String contactUid, Stream s) throws StoreException {
        Optional<Contact> contact = contacts.byUid(contactUid);
        if (contact.isEmpty() || contact.get().keyChanged()) {
            return List.of();
        }
        int room = WINDOW - s.awaiting.size();
        if (room <= 0) {
            return List.of();
        }
        String cursor = s.cursor;
        return store.read(c -> Outbox.after(c, contactUid, cursor, room));
    }

    /**
     * Without a jarvis/2 session, writes the contact's waiting messages through a carrier that reaches it. A written
     * message is done (the carrier has no acknowledgements): SENT, out of the outbox; see {@link #carried}.
     */
    private void drainCarried(String contactUid) throws StoreException {
        Stream s = stream(contactUid);
        List<Outbox.Due> due = due(contactUid, s);
        if (due.isEmpty()) {
            return;
        }
        MessageCarrier carrier = carriers.stream().filter(c -> c.reaches(contactUid)).findFirst().orElse(null);
        if (carrier == null) {
            carriers.forEach(c -> c.connectNow(contactUid));
            return;
        }
        long now = clock.millis();
        for (Outbox.Due d : due) {
            CompletableFuture<Void> written = carrier.send(contactUid, d.id(), d.groupId(),
                    new String(d.utf8(), StandardCharsets.UTF_8), MessageIds.timestamp(d.id())).toCompletableFuture();
            if (written.isCompletedExceptionally()) {
                break;
            }
            s.cursor = d.id();
            s.awaiting.put(d.id(), now);
            written.whenComplete((ok, failure) -> onWorker(() -> {
                if (failure == null) {
                    carried(contactUid, d.id());
                } else {
                    // Not written: still in the outbox, sent again from the oldest waiting one.
                    stream(contactUid).rewind();
                }
            }));
        }
    }

    /**
     * A message written by a carrier: SENT and out of the outbox, as nothing more will ever be heard of it. A group
     * message is DELIVERED once no member is owed a copy (acknowledged over jarvis/2, or written by a carrier).
     */
    private void carried(String contactUid, String id) throws StoreException {
        stream(contactUid).awaiting.remove(id);
        List<Step> steps = store.write(c -> {
            List<Step> out = new ArrayList<>();
            Optional<Message> m = MessageRecords.find(c, id);
            if (m.isEmpty()) {
                return out;
            }
            List<DeliveryState> path = MessageRecords.advance(c, m.get().conversationId(), id, DeliveryState.SENT);
            for (int i = 1; i < path.size(); i++) {
                out.add(new Step(m.get().withState(path.get(i)), path.get(i - 1)));
            }
            if (Ids.isGroupId(m.get().conversationId())) {
                groupCopyAcknowledged(c, contactUid, id).ifPresent(out::addAll);
            } else {
                Outbox.remove(c, id);
            }
            return out;
        });
        for (Step step : steps) {
            announce(l -> l.deliveryStateChanged(step.message(), step.previous()));
        }
    }

    /** Stores a message a carrier received, once, under an id of ours (the time it arrived orders it). */
    private void receiveCarried(String from, String foreignId, String groupId, String text) throws StoreException {
        if (contacts.byUid(from).isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "dropped a carried message from " + from + ", who is not a contact");
            return;
        }
        if (groupId != null && admit(findGroup(groupId), from) != Admission.STORE) {
            LOG.log(System.Logger.Level.INFO, "dropped carried message " + foreignId + " from " + from + " to group "
                    + groupId + ": not a member of a group we are in");
            return;
        }
        String id = ids.next();
        long now = clock.millis();
        List<Message> shown = store.write(c -> {
            if (CarriedIds.seen(c, from, foreignId)) {
                return List.<Message>of();
            }
            CarriedIds.record(c, from, foreignId, id);
            MessageRecords.receive(c, from, new Wire.Text(id, null, groupId, text), now);
            return MessageRecords.release(c, id, false);
        });
        if (shown.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "dropped carried message " + foreignId + " from " + from
                    + ": stored before");
        }
        for (Message m : shown) {
            announce(l -> l.messageReceived(m));
        }
    }

    private void handed(String id) {
        handedOff.add(id);
        if (handedOff.size() == 1) {
            worker.schedule(() -> applyReceipts(Map.of(), Map.of()), SENT_FLUSH_MILLIS);
        }
    }

    private void processIncoming() throws StoreException {
        incomingScheduled.set(false);
        List<Incoming> batch = new ArrayList<>(BATCH);
        incoming.drainTo(batch, BATCH);
        Map<String, Boolean> known = new HashMap<>();
        List<Map.Entry<String, Wire.Text>> texts = new ArrayList<>();
        Map<String, List<String>> acks = new LinkedHashMap<>();
        Map<String, List<String>> reads = new LinkedHashMap<>();
        for (Incoming in : batch) {
            if (!known.computeIfAbsent(in.contactUid(), uid -> contacts.byUid(uid).isPresent())) {
                LOG.log(System.Logger.Level.WARNING, "dropped a payload from " + in.contactUid()
                        + ", who is not a contact");
                continue;
            }
            try {
                switch (in.type()) {
                    case Wire.MESSAGE -> texts.add(Map.entry(in.contactUid(), Wire.decodeText(in.payload())));
                    case Wire.ACK -> acks.computeIfAbsent(in.contactUid(), k -> new ArrayList<>())
                            .addAll(Wire.decodeIds(in.payload()));
                    case Wire.READ -> reads.computeIfAbsent(in.contactUid(), k -> new ArrayList<>())
                            .addAll(Wire.decodeIds(in.payload()));
                    case Wire.TYPING -> {
                        Wire.decodeTyping(in.payload());
                        announceTyping(in.contactUid());
                    }
                    default -> LOG.log(System.Logger.Level.DEBUG, "ignored content type " + in.type());
                }
            } catch (Wire.Malformed e) {
                LOG.log(System.Logger.Level.WARNING, "dropped a malformed payload of type " + in.type() + " from "
                        + in.contactUid() + ": " + e.getMessage());
            }
        }
        if (!texts.isEmpty()) {
            receiveTexts(texts);
        }
        if (!acks.isEmpty() || !reads.isEmpty()) {
            applyReceipts(acks, reads);
        }
        if (!incoming.isEmpty() && incomingScheduled.compareAndSet(false, true)) {
            onWorker(this::processIncoming);
        }
    }

    /** Stores a batch durably in one transaction, then announces what became visible, then acknowledges it. */
    private void receiveTexts(List<Map.Entry<String, Wire.Text>> texts) throws StoreException {
        long now = clock.millis();
        Map<String, List<String>> acks = new LinkedHashMap<>();
        // Looked up before the transaction, which then holds no other store call.
        Map<String, Optional<Group>> groupsSeen = new HashMap<>();
        for (Map.Entry<String, Wire.Text> e : texts) {
            String group = e.getValue().groupId();
            if (group != null && !groupsSeen.containsKey(group)) {
                groupsSeen.put(group, findGroup(group));
            }
        }
        List<Message> shown = store.write(c -> {
            List<Message> visible = new ArrayList<>();
            for (Map.Entry<String, Wire.Text> e : texts) {
                String from = e.getKey();
                Wire.Text t = e.getValue();
                if (t.groupId() != null) {
                    Admission a = admit(groupsSeen.get(t.groupId()), from);
                    if (a == Admission.DROP) {
                        LOG.log(System.Logger.Level.INFO, "held back message " + t.id() + " from " + from
                                + " to group " + t.groupId() + ": not (yet) a member here; the sender will resend");
                        continue;
                    }
                    if (a == Admission.DISCARD) {
                        acks.computeIfAbsent(from, k -> new ArrayList<>()).add(t.id());
                        continue;
                    }
                }
                MessageRecords.Receipt r = MessageRecords.receive(c, from, t, now);
                if (r == MessageRecords.Receipt.CONFLICT) {
                    LOG.log(System.Logger.Level.WARNING, "dropped a message from " + from + " whose id " + t.id()
                            + " is another author's");
                    continue;
                }
                acks.computeIfAbsent(from, k -> new ArrayList<>()).add(t.id());
                if (r == MessageRecords.Receipt.STORED) {
                    visible.addAll(MessageRecords.release(c, t.id(), false));
                }
            }
            return visible;
        });
        // Announced before the ACK, so a sender that sees DELIVERED knows the receiving frontends were told.
        for (Message m : shown) {
            announce(l -> l.messageReceived(m));
        }
        // Only now is the batch durable: acknowledging earlier could lose a message the peer then forgets.
        acks.forEach((uid, list) -> {
            for (byte[] payload : Wire.encodeIds(list)) {
                network.send(uid, Wire.ACK, payload);
            }
        });
    }

    /** What to do with a received group message. */
    private enum Admission {
        /** A member's message to a group we are in. */
        STORE,
        /** Not acknowledged: the group or the sender's membership may not have reached us yet. */
        DROP,
        /** Acknowledged and forgotten: we left the group (or were removed), the sender has not heard yet. */
        DISCARD
    }

    private static Admission admit(Optional<Group> group, String senderUid) {
        if (group.isEmpty()) {
            return Admission.DROP;
        }
        Group g = group.get();
        if (g.state() == GroupState.LEFT || g.state() == GroupState.REMOVED) {
            return Admission.DISCARD;
        }
        // The sender is shown as the authenticated peer; it must be a member, so nobody posts into a group it
        // is not in, and no member can post as another (the author is never taken from the payload).
        return g.state() == GroupState.JOINED && g.member(senderUid).isPresent() ? Admission.STORE : Admission.DROP;
    }

    private Optional<Group> findGroup(String groupId) {
        GroupService service = groups.get().orElse(null);
        if (service == null) {
            return Optional.empty();
        }
        try {
            return service.group(groupId);
        } catch (GroupException e) {
            LOG.log(System.Logger.Level.WARNING, "group " + groupId + " could not be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * In one transaction: the pending hand-offs become SENT, then acknowledged messages DELIVERED and read ones
     * READ, each only forward; then the steps are announced in that order.
     */
    private void applyReceipts(Map<String, List<String>> acks, Map<String, List<String>> reads)
            throws StoreException {
        List<String> sent = List.copyOf(handedOff);
        handedOff.clear();
        if (sent.isEmpty() && acks.isEmpty() && reads.isEmpty()) {
            return;
        }
        List<Step> steps = store.write(c -> {
            List<Step> out = new ArrayList<>();
            for (String id : sent) {
                Optional<Message> m = MessageRecords.find(c, id);
                if (m.isPresent() && !MessageRecords.advance(c, m.get().conversationId(), id, DeliveryState.SENT)
                        .isEmpty()) {
                    out.add(new Step(m.get().withState(DeliveryState.SENT), m.get().state()));
                }
            }
            for (Map.Entry<Map<String, List<String>>, DeliveryState> kind : List.of(
                    Map.entry(acks, DeliveryState.DELIVERED), Map.entry(reads, DeliveryState.READ))) {
                for (Map.Entry<String, List<String>> e : kind.getKey().entrySet()) {
                    for (String id : e.getValue()) {
                        List<DeliveryState> path = MessageRecords.advance(c, e.getKey(), id, kind.getValue());
                        if (path.isEmpty()) {
                            if (kind.getValue() == DeliveryState.DELIVERED) {
                                groupCopyAcknowledged(c, e.getKey(), id).ifPresent(step -> out.addAll(step));
                            }
                            continue;
                        }
                        Outbox.remove(c, id);
                        Message m = MessageRecords.find(c, id).orElseThrow();
                        for (int i = 1; i < path.size(); i++) {
                            out.add(new Step(m.withState(path.get(i)), path.get(i - 1)));
                        }
                    }
                }
            }
            return out;
        });
        for (Map<String, List<String>> byContact : List.of(acks, reads)) {
            byContact.forEach((uid, ids) -> {
                Stream s = stream(uid);
                ids.forEach(s.awaiting::remove);
                requestDrain(uid);
            });
        }
        for (Step s : steps) {
            announce(l -> l.deliveryStateChanged(s.message(), s.previous()));
        }
    }

    private record Step(Message message, DeliveryState previous) {
    }

    /**
     * A member acknowledged its copy of a group message: the message is DELIVERED once no copy is owed any more,
     * unless a copy expired (it stays FAILED: not everybody has it).
     */
    private static Optional<List<Step>> groupCopyAcknowledged(java.sql.Connection c, String contactUid, String id)
            throws java.sql.SQLException {
        if (!Outbox.removeCopy(c, id, contactUid)) {
            return Optional.empty();
        }
        Optional<Message> m = MessageRecords.find(c, id);
        if (m.isEmpty() || !Ids.isGroupId(m.get().conversationId()) || Outbox.copies(c, id) > 0
                || m.get().state() == DeliveryState.FAILED) {
            return Optional.empty();
        }
        List<DeliveryState> path = MessageRecords.advance(c, m.get().conversationId(), id, DeliveryState.DELIVERED);
        List<Step> steps = new ArrayList<>();
        for (int i = 1; i < path.size(); i++) {
            steps.add(new Step(m.get().withState(path.get(i)), path.get(i - 1)));
        }
        return Optional.of(steps);
    }

    private void expire(long now) throws StoreException {
        List<Message> failed = new ArrayList<>();
        List<DeliveryState> before = new ArrayList<>();
        store.write(c -> {
            for (String[] e : Outbox.takeExpired(c, now)) {
                Optional<Message> m = MessageRecords.find(c, e[0]);
                if (m.isEmpty()) {
                    continue;
                }
                List<DeliveryState> path = MessageRecords.advance(c, m.get().conversationId(), e[0],
                        DeliveryState.FAILED);
                if (!path.isEmpty()) {
                    failed.add(MessageRecords.find(c, e[0]).orElseThrow());
                    before.add(path.get(0));
                }
            }
            return null;
        });
        for (int i = 0; i < failed.size(); i++) {
            Message m = failed.get(i);
            DeliveryState previous = before.get(i);
            LOG.log(System.Logger.Level.WARNING, "message " + m.id() + " to " + m.conversationId()
                    + " failed: not delivered before the outbox expiry");
            announce(l -> l.deliveryStateChanged(m, previous));
        }
    }

    /** Shows received messages whose predecessor has not come within the hold time. */
    private void releaseHeld(long storedBefore) throws StoreException {
        List<Message> shown = store.write(c -> {
            List<Message> out = new ArrayList<>();
            for (String id : MessageRecords.heldSince(c, storedBefore)) {
                out.addAll(MessageRecords.release(c, id, true));
            }
            return out;
        });
        if (!shown.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "showed " + shown.size() + " messages whose predecessor never came");
        }
        for (Message m : shown) {
            announce(l -> l.messageReceived(m));
        }
    }

    private void sendReceipts(String contactUid) throws StoreException {
        if (receiptsInFlight.contains(contactUid) || network.state(contactUid) != ConnectionState.ONLINE) {
            return;
        }
        List<String> pending = store.read(c -> Outbox.receipts(c, contactUid, Wire.MAX_IDS));
        if (pending.isEmpty()) {
            return;
        }
        CompletableFuture<Void> sent = network.send(contactUid, Wire.READ, Wire.encodeIds(pending).get(0))
                .toCompletableFuture();
        if (sent.isCompletedExceptionally()) {
            return;
        }
        receiptsInFlight.add(contactUid);
        sent.whenComplete((ok, failure) -> onWorker(() -> {
            receiptsInFlight.remove(contactUid);
            if (failure == null) {
                store.write(c -> {
                    Outbox.removeReceipts(c, pending);
                    return null;
                });
                sendReceipts(contactUid);
            }
        }));
    }

    // ---- helpers ----

    /** A failed task is logged and forgotten: whatever it did not finish is still in the store and retried. */
    private void onWorker(StoreWorker.Task task) {
        worker.execute(task);
    }

    private void announce(Consumer<MessageListener> event) {
        for (MessageListener l : messageListeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a message listener failed", e);
            }
        }
    }

    private void announceTyping(String contactUid) {
        for (TypingListener l : typingListeners) {
            try {
                l.typing(contactUid);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a typing listener failed", e);
            }
        }
    }

    private Contact requireContact(String contactUid) throws MessagingException {
        if (!Ids.isUid(contactUid)) {
            throw new MessagingException("a contact uid is 32 lowercase hex characters");
        }
        Optional<Contact> contact = contacts.byUid(contactUid);
        if (contact.isEmpty()) {
            // The directory answers "none" when the store failed too (a full disk): say which it was, and look
            // again once the store answers, since a store that failed a moment ago may have recovered.
            try {
                store.read(c -> {
                    try (java.sql.Statement probe = c.createStatement()) {
                        return probe.execute("SELECT 1");
                    }
                });
            } catch (StoreException e) {
                throw new MessagingException("messages could not be saved: " + e.getMessage(), e);
            }
            contact = contacts.byUid(contactUid);
        }
        return contact.orElseThrow(() -> new MessagingException("unknown contact " + contactUid + ": add the contact first"));
    }

    private static void requireConversation(String conversationId) throws MessagingException {
        if (!Ids.isConversationId(conversationId)) {
            throw new MessagingException("a conversation id is a contact uid (32 lowercase hex characters) or a "
                    + "group id (g and 31 lowercase hex characters)");
        }
    }

    private static void checkLimit(int limit) throws MessagingException {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new MessagingException("a page holds 1 to " + MAX_PAGE + " messages, not " + limit);
        }
    }

    private static byte[] checkText(String text) throws MessagingException {
        if (text == null || text.isEmpty()) {
            throw new MessagingException("a message cannot be empty");
        }
        byte[] utf8 = utf8(text);
        if (utf8.length > MAX_TEXT_BYTES) {
            throw new MessagingException("the message is too long: " + utf8.length + " bytes of UTF-8, at most "
                    + MAX_TEXT_BYTES + " (64 KiB)");
        }
        return utf8;
    }

    private static byte[] utf8(String text) throws MessagingException {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new MessagingException("the message is not valid text (it has a broken character)");
        }
    }

    private <T> T read(Store.Work<T> work) throws MessagingException {
        try {
            return store.read(work);
        } catch (StoreException e) {
            throw new MessagingException("messages could not be read: " + e.getMessage(), e);
        }
    }

    private <T> T write(Store.Work<T> work) throws MessagingException {
        try {
            return store.write(work);
        } catch (StoreException e) {
            throw new MessagingException("messages could not be saved: " + e.getMessage(), e);
        }
    }
}
