package jarvis.ipc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jarvis.api.Contact;
import jarvis.api.Endpoint;
import jarvis.api.Ids;
import jarvis.api.contacts.ContactException;
import jarvis.api.contacts.ContactRequest;
import jarvis.api.contacts.ContactService;

/** The contact list and contact requests. */
final class ContactCommands {

    private static final System.Logger LOG = System.getLogger(ContactCommands.class.getName());

    private final DaemonServices services;

    ContactCommands(DaemonServices services) {
        this.services = services;
    }

    void register(CommandTable table) {
        table.add("add_contact", false, this::add)
                .add("remove_contact", false, this::remove)
                .add("get_contacts", false, this::contacts)
                .add("get_contact", false, this::contact)
                .add("verify_contact", false, this::verify)
                .add("set_contact_legacy", false, this::setLegacy)
                .add("rename_contact", false, this::rename)
                .add("get_contact_requests", false, this::requests)
                .add("accept_contact_request", false, this::accept)
                .add("reject_contact_request", false, this::reject)
                .add("get_link_code", false, this::linkCode)
                .add("add_contact_link", false, this::addFromLinkCode)
                .add("import_contact_card", false, this::importCard)
                .add("export_contact_card", false, this::exportCard);
    }

    /**
     * Adds a contact. The fingerprint, when given, must be the key's (Jarvis 1.x trusted it blindly);
     * afterwards the session core is asked to dial at once, as 1.x did.
     */
    private ObjectNode add(Request r) throws CommandFailure {
        ContactService contacts = services.contacts();
        String uid = r.text("uid");
        String username = r.text("username");
        String publicKey = r.text("public_key");
        if (!Ids.isPublicKey(publicKey)) {
            throw CommandFailure.invalid("public_key", "64 lowercase hex characters");
        }
        Optional<String> given = r.optionalText("fingerprint");
        if (given.isPresent()) {
            String fingerprint = Fingerprints.normalise(given.get());
            if (fingerprint == null) {
                throw CommandFailure.invalid("fingerprint", "64 hex characters");
            }
            if (!fingerprint.equals(Fingerprints.of(publicKey))) {
                throw new CommandFailure("Fingerprint does not match the public key");
            }
        }
        List<Endpoint> endpoints = endpoints(r);
        boolean verified = r.bool("verified", false);
        Contact contact = call(() -> {
            Contact added = contacts.add(uid, username, publicKey, endpoints);
            return verified ? contacts.verify(uid) : added;
        });
        dial(uid);
        return withContact(contact);
    }

