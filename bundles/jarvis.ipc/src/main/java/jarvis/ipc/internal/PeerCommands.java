package jarvis.ipc.internal;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jarvis.api.ConnectionState;
import jarvis.api.Contact;
import jarvis.api.Endpoint;
import jarvis.api.contacts.ContactException;
import jarvis.api.session.PeerHealth;
import jarvis.api.session.PeerNetwork;
import jarvis.api.transport.Transport;

/**
 * Connections and transports. Queries answer truthfully without a session core (every contact is
 * offline, with {@code "network": false}); actions need it and say so when it is absent.
 */
final class PeerCommands {

    private final DaemonServices services;

    PeerCommands(DaemonServices services) {
        this.services = services;
    }

    void register(CommandTable table) {
        table.add("get_connection_status", false, this::connectionStatus)
                .add("connect_to_peer", false, this::connect)
                .add("get_peers", false, this::peers)
                .add("get_transports", false, this::transports);
    }

    private ObjectNode connectionStatus(Request r) throws CommandFailure {
        Optional<PeerNetwork> network = services.optionalNetwork();
        Optional<String> uid = r.optionalText("uid");
        ObjectNode result = Views.object().put("network", network.isPresent());
        if (uid.isPresent()) {
            ConnectionState state = network.map(n -> n.state(uid.get())).orElse(ConnectionState.OFFLINE);
            return result.put("uid", uid.get()).put("connected", state == ConnectionState.ONLINE)
                    .put("state", state.name()).put("state_code", Views.legacyCode(state));
        }
        ObjectNode statuses = result.putObject("statuses");
        ObjectNode states = result.putObject("states");
        for (Contact c : ContactCommands.list(services.contacts())) {
            ConnectionState state = network.map(n -> n.state(c.uid())).orElse(ConnectionState.OFFLINE);
            statuses.put(c.uid(), state == ConnectionState.ONLINE);
            states.put(c.uid(), state.name());
        }
        return result;
    }

    private ObjectNode connect(Request r) throws CommandFailure {
        String uid = r.text("uid");
        try {
            if (services.contacts().find(uid).filter(c -> c.uid().equals(uid)).isEmpty()) {
                throw new CommandFailure("Contact not found");
            }
        } catch (ContactException e) {
            throw new CommandFailure(e.getMessage());
        }
        services.network().connectNow(uid);
        return Views.object();
    }

    private ObjectNode peers(Request r) {
        Optional<PeerNetwork> network = services.optionalNetwork();
        ObjectNode result = Views.object().put("network", network.isPresent());
        ArrayNode peers = result.putArray("peers");
        network.ifPresent(n -> {
            for (PeerHealth h : n.health()) {
                peers.add(Views.peer(h));
            }
        });
        return result;
    }

    private ObjectNode transports(Request r) {
        ObjectNode result = Views.object();
        result.set("transports", Views.transports(services.transportProperties()));
        return result;
    }

    /** The port of the TCP transport's listen endpoint: the 1.x {@code listen_port}. */
    Optional<Integer> listenPort() {
        for (Map<String, Object> properties : services.transportProperties()) {
            Object listen = properties.get(Transport.LISTEN_PROPERTY);
            if ("tcp".equals(properties.get(Transport.SCHEME_PROPERTY)) && listen != null) {
                try {
                    return Optional.of(Endpoint.parse(String.valueOf(listen)).port());
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
