package jarvis.ipc.internal;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jarvis.api.ConnectionState;
import jarvis.api.Contact;
import jarvis.api.Endpoint;
import jarvis.api.IdentitySummary;
import jarvis.api.Message;
import jarvis.api.contacts.ContactRequest;
import jarvis.api.feature.Feature;
import jarvis.api.groups.Group;
import jarvis.api.groups.GroupMember;
import jarvis.api.session.PeerHealth;
import jarvis.api.session.SecurityEvent;
import jarvis.api.transport.Transport;

/** The JSON form of the API's records on the wire (names in snake_case, as in Jarvis 1.x). */
final class Views {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Views() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    static ObjectNode identity(IdentitySummary s) {
        return object().put("uid", s.uid()).put("username", s.username()).put("fingerprint", s.fingerprint())
                .put("created_at", s.createdAt().toString()).put("unlocked", s.unlocked());
    }

    /** A contact; {@code host} and {@code port} repeat the first TCP endpoint, which is all 1.x knew. */
    static ObjectNode contact(Contact c) {
        ObjectNode o = object().put("uid", c.uid()).put("username", c.username()).put("public_key", c.publicKey())
                .put("fingerprint", c.fingerprint());
        Endpoint tcp = c.endpoints().stream().filter(e -> "tcp".equals(e.scheme())).findFirst().orElse(null);
        if (tcp != null) {
            o.put("host", tcp.host()).put("port", tcp.port());
        } else {
            o.putNull("host").putNull("port");
        }
        o.set("endpoints", endpoints(c.endpoints()));
        return o.put("verified", c.verified()).put("key_changed", c.keyChanged()).put("legacy", c.legacy());
    }

    static ObjectNode contactRequest(ContactRequest r, String fingerprint) {
        ObjectNode o = object().put("uid", r.uid()).put("username", r.username()).put("public_key", r.publicKey())
                .put("fingerprint", fingerprint);
        o.set("endpoints", endpoints(r.endpoints()));
        return o.put("received_at", r.receivedAt().toString());
    }

    static ArrayNode endpoints(List<Endpoint> endpoints) {
        ArrayNode a = array();
        endpoints.forEach(e -> a.add(e.toString()));
        return a;
    }

    /** The 1.x int of a connection state: DISCONNECTED 0, CONNECTING 1, CONNECTED 2, AUTHENTICATED 3, ERROR 4. */
    static int legacyCode(ConnectionState state) {
        return switch (state) {
            case OFFLINE -> 0;
            case CONNECTING -> 1;
            case HANDSHAKING -> 2;
            case ONLINE -> 3;
            case REFUSED -> 4;
        };
    }

    static ObjectNode peer(PeerHealth h) {
        ObjectNode o = object().put("uid", h.contactUid()).put("state", h.state().name())
                .put("state_code", legacyCode(h.state()));
        if (h.remote() != null) {
            o.put("remote", h.remote().toString());
        } else {
            o.putNull("remote");
        }
        return o.put("bytes_in", h.bytesIn()).put("bytes_out", h.bytesOut()).put("frames_in", h.framesIn())
                .put("frames_out", h.framesOut()).put("rtt_micros", h.rttMicros()).put("reconnects", h.reconnects())
                .put("since", h.since().toString());
    }

    static ObjectNode feature(Feature f) {
        ObjectNode o = object().put("name", f.name());
        ArrayNode bundles = array();
        f.bundles().forEach(bundles::add);
        o.set("bundles", bundles);
        return o.put("required", f.required()).put("installed", f.installed());
    }

    static ObjectNode securityEvent(SecurityEvent e) {
        ObjectNode o = object().put("kind", e.kind().name()).put("uid", e.contactUid())
                .put("presented_fingerprint", e.presentedFingerprint())
                .put("expected_fingerprint", e.expectedFingerprint());
        if (e.remote() != null) {
            o.put("remote", e.remote().toString());
        } else {
            o.putNull("remote");
        }
        return o.put("at", e.at().toString()).put("detail", e.detail());
    }

    /** A received message in the 1.x field names, plus the conversation it belongs to. */
    static ObjectNode message(Message m) {
        return object().put("message_id", m.id()).put("conversation_id", m.conversationId())
                .put("sender_uid", m.senderUid()).put("message", m.text()).put("timestamp", m.timestamp().toString())
                .put("outgoing", m.outgoing()).put("state", m.state().name());
    }

    /** A stored message in the 1.x {@code get_messages} field names, plus its delivery state. */
    static ObjectNode historyEntry(Message m) {
        return object().put("message_id", m.id()).put("conversation_id", m.conversationId())
                .put("sender_uid", m.senderUid()).put("content", m.text()).put("timestamp", m.timestamp().toString())
                .put("sent_by_me", m.outgoing()).put("state", m.state().name());
    }

    /** A group as this account sees it; {@code is_admin} says whether we may change it. */
    static ObjectNode group(Group g, String selfUid) {
        ObjectNode o = object().put("group_id", g.id()).put("name", g.name())
                .put("state", g.state().name().toLowerCase(java.util.Locale.ROOT)).put("is_admin", g.isAdmin(selfUid))
                .put("creator_uid", g.creatorUid()).put("version", g.version()).put("updated_at", g.updatedAt().toString());
        ArrayNode members = o.putArray("members");
        for (GroupMember m : g.members()) {
            members.addObject().put("uid", m.uid()).put("username", m.username()).put("admin", m.admin())
                    .put("status", m.joined() ? "joined" : "invited");
        }
        return o;
    }

    /** The transports present: scheme and the endpoint each listens on (null while it does not). */
    static ArrayNode transports(List<Map<String, Object>> present) {
        ArrayNode list = array();
        for (Map<String, Object> properties : present) {
            ObjectNode t = list.addObject().put("scheme",
                    String.valueOf(properties.get(Transport.SCHEME_PROPERTY)));
            Object listen = properties.get(Transport.LISTEN_PROPERTY);
            if (listen != null) {
                t.put("listen", String.valueOf(listen));
            } else {
                t.putNull("listen");
            }
        }
        return list;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
