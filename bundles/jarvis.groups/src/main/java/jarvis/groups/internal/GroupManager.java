package jarvis.groups.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jarvis.api.ConnectionListener;
import jarvis.api.ConnectionState;
import jarvis.api.Contact;
import jarvis.api.Ids;
import jarvis.api.contacts.ContactDirectory;
import jarvis.api.contacts.ContactException;
import jarvis.api.contacts.ContactInvite;
import jarvis.api.contacts.ContactService;
import jarvis.api.groups.Group;
import jarvis.api.groups.GroupException;
import jarvis.api.groups.GroupListener;
import jarvis.api.groups.GroupService;
import jarvis.api.groups.GroupState;
import jarvis.api.session.PeerNetwork;
import jarvis.api.session.PeerPayloadHandler;
import jarvis.api.store.Store;
import jarvis.api.store.StoreException;
import jarvis.api.store.StoreWorker;
import jarvis.groups.internal.GroupRecords.Pending;
import jarvis.groups.internal.GroupRecords.Stored;
import jarvis.groups.internal.GroupWire.Kind;
import jarvis.groups.internal.GroupWire.Member;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Group membership kept in step between members (docs/protocol.md, "Group protocol"). The admin owns the group's
 * state (name, members, version); every change it makes is owed to every member as a full state and resent until
 * that member returns a receipt. Members answer invitations and leave with responses owed to the admin the same
 * way. All group changes, local or from the network, are serialised on this object's monitor; network payloads
 * are handled on a thread of their own ({@code jarvis-groups}).
 */
@Component(name = GroupManager.PID, immediate = true,
        service = {GroupService.class, PeerPayloadHandler.class, ConnectionListener.class},
        property = {PeerPayloadHandler.CONTENT_TYPES + ":Integer=20", PeerPayloadHandler.CONTENT_TYPES + ":Integer=21",
                PeerPayloadHandler.CONTENT_TYPES + ":Integer=22"})
public final class GroupManager implements GroupService, PeerPayloadHandler, ConnectionListener {

    static final String PID = "jarvis.groups";
    private static final System.Logger LOG = System.getLogger(GroupManager.class.getName());
    /** An owed payload handed to a session and not confirmed is sent again after this long. */
    static final long RESEND_MILLIS = 15_000;
    static final long TICK_MILLIS = 2_000;
    /** Received payloads waiting for the groups thread; beyond this they are dropped (and resent by the peer). */
    static final int MAX_QUEUED = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final PeerNetwork network;
    private final ContactService contactService;
    private final ContactDirectory contacts;
    private final Supplier<Optional<ContactInvite>> self;
    private final Clock clock;
    private final long resendMillis;
    private final StoreWorker worker = new StoreWorker("jarvis-groups");
    private final AtomicInteger queued = new AtomicInteger();
    private final List<GroupListener> listeners = new CopyOnWriteArrayList<>();
    /** Only touched on the groups thread: when each owed payload last went out (group|contact|kind|version). */
    private final Map<String, Long> lastSent = new HashMap<>();

    @Activate
    public GroupManager(@Reference(name = "store") Store store, @Reference(name = "network") PeerNetwork network,
            @Reference(name = "contactService") ContactService contactService,
            @Reference(name = "contacts") ContactDirectory contacts) throws StoreException {
        this(store, network, contactService, contacts, () -> ownInvite(contactService), Clock.systemUTC(),
                RESEND_MILLIS);
    }

    GroupManager(Store store, PeerNetwork network, ContactService contactService, ContactDirectory contacts,
            Supplier<Optional<ContactInvite>> self, Clock clock, long resendMillis) throws StoreException {
        this.store = store;
        this.network = network;
        this.contactService = contactService;
        this.contacts = contacts;
        this.self = self;
        this.clock = clock;
        this.resendMillis = resendMillis;
        store.migrate(GroupRecords.MODULE, GroupRecords.SCRIPTS);
        worker.repeat(this::tick, 0, TICK_MILLIS);
    }

