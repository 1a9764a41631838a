package jarvis.contacts.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import jarvis.api.Contact;
import jarvis.api.ContactListener;
import jarvis.api.Endpoint;
import jarvis.api.Ids;
import jarvis.api.contacts.ContactDirectory;
import jarvis.api.IdentitySummary;
import jarvis.api.contacts.ContactException;
import jarvis.api.contacts.ContactInvite;
import jarvis.api.identity.IdentityService;
import jarvis.api.identity.UnlockedIdentity;
import jarvis.api.contacts.ContactRequest;
import jarvis.api.contacts.ContactService;
import jarvis.api.service.LazyService;
import jarvis.api.session.SecurityEvent;
import jarvis.api.session.SecurityListener;
import jarvis.api.store.Store;
import jarvis.api.store.StoreException;
import jarvis.crypto.Fingerprint;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The contact list in the account's store. Runs while the store is open (the identity unlocked).
 * It is also the session core's {@link ContactDirectory}, and it hears the session core's key
 * mismatch events to flag a contact whose key changed.
 */
@Component(service = {ContactService.class, ContactDirectory.class, SecurityListener.class},
        configurationPid = "jarvis.contacts")
@Designate(ocd = ContactBook.Config.class)
public final class ContactBook implements ContactService, ContactDirectory, SecurityListener {

    static final List<String> SCHEMA = List.of("""
            CREATE TABLE contact (
              uid CHAR(32) PRIMARY KEY,
              username VARCHAR(64) NOT NULL,
              public_key CHAR(64) NOT NULL UNIQUE,
              fingerprint CHAR(64) NOT NULL,
              endpoints VARCHAR(5000) NOT NULL,
              verified BOOLEAN NOT NULL,
              key_changed BOOLEAN NOT NULL,
              added_at TIMESTAMP WITH TIME ZONE NOT NULL);
            CREATE TABLE contact_request (
              public_key CHAR(64) PRIMARY KEY,
              uid CHAR(32) NOT NULL,
              username VARCHAR(64) NOT NULL,
              endpoints VARCHAR(5000) NOT NULL,
              received_at TIMESTAMP WITH TIME ZONE NOT NULL);
            """,
            // Version 2: the user's per-contact permission to use the Jarvis 1.x protocol (off for everyone).
            """
            ALTER TABLE contact ADD COLUMN legacy BOOLEAN DEFAULT FALSE NOT NULL;
            """);

