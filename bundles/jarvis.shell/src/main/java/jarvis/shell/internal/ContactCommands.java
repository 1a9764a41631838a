package jarvis.shell.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import jarvis.api.Contact;
import jarvis.api.Endpoint;
import jarvis.api.Ids;
import jarvis.api.contacts.ContactException;
import jarvis.api.contacts.ContactInvite;
import jarvis.api.contacts.ContactRequest;
import jarvis.api.contacts.ContactService;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The contact list on the console: {@code jarvis:contacts}, {@code jarvis:contact CONTACT},
 * {@code jarvis:add LINKCODE}, {@code jarvis:link}, {@code jarvis:rename CONTACT NAME},
 * {@code jarvis:verify CONTACT}, {@code jarvis:legacy CONTACT [on|off]}, {@code jarvis:remove CONTACT}, {@code jarvis:requests},
 * {@code jarvis:accept PUBLICKEY}, {@code jarvis:reject PUBLICKEY}; {@code jarvis:card-import FILE} and
 * {@code jarvis:card-export FILE} are {@link CardImportCommand} and {@link CardExportCommand} (a Gogo
 * function name with a hyphen cannot be a method name) and call {@link #cardImport} and {@link #cardExport}.
 * CONTACT is a uid or a name only one contact has.
 *
 * <p>The contact list exists only while the identity is unlocked, so the service is optional: the commands
 * stay available and say so. A {@link ContactException} is answered with its message (it is written for
 * the user) instead of being thrown, which Gogo would print as a stack trace. Names and endpoints come from
 * peers and are printed through {@link ConsoleText#printable}.
 */
@Component(service = ContactCommands.class, property = {
        "osgi.command.scope=jarvis",
        "osgi.command.function=contacts",
        "osgi.command.function=contact",
        "osgi.command.function=add",
        "osgi.command.function=link",
        "osgi.command.function=rename",
        "osgi.command.function=verify",
        "osgi.command.function=legacy",
        "osgi.command.function=remove",
        "osgi.command.function=requests",
        "osgi.command.function=accept",
        "osgi.command.function=reject"})
public final class ContactCommands {

    static final String LOCKED = PeerCommands.LOCKED;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ContactService service;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile jarvis.api.session.PeerNetwork network;

    /** Zone the console shows times in. */
    ZoneId zone = ZoneId.systemDefault();

    @Descriptor("lists the contacts: name, uid, verified, key changed, endpoints")
    public String contacts() {
        return run(book -> contactTable(book.list()));
    }

    @Descriptor("shows a contact, with its fingerprint as people compare it")
    public String contact(@Descriptor("contact uid or name") String contact) {
        return run(book -> withContact(book, contact, ContactCommands::describe));
    }

    @Descriptor("adds the peer a link code describes (a jarvis2: code or a Jarvis 1.x jarvis:// code)")
    public String add(@Descriptor("link code") String linkCode) {
        return run(book -> {
            ContactInvite invite = book.parseLinkCode(linkCode);
            return added(dialed(book.addFromLinkCode(linkCode)), invite.legacy());
        });
    }

    /** A new contact is dialed at once, as the IPC does, rather than at the session core's next pass. */
    private Contact dialed(Contact contact) {
        jarvis.api.session.PeerNetwork net = network;
        if (net != null) {
            net.connectNow(contact.uid());
        }
        return contact;
    }

    @Descriptor("prints our own link code, to give to a new contact")
    public String link() {
        return run(ContactService::ownLinkCode);
    }

    /** {@code jarvis:card-import FILE} (through {@link CardImportCommand}). */
    public String cardImport(String file) {
        return run(book -> {
            Optional<Path> path = path(file);
            if (path.isEmpty()) {
                return "not a file name: '" + ConsoleText.printable(file) + "'";
            }
            return added(dialed(book.importCard(path.get())), false);
        });
    }

    /** {@code jarvis:card-export FILE} (through {@link CardExportCommand}). */
    public String cardExport(String file) {
        return run(book -> {
            Optional<Path> path = path(file);
            if (path.isEmpty()) {
                return "not a file name: '" + ConsoleText.printable(file) + "'";
            }
            book.writeOwnCard(path.get());
            return "our contact card was written to " + path.get();
        });
    }

    @Descriptor("renames a contact (here only; the peer is not told)")
    public String rename(@Descriptor("contact uid or name") String contact, @Descriptor("new name") String name) {
        return run(book -> withContact(book, contact, c -> {
            Contact renamed = book.rename(c.uid(), name);
            return ConsoleText.printable(c.username()) + " renamed to " + ConsoleText.printable(renamed.username());
        }));
    }

    @Descriptor("prints a contact's fingerprint to compare with the peer out of band and marks it verified")
    public String verify(@Descriptor("contact uid or name") String contact) {
        return run(book -> withContact(book, contact, c -> verified(c, book.verify(c.uid()))));
    }

    @Descriptor("shows whether the Jarvis 1.x protocol is allowed with a contact")
    public String legacy(@Descriptor("contact uid or name") String contact) {
        return run(book -> withContact(book, contact, c -> legacyState(c)));
    }

    @Descriptor("allows (on) or forbids (off) the Jarvis 1.x protocol with a contact: weaker, no forward secrecy")
    public String legacy(@Descriptor("contact uid or name") String contact, @Descriptor("on or off") String onOff) {
        boolean on;
        if ("on".equalsIgnoreCase(onOff)) {
            on = true;
        } else if ("off".equalsIgnoreCase(onOff)) {
            on = false;
        } else {
            return "say on or off, not '" + ConsoleText.printable(onOff) + "'";
        }
        return run(book -> withContact(book, contact, c -> legacyState(book.setLegacy(c.uid(), on))));
    }

    /** The answer of {@code jarvis:legacy}. */
    static String legacyState(Contact c) {
        String name = ConsoleText.printable(c.username());
        return c.legacy()
                ? "Jarvis 1.x allowed with " + name + ": legacy (no forward secrecy) whenever jarvis/2 is not up;"
                        + " needs the jarvis-legacy feature, enabled in its configuration (jarvis.legacy)"
                : "Jarvis 1.x not allowed with " + name + " (jarvis/2 only)";
    }

    @Descriptor("removes a contact")
    public String remove(@Descriptor("contact uid or name") String contact) {
        return run(book -> withContact(book, contact, c -> {
            book.remove(c.uid());
            return ConsoleText.printable(c.username()) + " (" + c.uid() + ") removed";
        }));
    }

    @Descriptor("lists the contact requests: peers we do not know that reached us")
    public String requests() {
        return run(book -> requestTable(book.requests(), zone));
    }

    @Descriptor("makes the peer of a contact request a contact")
    public String accept(@Descriptor("the request's public key (jarvis:requests)") String publicKey) {
        return run(book -> Ids.isPublicKey(publicKey) ? added(book.accept(publicKey), false) : badKey(publicKey));
    }

    @Descriptor("drops a contact request (the peer may ask again)")
    public String reject(@Descriptor("the request's public key (jarvis:requests)") String publicKey) {
        return run(book -> {
            if (!Ids.isPublicKey(publicKey)) {
                return badKey(publicKey);
            }
            book.reject(publicKey);
            return "request from key " + publicKey + " rejected";
        });
    }

    /** One command's work on the contact list. */
    @FunctionalInterface
    interface Action {
        String run(ContactService book) throws ContactException;
    }

    /** One command's work on one contact. */
    @FunctionalInterface
    interface ContactAction {
        String run(Contact contact) throws ContactException;
    }

    /** Runs {@code action} if the contact list is there; a failure is answered with its message. */
    String run(Action action) {
        ContactService book = service;
        if (book == null) {
            return LOCKED;
        }
        try {
            return action.run(book);
        } catch (ContactException e) {
            return ConsoleText.message(e);
        }
    }

    static String withContact(ContactService book, String contact, ContactAction action) throws ContactException {
        Optional<Contact> found = book.find(contact);
        if (found.isEmpty()) {
            return unknown(contact);
        }
        return action.run(found.get());
    }

    static String unknown(String contact) {
        return "no contact '" + ConsoleText.printable(contact)
                + "': give its uid, or a name only one contact has (jarvis:contacts lists them)";
    }

    private static String badKey(String publicKey) {
        return "not a public key: '" + ConsoleText.printable(publicKey)
                + "' (64 lowercase hex characters; jarvis:requests lists them)";
    }

    private static Optional<Path> path(String file) {
        try {
            return Optional.of(Paths.get(file).toAbsolutePath());
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** The table of {@code jarvis:contacts}, in the list's order. */
    static String contactTable(List<Contact> contacts) {
        if (contacts.isEmpty()) {
            return "no contacts yet: add one with jarvis:add LINKCODE or jarvis:card-import FILE";
        }
        return Table.render(List.of("NAME", "UID", "VERIFIED", "KEY CHANGED", "ENDPOINTS"), contacts.stream()
                .map(c -> new String[] {ConsoleText.printable(c.username()) + (c.legacy() ? " [legacy]" : ""),
                        c.uid(), yesNo(c.verified()), yesNo(c.keyChanged()), endpoints(c.endpoints())})
                .toList());
    }

    /** The answer of {@code jarvis:contact}: every field, the fingerprint grouped by 4. */
    static String describe(Contact c) {
        String keyChanged = c.keyChanged()
                ? "yes: the peer presented another key; messages wait until you compare the fingerprint again"
                        + " (jarvis:verify " + c.uid() + ")"
                : "no";
        return String.format("%-12s %s%n%-12s %s%n%-12s %s%n%-12s %s%n%-12s %s%n%-12s %s%n%-12s %s",
                "name", ConsoleText.printable(c.username()),
                "uid", c.uid(),
                "fingerprint", Ids.displayFingerprint(c.fingerprint()),
                "public key", c.publicKey(),
                "verified", yesNo(c.verified()),
                "key changed", keyChanged,
                "endpoints", endpoints(c.endpoints()))
                + (c.legacy() ? String.format("%n%-12s %s", "protocol", "legacy (no forward secrecy): Jarvis 1.x "
                        + "allowed when jarvis/2 is not up") : "");
    }

    /** The answer of a command that added a contact. */
    static String added(Contact c, boolean legacy) {
        String name = ConsoleText.printable(c.username());
        return name + " (" + c.uid() + ") added, not verified yet: compare the fingerprint with the peer"
                + " (jarvis:verify " + c.uid() + ")"
                + (legacy ? "\na Jarvis 1.x peer: messages with it have no forward secrecy" : "");
    }

    /** The answer of {@code jarvis:verify}: the fingerprint to compare, then what changed. */
    static String verified(Contact before, Contact after) {
        String name = ConsoleText.printable(after.username());
        String outcome;
        if (before.keyChanged()) {
            outcome = "the new key of " + name + " is marked verified; held messages are released";
        } else if (before.verified()) {
            outcome = name + " was already verified";
        } else {
            outcome = name + " is marked verified";
        }
        return "fingerprint of " + name + " (compare it with the peer's own over another channel, in person"
                + " or by phone):\n  " + Ids.displayFingerprint(after.fingerprint()) + "\n" + outcome;
    }

    /** The table of {@code jarvis:requests}, in the service's order (newest first). */
    static String requestTable(List<ContactRequest> requests, ZoneId zone) {
        if (requests.isEmpty()) {
            return "no contact requests";
        }
        return Table.render(List.of("NAME", "UID", "PUBLIC KEY", "ENDPOINTS", "RECEIVED"), requests.stream()
                .map(r -> new String[] {ConsoleText.printable(r.username()), ConsoleText.printable(r.uid()),
                        ConsoleText.printable(r.publicKey()), endpoints(r.endpoints()),
                        ConsoleText.time(r.receivedAt(), zone)})
                .toList())
                + "\nanswer with jarvis:accept PUBLICKEY or jarvis:reject PUBLICKEY";
    }

    private static String endpoints(List<Endpoint> endpoints) {
        return endpoints.isEmpty() ? "-"
                : endpoints.stream().map(e -> ConsoleText.printable(e.toString())).collect(Collectors.joining(", "));
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