    /** Who we are, as members see us: uid, name, key and the endpoints we advertise. */
    private static Optional<ContactInvite> ownInvite(ContactService contacts) {
        try {
            return Optional.of(contacts.parseLinkCode(contacts.ownLinkCode()));
        } catch (ContactException e) {
            return Optional.empty();
        }
    }

    @Deactivate
    void deactivate() {
        worker.stop();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(GroupListener listener) {
        listeners.add(listener);
    }

    void removeListener(GroupListener listener) {
        listeners.remove(listener);
    }

    // ---- GroupService: our own changes ----

    @Override
    public synchronized Group create(String name, Collection<String> memberUids) throws GroupException {
        checkName(name);
        Member me = me(true, true);
        List<Member> members = new ArrayList<>();
        members.add(me);
        members.addAll(newMembers(me.uid(), Set.of(), memberUids));
        Stored g = new Stored(newGroupId(), name.strip(), me.uid(), 1, GroupState.JOINED, members, clock.millis());
        return change(null, g, others(g, me.uid()), null);
    }

    @Override
    public List<Group> groups() throws GroupException {
        return read(c -> GroupRecords.all(c).stream().map(Stored::view).toList());
    }

    @Override
    public Optional<Group> group(String groupId) throws GroupException {
        if (!Ids.isGroupId(groupId)) {
            return Optional.empty();
        }
        return read(c -> GroupRecords.find(c, groupId).map(Stored::view));
    }

    @Override
    public synchronized Group invite(String groupId, Collection<String> memberUids) throws GroupException {
        Stored g = requireAdmin(groupId);
        String me = selfUid();
        List<Member> members = new ArrayList<>(g.members());
        Set<String> present = new LinkedHashSet<>();
        g.members().forEach(m -> present.add(m.uid()));
        List<Member> added = newMembers(me, present, memberUids);
        if (added.isEmpty()) {
            throw new GroupException("name at least one contact to invite");
        }
        members.addAll(added);
        Stored next = next(g, g.name(), members, g.state());
        return change(g, next, others(next, me), null);
    }

    @Override
    public synchronized Group removeMember(String groupId, String memberUid) throws GroupException {
        Stored g = requireAdmin(groupId);
        String me = selfUid();
        if (me.equals(memberUid)) {
            throw new GroupException("you cannot remove yourself: leave the group instead");
        }
        if (g.member(memberUid) == null) {
            throw new GroupException(memberUid + " is not a member of " + g.name());
        }
        List<Member> members = g.members().stream().filter(m -> !m.uid().equals(memberUid)).toList();
        Stored next = next(g, g.name(), members, g.state());
        // The removed member is told too: the state without it is how it learns.
        List<String> to = new ArrayList<>(others(next, me));
        to.add(memberUid);
        return change(g, next, to, null);
    }

    @Override
    public synchronized Group rename(String groupId, String name) throws GroupException {
        checkName(name);
        Stored g = requireAdmin(groupId);
        Stored next = next(g, name.strip(), g.members(), g.state());
        return change(g, next, others(next, selfUid()), null);
    }

    @Override
    public synchronized Group accept(String groupId) throws GroupException {
        Stored g = require(groupId);
        if (g.state() != GroupState.INVITED) {
            throw new GroupException("there is no invitation to " + g.name() + " to accept (" + word(g.state()) + ")");
        }
        String me = selfUid();
        List<Member> members = g.members().stream().map(m -> m.uid().equals(me) ? m.withJoined(true) : m).toList();
        if (g.isAdmin(me)) {
            // An admin (handed the role while still invited) records its own acceptance in a new version.
            Stored next = next(g, g.name(), members, GroupState.JOINED);
            return change(g, next, others(next, me), null);
        }
        Stored next = new Stored(g.id(), g.name(), g.creatorUid(), g.version(), GroupState.JOINED, members,
                clock.millis());
        return change(g, next, List.of(), Kind.ACCEPT);
    }

    @Override
    public synchronized Group decline(String groupId) throws GroupException {
        Stored g = require(groupId);
        if (g.state() != GroupState.INVITED) {
            throw new GroupException("there is no invitation to " + g.name() + " to decline (" + word(g.state()) + ")");
        }
        return depart(g, Kind.DECLINE);
    }

    @Override
    public synchronized Group leave(String groupId) throws GroupException {
        Stored g = require(groupId);
        if (g.state() != GroupState.JOINED) {
            throw new GroupException("you are not a member of " + g.name() + " (" + word(g.state()) + ")");
        }
        return depart(g, Kind.LEAVE);
    }

    @Override
    public synchronized boolean delete(String groupId) throws GroupException {
        Optional<Stored> found = read(c -> Ids.isGroupId(groupId) ? GroupRecords.find(c, groupId) : Optional.empty());
        if (found.isEmpty()) {
            return false;
        }
        Stored g = found.get();
        if (g.state() == GroupState.INVITED) {
            depart(g, Kind.DECLINE);
        } else if (g.state() == GroupState.JOINED) {
            depart(g, Kind.LEAVE);
        }
        write(c -> GroupRecords.delete(c, groupId));
        Group view = g.view();
        announce(l -> l.groupRemoved(view));
        return true;
    }

    /**
     * Declining or leaving. A member tells the admins; the last admin instead hands the role to the earliest-added
     * joined member (or, failing that, the earliest invited one) and publishes the state without itself.
     */
    private Group depart(Stored g, Kind kind) throws GroupException {
        String me = selfUid();
        List<Member> rest = g.members().stream().filter(m -> !m.uid().equals(me)).toList();
        if (g.isAdmin(me) && !rest.isEmpty() && rest.stream().noneMatch(Member::admin)) {
            Member heir = rest.stream().filter(Member::joined).findFirst().orElse(rest.get(0));
            List<Member> members = rest.stream().map(m -> m == heir ? m.withAdmin(true) : m).toList();
            Stored handover = next(g, g.name(), members, GroupState.LEFT);
            return change(g, handover, others(handover, me), null);
        }
        Stored next = new Stored(g.id(), g.name(), g.creatorUid(), g.version(), GroupState.LEFT, g.members(),
                clock.millis());
        return change(g, next, List.of(), kind);
    }

    /**
     * Stores a change and what it makes owed, in one transaction; then announces it and starts sending. With
     * {@code answer} the admins are owed that response; otherwise {@code stateTo} are owed the new state.
     */
    private Group change(Stored previous, Stored next, List<String> stateTo, Kind answer) throws GroupException {
        String me = selfUid();
        List<String> to = answer == null ? stateTo
                : next.members().stream().filter(m -> m.admin() && !m.uid().equals(me)).map(Member::uid).toList();
        write(c -> {
            GroupRecords.save(c, next);
            byte[] payload = answer == null ? GroupWire.encodeState(next.wire())
                    : GroupWire.encodeResponse(new GroupWire.Response(next.id(), answer));
            for (String uid : to) {
                GroupRecords.owe(c, new Pending(next.id(), uid, answer == null ? Kind.STATE : answer,
                        answer == null ? next.version() : 0, payload));
            }
            return null;
        });
        Group before = previous == null ? null : previous.view();
        Group after = next.view();
        announce(l -> l.groupChanged(before, after));
        if (next.state() == GroupState.JOINED) {
            introduce(next);
        }
        for (String uid : to) {
            onWorker(() -> flush(uid));
        }
        return after;
    }

    // ---- the network ----

    @Override
    public void received(String contactUid, int contentType, byte[] payload) {
        if (payload.length > GroupWire.MAX_PAYLOAD_BYTES) {
            LOG.log(System.Logger.Level.WARNING, "dropped an oversized group payload (" + payload.length
                    + " bytes) from " + contactUid);
            return;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "groups are behind: dropped a payload from " + contactUid);
            return;
        }
        onWorker(() -> {
            queued.decrementAndGet();
            handle(contactUid, contentType, payload);
        });
    }