    static final int MAX_USERNAME = 64;
    static final int MAX_ENDPOINTS = 16;
    /**
     * What a name may not hold: C0 and C1 controls ({@code \p{Cntrl}} alone is ASCII only, so U+009B, a one-character CSI,
     * would pass to a terminal), line and paragraph separators, and the bidirectional overrides and isolates
     * that let a name display as another one. Zero-width joiners stay: emoji sequences need them.
     */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}\\u202A-\\u202E\\u2066-\\u2069]");
    private static final System.Logger LOG = System.getLogger(ContactBook.class.getName());

    /** Settings of the contact list. */
    @ObjectClassDefinition(name = "Jarvis contacts", description = "The contact list and link codes")
    public @interface Config {
        @AttributeDefinition(description = "Endpoints put into our link code and contact card, e.g. "
                + "tcp://203.0.113.7:5000 (where peers can reach us; empty: peers wait for us to dial them)")
        String[] advertised_endpoints() default {};
    }

    private final Store store;
    private final List<ContactListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<ComponentServiceObjects<ContactListener>, LazyService<ContactListener>> bound =
            new ConcurrentHashMap<>();
    private volatile List<Endpoint> advertised;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile IdentityService identity;

    /** For tests and tools: no endpoints advertised. */
    public ContactBook(Store store) throws StoreException {
        this.store = store;
        this.advertised = List.of();
        store.migrate("contacts", SCHEMA);
    }

    @Activate
    public ContactBook(@Reference Store store, Config config) throws StoreException {
        this.store = store;
        this.advertised = advertised(config);
        store.migrate("contacts", SCHEMA);
    }

    /**
     * A new configuration changes only what our link code says; the contact book (and the session
     * core that holds it) keeps running.
     */
    @Modified
    void modified(Config config) {
        this.advertised = advertised(config);
    }

    /** The endpoints our link code and card name now. */
    List<Endpoint> advertisedEndpoints() {
        return advertised;
    }

    private static List<Endpoint> advertised(Config config) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String e : config.advertised_endpoints()) {
            try {
                endpoints.add(Endpoint.parse(e));
            } catch (IllegalArgumentException bad) {
                LOG.log(System.Logger.Level.WARNING, "ignored advertised endpoint: " + bad.getMessage());
            }
        }
        return List.copyOf(endpoints);
    }

    /** DS binds listeners as service objects, fetched when first announced to (see {@link LazyService}). */
    @Reference(name = "listener", service = ContactListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "unbindListener")
    void bindListener(ComponentServiceObjects<ContactListener> listener) {
        bound.put(listener, new LazyService<>(listener));
    }

    void unbindListener(ComponentServiceObjects<ContactListener> listener) {
        LazyService<ContactListener> lazy = bound.remove(listener);
        if (lazy != null) {
            lazy.release();
        }
    }

    /** A listener wired by hand (tests, and callers outside OSGi). */
    void addListener(ContactListener listener) {
        listeners.add(listener);
    }

    void removeListener(ContactListener listener) {
        listeners.remove(listener);
    }

    // --- ContactService ---

    @Override
    public Contact add(String uid, String username, String publicKeyHex, List<Endpoint> endpoints)
            throws ContactException {
        return add(uid, username, publicKeyHex, endpoints, false);
    }

    /** Adds a contact; {@code legacy} for a peer that came with a Jarvis 1.x code or card (it speaks only 1.x). */
    private Contact add(String uid, String username, String publicKeyHex, List<Endpoint> endpoints, boolean legacy)
            throws ContactException {
        if (!Ids.isUid(uid)) {
            throw new ContactException("a uid is 32 lowercase hex characters");
        }
        String name = checkUsername(username);
        if (!Ids.isPublicKey(publicKeyHex)) {
            throw new ContactException("a public key is 64 lowercase hex characters");
        }
        checkEndpoints(endpoints);
        Contact contact = new Contact(uid, name, fingerprintOf(publicKeyHex), publicKeyHex, endpoints, false, false,
                legacy);
        write(c -> {
            if (exists(c, "SELECT 1 FROM contact WHERE uid = ?", uid)) {
                throw new DuplicateContact("uid " + uid + " is already a contact");
            }
            if (exists(c, "SELECT 1 FROM contact WHERE public_key = ?", publicKeyHex)) {
                throw new DuplicateContact("this key is already a contact");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO contact (uid, username, public_key, fingerprint, endpoints, verified, key_changed, added_at, "
                    + "legacy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, uid);
                p.setString(2, name);
                p.setString(3, publicKeyHex);
                p.setString(4, contact.fingerprint());
                p.setString(5, joinEndpoints(endpoints));
                p.setBoolean(6, false);
                p.setBoolean(7, false);
                p.setObject(8, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
                p.setBoolean(9, legacy);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM contact_request WHERE public_key = ?")) {
                p.setString(1, publicKeyHex);
                p.executeUpdate();
            }
            return null;
        });
        announce(l -> l.contactAdded(contact));
        return contact;
    }

    @Override
    public List<Contact> list() throws ContactException {
        return read(c -> query(c, "SELECT * FROM contact ORDER BY LOWER(username), uid"));
    }

    @Override
    public Optional<Contact> find(String uidOrUsername) throws ContactException {
        if (uidOrUsername == null) {
            return Optional.empty();
        }
        return read(c -> {
            List<Contact> byUid = query(c, "SELECT * FROM contact WHERE uid = ?", uidOrUsername);
            if (!byUid.isEmpty()) {
                return Optional.of(byUid.get(0));
            }
            List<Contact> byName = query(c, "SELECT * FROM contact WHERE LOWER(username) = LOWER(?)", uidOrUsername);
            return byName.size() == 1 ? Optional.of(byName.get(0)) : Optional.<Contact>empty();
        });
    }

    @Override
    public Contact rename(String uid, String username) throws ContactException {
        String name = checkUsername(username);
        return update(uid, "UPDATE contact SET username = ? WHERE uid = ?", name);
    }

    @Override
    public Contact setEndpoints(String uid, List<Endpoint> endpoints) throws ContactException {
        checkEndpoints(endpoints);
        return update(uid, "UPDATE contact SET endpoints = ? WHERE uid = ?", joinEndpoints(endpoints));
    }

    @Override
    public Contact verify(String uid) throws ContactException {
        return update(uid, "UPDATE contact SET verified = TRUE, key_changed = FALSE WHERE uid = ?");
    }

    @Override
    public Contact setLegacy(String uid, boolean legacy) throws ContactException {
        return update(uid, "UPDATE contact SET legacy = " + (legacy ? "TRUE" : "FALSE") + " WHERE uid = ?");
    }

    @Override
    public void remove(String uid) throws ContactException {
        Contact removed = require(uid);
        write(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM contact WHERE uid = ?")) {
                p.setString(1, uid);
                return p.executeUpdate();
            }
        });
        announce(l -> l.contactRemoved(removed));
    }

    @Override
    public List<ContactRequest> requests() throws ContactException {
        return read(c -> {
            List<ContactRequest> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM contact_request ORDER BY received_at DESC");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new ContactRequest(r.getString("uid"), r.getString("username"), r.getString("public_key"),
                            splitEndpoints(r.getString("endpoints")),
                            r.getObject("received_at", java.time.OffsetDateTime.class).toInstant()));
                }
            }
            return out;
        });
    }

    @Override
    public Contact accept(String publicKeyHex) throws ContactException {
        ContactRequest request = requests().stream().filter(r -> r.publicKey().equals(publicKeyHex)).findFirst()
                .orElseThrow(() -> new ContactException("no contact request from that key"));
        return add(request.uid(), request.username(), request.publicKey(), request.endpoints());
    }

    @Override
    public void reject(String publicKeyHex) throws ContactException {
        int removed = write(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM contact_request WHERE public_key = ?")) {
                p.setString(1, publicKeyHex);
                return p.executeUpdate();
            }
        });
        if (removed == 0) {
            throw new ContactException("no contact request from that key");
        }
    }

    @Override
    public ContactInvite parseLinkCode(String code) throws ContactException {
        return LinkCode.parse(code);
    }

    @Override
    public Contact addFromLinkCode(String code) throws ContactException {
        ContactInvite invite = LinkCode.parse(code);
        return add(invite.uid(), invite.username(), invite.publicKey(), invite.endpoints(), invite.legacy());
    }

    @Override
    public Contact importCard(Path file) throws ContactException {
        ContactInvite invite = ContactCard.read(file);
        return add(invite.uid(), invite.username(), invite.publicKey(), invite.endpoints(), invite.legacy());
    }

    @Override
    public String ownLinkCode() throws ContactException {
        return LinkCode.encode(self());
    }

    @Override
    public void writeOwnCard(Path file) throws ContactException {
        ContactInvite me = self();
        ContactCard.write(me, file);
    }

    private ContactInvite self() throws ContactException {
        IdentityService id = identity;
        UnlockedIdentity unlocked = id == null ? null : id.unlocked().orElse(null);
        if (unlocked == null) {
            throw new ContactException("the identity is locked");
        }
        IdentitySummary me = unlocked.summary();
        return new ContactInvite(me.uid(), me.username(), HexFormat.of().formatHex(unlocked.publicKey()), advertised,
                false);
    }

    // --- ContactDirectory (the session core's view; failures mean "not known") ---

    @Override
    public List<Contact> contacts() {
        try {
            return list();
        } catch (ContactException e) {
            LOG.log(System.Logger.Level.ERROR, "contact list unreadable: " + e.getMessage());
            return List.of();
        }
    }

    @Override
    public Optional<Contact> byUid(String uid) {
        return lookup("SELECT * FROM contact WHERE uid = ?", uid);
    }

    @Override
    public Optional<Contact> byPublicKey(String publicKeyHex) {
        return lookup("SELECT * FROM contact WHERE public_key = ?", publicKeyHex);
    }

    @Override
    public void contactRequested(ContactRequest request) {
        if (!Ids.isUid(request.uid()) || !Ids.isPublicKey(request.publicKey())) {
            LOG.log(System.Logger.Level.WARNING, "ignored a malformed contact request");
            return;
        }
        String name = sanitize(request.username());
        List<Endpoint> endpoints = request.endpoints().stream().limit(MAX_ENDPOINTS).toList();
        try {
            write(c -> {
                try (PreparedStatement p = c.prepareStatement(
                        "MERGE INTO contact_request KEY (public_key) VALUES (?, ?, ?, ?, ?)")) {
                    p.setString(1, request.publicKey());
                    p.setString(2, request.uid());
                    p.setString(3, name);
                    p.setString(4, joinEndpoints(endpoints));
                    p.setObject(5, request.receivedAt().atOffset(java.time.ZoneOffset.UTC));
                    return p.executeUpdate();
                }
            });
        } catch (ContactException e) {
            LOG.log(System.Logger.Level.ERROR, "contact request not stored: " + e.getMessage());
        }
    }

    // --- SecurityListener ---

    @Override
    public void securityEvent(SecurityEvent event) {
        if (event.kind() != SecurityEvent.Kind.KEY_MISMATCH || event.contactUid() == null) {
            return;
        }
        try {
            Contact before = require(event.contactUid());
            if (!before.keyChanged()) {
                Contact after = update(event.contactUid(), "UPDATE contact SET key_changed = TRUE WHERE uid = ?");
                LOG.log(System.Logger.Level.WARNING, "contact " + after.username() + " presented another key; "
                        + "held until verified again");
            }
        } catch (ContactException e) {
            LOG.log(System.Logger.Level.ERROR, "could not flag a key change: " + e.getMessage());
        }
    }

    // --- helpers ---

    private Optional<Contact> lookup(String sql, String value) {
        try {
            return read(c -> query(c, sql, value).stream().findFirst());
        } catch (ContactException e) {
            LOG.log(System.Logger.Level.ERROR, "contact lookup failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    private Contact require(String uid) throws ContactException {
        return read(c -> query(c, "SELECT * FROM contact WHERE uid = ?", uid)).stream().findFirst()
                .orElseThrow(() -> new ContactException("no contact with uid " + uid));
    }

    /** Runs an UPDATE whose parameters are {@code values} followed by the uid, and announces the change. */
    private Contact update(String uid, String sql, String... values) throws ContactException {
        Contact before = require(uid);
        write(c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    p.setString(i + 1, values[i]);
                }
                p.setString(values.length + 1, uid);
                return p.executeUpdate();
            }
        });
        Contact after = require(uid);
        if (!after.equals(before)) {
            announce(l -> l.contactChanged(before, after));
        }
        return after;
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, value);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    private static List<Contact> query(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                p.setString(i + 1, values[i]);
            }
            List<Contact> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Contact(r.getString("uid"), r.getString("username"), r.getString("fingerprint"),
                            r.getString("public_key"), splitEndpoints(r.getString("endpoints")),
                            r.getBoolean("verified"), r.getBoolean("key_changed"), r.getBoolean("legacy")));
                }
            }
            return out;
        }
    }

    private <T> T read(Store.Work<T> work) throws ContactException {
        try {
            return store.read(work);
        } catch (StoreException e) {
            throw new ContactException(e.getMessage(), e);
        }
    }

    private <T> T write(Store.Work<T> work) throws ContactException {
        try {
            return store.write(work);
        } catch (StoreException e) {
            if (e.getCause() instanceof DuplicateContact d) {
                throw new ContactException(d.getMessage());
            }
            throw new ContactException(e.getMessage(), e);
        }
    }

    private void announce(Consumer<ContactListener> event) {
        List<ContactListener> all = new ArrayList<>(listeners);
        // One that cannot be fetched now (it failed to activate) is asked again at the next announcement.
        bound.values().forEach(lazy -> lazy.get().ifPresent(all::add));
        for (ContactListener l : all) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a contact listener failed", e);
            }
        }
    }

    static String fingerprintOf(String publicKeyHex) {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) Integer.parseInt(publicKeyHex.substring(2 * i, 2 * i + 2), 16);
        }
        return Fingerprint.of(key).hex();
    }

    static String checkUsername(String username) throws ContactException {
        if (username == null || username.isBlank()) {
            throw new ContactException("a contact needs a name");
        }
        String name = username.strip();
        if (name.length() > MAX_USERNAME) {
            throw new ContactException("a contact name has at most " + MAX_USERNAME + " characters");
        }
        if (CONTROL.matcher(name).find()) {
            throw new ContactException("a contact name cannot contain control characters");
        }
        return name;
    }

    /**
     * A peer-supplied name made displayable: control characters dropped, length capped without cutting a
     * character in two (a surrogate pair), no white space left at either end.
     */
    static String sanitize(String username) {
        String name = CONTROL.matcher(username == null ? "" : username).replaceAll("").strip();
        if (name.length() > MAX_USERNAME) {
            int end = Character.isHighSurrogate(name.charAt(MAX_USERNAME - 1)) ? MAX_USERNAME - 1 : MAX_USERNAME;
            name = name.substring(0, end).strip();
        }
        return name.isEmpty() ? "unknown" : name;
    }

    static void checkEndpoints(List<Endpoint> endpoints) throws ContactException {
        if (endpoints.size() > MAX_ENDPOINTS) {
            throw new ContactException("a contact has at most " + MAX_ENDPOINTS + " endpoints");
        }
        for (Endpoint e : endpoints) {
            if (e.port() == 0) {
                throw new ContactException("endpoint " + e + " has no port");
            }
        }
    }

    static String joinEndpoints(List<Endpoint> endpoints) {
        return String.join("\n", endpoints.stream().map(Endpoint::toString).toList());
    }

    static List<Endpoint> splitEndpoints(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return text.lines().map(Endpoint::parse).toList();
    }

    /** Carries a duplicate through the store's transaction as an SQL failure. */
    private static final class DuplicateContact extends SQLException {
        private static final long serialVersionUID = 1L;

        DuplicateContact(String message) {
            super(message);
        }
    }
}
