package jarvis.shell.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jarvis.api.Contact;
import jarvis.api.contacts.ContactException;
import jarvis.api.contacts.ContactService;
import jarvis.api.session.PeerHealth;
import jarvis.api.session.PeerNetwork;
import jarvis.api.transport.Transport;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The peer network on the console: {@code jarvis:peers}, {@code jarvis:transports},
 * {@code jarvis:connect CONTACT}. The session core and the contact list exist only while the identity
 * is unlocked, so they are optional here: the commands stay available and say what is missing.
 */
@Component(service = PeerCommands.class, property = {
        "osgi.command.scope=jarvis",
        "osgi.command.function=peers",
        "osgi.command.function=transports",
        "osgi.command.function=connect"})
public final class PeerCommands {

    static final String LOCKED = "the identity is locked: unlock it first (identity:unlock)";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile PeerNetwork network;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ContactService contacts;

    private final Map<Transport, Map<String, Object>> transports = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTransport(Transport transport, Map<String, Object> properties) {
        transports.put(transport, properties);
    }

    void removeTransport(Transport transport) {
        transports.remove(transport);
    }

    @Descriptor("shows the state and health of the session with every contact")
    public String peers() throws ContactException {
        PeerNetwork net = network;
        ContactService book = contacts;
        if (net == null || book == null) {
            return LOCKED;
        }
        Map<String, String> names = new java.util.HashMap<>();
        for (Contact c : book.list()) {
            names.put(c.uid(), c.username());
        }
        return peerTable(net.health(), names);
    }

    @Descriptor("lists the transports present and where they listen")
    public String transports() {
        List<String[]> rows = new ArrayList<>();
        for (Map<String, Object> p : transports.values()) {
            rows.add(new String[] {String.valueOf(p.get(Transport.SCHEME_PROPERTY)),
                    String.valueOf(p.getOrDefault(Transport.LISTEN_PROPERTY, "(dial only)")),
                    String.valueOf(p.get("component.name"))});
        }
        rows.sort(Comparator.comparing(r -> r[0]));
        if (rows.isEmpty()) {
            return "no transport is installed (feature:install jarvis-transport-tcp)";
        }
        return Table.render(List.of("SCHEME", "LISTEN", "COMPONENT"), rows);
    }

    @Descriptor("dials a contact now instead of waiting for the next retry")
    public String connect(@Descriptor("contact uid or name") String contact) throws ContactException {
        PeerNetwork net = network;
        ContactService book = contacts;
        if (net == null || book == null) {
            return LOCKED;
        }
        Optional<Contact> found = book.find(contact);
        if (found.isEmpty()) {
            return "no contact '" + contact + "' (jarvis:peers lists them)";
        }
        net.connectNow(found.get().uid());
        return "dialing " + found.get().username() + " (now " + net.state(found.get().uid()) + ")";
    }

    static String peerTable(List<PeerHealth> health, Map<String, String> names) {
        if (health.isEmpty()) {
            return "no contacts yet";
        }
        List<String[]> rows = new ArrayList<>();
        for (PeerHealth h : health) {
            rows.add(new String[] {names.getOrDefault(h.contactUid(), h.contactUid()), h.state().name(),
                    h.remote() == null ? "-" : h.remote().toString(),
                    h.rttMicros() < 0 ? "-" : String.format("%.1f ms", h.rttMicros() / 1000.0),
                    Long.toString(h.framesIn()), Long.toString(h.framesOut()),
                    Long.toString(h.bytesIn()), Long.toString(h.bytesOut()), Integer.toString(h.reconnects())});
        }
        rows.sort(Comparator.comparing(r -> r[0].toLowerCase(java.util.Locale.ROOT)));
        return Table.render(List.of("CONTACT", "STATE", "REMOTE", "RTT", "FRAMES IN", "FRAMES OUT", "BYTES IN",
                "BYTES OUT", "RECONNECTS"), rows);
    }
}