    @Override
    public void connectionChanged(String contactUid, ConnectionState previous, ConnectionState current) {
        if (current == ConnectionState.ONLINE) {
            onWorker(() -> {
                lastSent.keySet().removeIf(k -> k.contains("|" + contactUid + "|"));
                flush(contactUid);
            });
        }
    }

    private void handle(String from, int type, byte[] payload) throws StoreException {
        if (contacts.byUid(from).isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "dropped a group payload from " + from + ", who is not a contact");
            return;
        }
        try {
            switch (type) {
                case GroupWire.STATE -> onState(from, GroupWire.decodeState(payload));
                case GroupWire.RESPONSE -> onResponse(from, GroupWire.decodeResponse(payload));
                case GroupWire.RECEIPT -> onReceipt(from, GroupWire.decodeReceipt(payload));
                default -> LOG.log(System.Logger.Level.DEBUG, "ignored content type " + type);
            }
        } catch (GroupWire.Malformed e) {
            LOG.log(System.Logger.Level.WARNING, "dropped a malformed group payload of type " + type + " from " + from
                    + ": " + e.getMessage());
        }
    }

    private void onState(String from, GroupWire.State s) throws StoreException {
        Optional<String> me = self.get().map(ContactInvite::uid);
        if (me.isEmpty()) {
            return; // Locked: nothing is acknowledged, the admin sends it again.
        }
        Stored previous;
        Stored next;
        synchronized (this) {
            previous = store.read(c -> GroupRecords.find(c, s.groupId())).orElse(null);
            Member mine = s.member(me.get());
            GroupState state;
            if (previous == null) {
                // An invitation: its sender must be an admin of the group it describes. (For a known group it is
                // our own record that counts: an admin handing over is no longer in the state it sends.)
                Member sender = s.member(from);
                if (sender == null || !sender.admin()) {
                    LOG.log(System.Logger.Level.WARNING, "ignored a state of group " + s.groupId() + " from " + from
                            + ", who is not an admin in it");
                    return;
                }
                if (mine == null) {
                    receipt(from, s.groupId(), Kind.STATE, s.version());
                    return;
                }
                state = mine.joined() ? GroupState.JOINED : GroupState.INVITED;
            } else {
                if (!previous.isAdmin(from)) {
                    // Maybe the handover that made it admin has not reached us yet: no receipt, it sends again.
                    LOG.log(System.Logger.Level.INFO, "held back a state of group " + s.groupId() + " from " + from
                            + ", who is not an admin here (yet)");
                    return;
                }
                if (s.version() <= previous.version()) {
                    receipt(from, s.groupId(), Kind.STATE, s.version());
                    return;
                }
                state = transition(previous.state(), mine);
            }
            boolean joined = state == GroupState.JOINED;
            List<Member> members = s.members().stream()
                    .map(m -> m.uid().equals(me.get()) ? m.withJoined(joined) : m).toList();
            next = new Stored(s.groupId(), s.name(), s.creatorUid(), s.version(), state, members, clock.millis());
            store.write(c -> {
                GroupRecords.save(c, next);
                return null;
            });
        }
        // Durable first, then the receipt: a crash in between means the admin sends the state again.
        receipt(from, s.groupId(), Kind.STATE, s.version());
        Group before = previous == null ? null : previous.view();
        Group after = next.view();
        announce(l -> l.groupChanged(before, after));
        if (next.state() == GroupState.JOINED) {
            introduce(next);
        }
    }

    /** Where we stand after a newer state from the admin that lists us as {@code mine} (null: not at all). */
    private static GroupState transition(GroupState current, Member mine) {
        if (mine == null) {
            return current == GroupState.LEFT ? GroupState.LEFT : GroupState.REMOVED;
        }
        return switch (current) {
            case INVITED -> mine.joined() ? GroupState.JOINED : GroupState.INVITED;
            case JOINED -> GroupState.JOINED;
            // A state still listing us as joined predates our leaving; one listing us as invited invites us again.
            case LEFT, REMOVED -> mine.joined() ? current : GroupState.INVITED;
        };
    }

    private void onResponse(String from, GroupWire.Response r) throws StoreException {
        Stored previous;
        Stored next;
        synchronized (this) {
            String me = self.get().map(ContactInvite::uid).orElse(null);
            if (me == null) {
                return;
            }
            previous = store.read(c -> GroupRecords.find(c, r.groupId())).orElse(null);
            Member member = previous == null ? null : previous.member(from);
            if (previous == null || previous.state() != GroupState.JOINED || !previous.isAdmin(me) || member == null
                    || (r.answer() == Kind.ACCEPT && member.joined())) {
                receipt(from, r.groupId(), r.answer(), 0);
                return;
            }
            List<Member> members = r.answer() == Kind.ACCEPT
                    ? previous.members().stream().map(m -> m == member ? m.withJoined(true) : m).toList()
                    : previous.members().stream().filter(m -> m != member).toList();
            try {
                next = next(previous, previous.name(), members, previous.state());
            } catch (GroupException e) {
                LOG.log(System.Logger.Level.WARNING, "ignored a response to group " + r.groupId() + ": " + e.getMessage());
                receipt(from, r.groupId(), r.answer(), 0);
                return;
            }
            List<String> to = others(next, me);
            store.write(c -> {
                GroupRecords.save(c, next);
                byte[] payload = GroupWire.encodeState(next.wire());
                for (String uid : to) {
                    GroupRecords.owe(c, new Pending(next.id(), uid, Kind.STATE, next.version(), payload));
                }
                return null;
            });
            for (String uid : to) {
                flush(uid);
            }
        }
        receipt(from, r.groupId(), r.answer(), 0);
        Group before = previous.view();
        Group after = next.view();
        announce(l -> l.groupChanged(before, after));
        introduce(next);
    }

    private void onReceipt(String from, GroupWire.Receipt r) throws StoreException {
        store.write(c -> GroupRecords.settle(c, r.groupId(), from, r.kind(), r.version()));
    }

    private void receipt(String to, String groupId, Kind kind, long version) {
        network.send(to, GroupWire.RECEIPT, GroupWire.encodeReceipt(new GroupWire.Receipt(groupId, kind, version)));
    }

    private void tick() throws StoreException {
        for (String uid : store.read(GroupRecords::contactsOwed)) {
            flush(uid);
        }
    }

    /** Sends what is owed to an online contact, oldest first; each again only after {@link #resendMillis}. */
    private void flush(String contactUid) throws StoreException {
        if (network.state(contactUid) != ConnectionState.ONLINE) {
            return;
        }
        long now = clock.millis();
        for (Pending p : store.read(c -> GroupRecords.owedTo(c, contactUid))) {
            String key = p.groupId() + "|" + contactUid + "|" + p.kind() + "|" + p.version();
            Long at = lastSent.get(key);
            if (at != null && now - at < resendMillis) {
                continue;
            }
            CompletableFuture<Void> sent = network.send(contactUid,
                    p.kind() == Kind.STATE ? GroupWire.STATE : GroupWire.RESPONSE, p.payload()).toCompletableFuture();
            if (sent.isCompletedExceptionally()) {
                return;
            }
            lastSent.put(key, now);
        }
        if (lastSent.size() > 10_000) {
            lastSent.clear(); // Bounded: forgetting only means an early resend.
        }
    }

    /**
     * Adds the joined members we do not know yet as contacts (unverified), so that sessions, and with them group
     * messages, can reach them. The key comes from the admin; a contact we already have keeps its own key.
     */
    private void introduce(Stored g) {
        String me = self.get().map(ContactInvite::uid).orElse(null);
        for (Member m : g.members()) {
            if (!m.joined() || m.uid().equals(me) || contacts.byUid(m.uid()).isPresent()) {
                continue;
            }
            try {
                Contact added = contactService.add(m.uid(), m.username(), m.publicKey(), m.endpoints());
                LOG.log(System.Logger.Level.INFO, "added " + added.username() + " (" + added.uid()
                        + ") as a contact: a member of group " + g.name() + " (" + g.id() + ")");
            } catch (ContactException e) {
                LOG.log(System.Logger.Level.WARNING, "member " + m.uid() + " of group " + g.id()
                        + " could not be added as a contact: " + e.getMessage());
            }
        }
    }

    // ---- helpers ----

    private Member me(boolean admin, boolean joined) throws GroupException {
        ContactInvite i = self.get().orElseThrow(() -> new GroupException("the identity is locked"));
        return new Member(i.uid(), i.username(), i.publicKey(), i.endpoints(), admin, joined);
    }

    private String selfUid() throws GroupException {
        return self.get().map(ContactInvite::uid).orElseThrow(() -> new GroupException("the identity is locked"));
    }

    private List<Member> newMembers(String me, Set<String> present, Collection<String> uids) throws GroupException {
        if (uids == null) {
            return List.of();
        }
        Set<String> wanted = new LinkedHashSet<>(uids);
        if (present.size() + wanted.size() + (present.isEmpty() ? 1 : 0) > MAX_MEMBERS) {
            throw new GroupException("a group has at most " + MAX_MEMBERS + " members");
        }
        List<Member> out = new ArrayList<>();
        for (String uid : wanted) {
            if (me.equals(uid)) {
                throw new GroupException("you are a member of your own group already");
            }
            if (present.contains(uid)) {
                throw new GroupException(uid + " is a member already");
            }
            if (!Ids.isUid(uid)) {
                throw new GroupException("a member is named by a contact uid (32 lowercase hex characters): '"
                        + uid + "'");
            }
            Contact c = contacts.byUid(uid).orElseThrow(() -> new GroupException(
                    "unknown contact " + uid + ": only contacts can be invited"));
            out.add(new Member(c.uid(), c.username(), c.publicKey(), c.endpoints(), false, false));
        }
        return out;
    }

    private static void checkName(String name) throws GroupException {
        String problem = GroupWire.nameProblem(name == null ? null : name.strip(), MAX_NAME);
        if (problem != null) {
            throw new GroupException("the group name " + problem);
        }
    }

    private static String newGroupId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "g" + HexFormat.of().formatHex(b).substring(1);
    }

    private Stored next(Stored g, String name, List<Member> members, GroupState state) throws GroupException {
        if (g.version() >= GroupWire.MAX_GROUP_VERSION) {
            throw new GroupException("group " + g.name() + " cannot be changed any more");
        }
        return new Stored(g.id(), name, g.creatorUid(), g.version() + 1, state, members, clock.millis());
    }

    private static List<String> others(Stored g, String me) {
        return g.members().stream().map(Member::uid).filter(uid -> !uid.equals(me)).toList();
    }

    private Stored require(String groupId) throws GroupException {
        if (!Ids.isGroupId(groupId)) {
            throw new GroupException("a group id is g followed by 31 lowercase hex characters");
        }
        return read(c -> GroupRecords.find(c, groupId))
                .orElseThrow(() -> new GroupException("unknown group " + groupId));
    }

    private Stored requireAdmin(String groupId) throws GroupException {
        Stored g = require(groupId);
        if (g.state() != GroupState.JOINED) {
            throw new GroupException("you are not a member of " + g.name() + " (" + word(g.state()) + ")");
        }
        if (!g.isAdmin(selfUid())) {
            throw new GroupException("only an admin of " + g.name() + " can change it");
        }
        return g;
    }

    private static String word(GroupState s) {
        return switch (s) {
            case INVITED -> "invited";
            case JOINED -> "joined";
            case LEFT -> "you left it";
            case REMOVED -> "you were removed";
        };
    }

    private void onWorker(StoreWorker.Task task) {
        worker.execute(task);
    }

    private void announce(Consumer<GroupListener> event) {
        for (GroupListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a group listener failed", e);
            }
        }
    }

    private <T> T read(Store.Work<T> work) throws GroupException {
        try {
            return store.read(work);
        } catch (StoreException e) {
            throw new GroupException("groups could not be read: " + e.getMessage(), e);
        }
    }

    private <T> T write(Store.Work<T> work) throws GroupException {
        try {
            return store.write(work);
        } catch (StoreException e) {
            throw new GroupException("groups could not be saved: " + e.getMessage(), e);
        }
    }
}