    // host + port as in 1.x, and/or a list of endpoint strings (tcp://host:port).
    private static List<Endpoint> endpoints(Request r) throws CommandFailure {
        List<Endpoint> endpoints = new ArrayList<>();
        Optional<String> host = r.optionalText("host");
        Optional<Integer> port = r.optionalInt("port", 1, 65535);
        if (host.isPresent() != port.isPresent()) {
            throw host.isPresent() ? CommandFailure.missing("port") : CommandFailure.missing("host");
        }
        if (host.isPresent()) {
            try {
                endpoints.add(Endpoint.tcp(host.get(), port.get()));
            } catch (IllegalArgumentException e) {
                throw CommandFailure.invalid("host", e.getMessage());
            }
        }
        JsonNode list = r.params().get("endpoints");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw CommandFailure.invalid("endpoints", "a list of scheme://host:port strings");
            }
            for (JsonNode e : list) {
                if (!e.isTextual()) {
                    throw CommandFailure.invalid("endpoints", "a list of scheme://host:port strings");
                }
                try {
                    Endpoint endpoint = Endpoint.parse(e.textValue());
                    if (!endpoints.contains(endpoint)) {
                        endpoints.add(endpoint);
                    }
                } catch (IllegalArgumentException ex) {
                    throw CommandFailure.invalid("endpoints", ex.getMessage());
                }
            }
        }
        return endpoints;
    }

    private ObjectNode linkCode(Request r) throws CommandFailure {
        ContactService contacts = services.contacts();
        return Views.object().put("link_code", call(contacts::ownLinkCode));
    }

    /** Adds the peer of a link code (ours or 1.x), then dials it at once. */
    private ObjectNode addFromLinkCode(Request r) throws CommandFailure {
        ContactService contacts = services.contacts();
        String code = r.text("link_code");
        Contact contact = call(() -> contacts.addFromLinkCode(code));
        dial(contact.uid());
        return withContact(contact);
    }

    private ObjectNode importCard(Request r) throws CommandFailure {
        ContactService contacts = services.contacts();
        java.nio.file.Path file = absolutePath(r, "path");
        Contact contact = call(() -> contacts.importCard(file));
        dial(contact.uid());
        return withContact(contact);
    }

    private ObjectNode exportCard(Request r) throws CommandFailure {
        ContactService contacts = services.contacts();
        java.nio.file.Path file = absolutePath(r, "path");
        call(() -> {
            contacts.writeOwnCard(file);
            return null;
        });
        return Views.object().put("path", file.toString());
    }

    /** Paths from a client are taken only absolute: the daemon's working directory means nothing to it. */
    private static java.nio.file.Path absolutePath(Request r, String name) throws CommandFailure {
        java.nio.file.Path path = java.nio.file.Paths.get(r.text(name));
        if (!path.isAbsolute()) {
            throw CommandFailure.invalid(name, "an absolute path");
        }
        return path;
    }

    private void dial(String uid) {
        services.optionalNetwork().ifPresent(n -> {
            try {
                n.connectNow(uid);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "dialling new contact " + uid + " failed: " + e.getMessage());
            }
        });
    }

    private ObjectNode remove(Request r) throws CommandFailure {
        ContactService contacts = services.contacts();
        String uid = r.text("uid");
        call(() -> {
            contacts.remove(uid);
            return null;
        });
        return Views.object();
    }

    private ObjectNode contacts(Request r) throws CommandFailure {
        ObjectNode result = Views.object();
        ArrayNode list = result.putArray("contacts");
        for (Contact c : list(services.contacts())) {
            list.add(Views.contact(c));
        }
        return result;
    }

    private ObjectNode contact(Request r) throws CommandFailure {
        ContactService contacts = services.contacts();
        String uid = r.text("uid");
        Contact contact = call(() -> contacts.find(uid)).orElseThrow(() -> new CommandFailure("Contact not found"));
        return withContact(contact);
    }

    private ObjectNode verify(Request r) throws CommandFailure {
        ContactService contacts = services.contacts();
        String uid = resolve(contacts, r.text("uid"));
        return withContact(call(() -> contacts.verify(uid)));
    }

    /** Allows or forbids the Jarvis 1.x protocol with a contact ({@code legacy}: true or false, required). */
    private ObjectNode setLegacy(Request r) throws CommandFailure {
        ContactService contacts = services.contacts();
        String uid = resolve(contacts, r.text("uid"));
        if (r.params().get("legacy") == null || !r.params().get("legacy").isBoolean()) {
            throw CommandFailure.invalid("legacy", "true or false");
        }
        boolean legacy = r.bool("legacy", false);
        return withContact(call(() -> contacts.setLegacy(uid, legacy)));
    }

    private ObjectNode rename(Request r) throws CommandFailure {
        ContactService contacts = services.contacts();
        String uid = r.text("uid");
        String username = r.text("username");
        return withContact(call(() -> contacts.rename(uid, username)));
    }

    private ObjectNode requests(Request r) throws CommandFailure {
        ContactService contacts = services.contacts();
        ObjectNode result = Views.object();
        ArrayNode list = result.putArray("requests");
        for (ContactRequest request : call(contacts::requests)) {
            String fingerprint = Ids.isPublicKey(request.publicKey()) ? Fingerprints.of(request.publicKey()) : null;
            list.add(Views.contactRequest(request, fingerprint));
        }
        return result;
    }

    private ObjectNode accept(Request r) throws CommandFailure {
        ContactService contacts = services.contacts();
        String publicKey = r.text("public_key");
        return withContact(call(() -> contacts.accept(publicKey)));
    }

    private ObjectNode reject(Request r) throws CommandFailure {
        ContactService contacts = services.contacts();
        String publicKey = r.text("public_key");
        call(() -> {
            contacts.reject(publicKey);
            return null;
        });
        return Views.object();
    }

    /** A contact named by uid or by a name only one contact has. */
    private static String resolve(ContactService contacts, String uidOrName) throws CommandFailure {
        return call(() -> contacts.find(uidOrName)).map(Contact::uid)
                .orElseThrow(() -> new CommandFailure("Contact not found"));
    }

    static List<Contact> list(ContactService contacts) throws CommandFailure {
        return call(contacts::list);
    }

    private static ObjectNode withContact(Contact contact) {
        ObjectNode result = Views.object();
        result.set("contact", Views.contact(contact));
        return result;
    }

    @FunctionalInterface
    private interface ContactCall<T> {
        T run() throws ContactException;
    }

    private static <T> T call(ContactCall<T> call) throws CommandFailure {
        try {
            return call.run();
        } catch (ContactException e) {
            throw new CommandFailure(e.getMessage());
        }
    }
}
