package jarvis.groups.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jarvis.api.Endpoint;
import jarvis.api.Ids;
import jarvis.api.groups.GroupService;

/**
 * The bytes of the group protocol (docs/protocol.md, "Group protocol"): UTF-8 JSON objects, one per payload.
 * Decoding is strict (known version, every field present and of the right shape, bounded sizes); anything else
 * is a {@link Malformed} and is dropped by the caller without a receipt.
 */
final class GroupWire {

    static final int STATE = 20;
    static final int RESPONSE = 21;
    static final int RECEIPT = 22;

    static final int VERSION = 1;
    /** Largest payload: 256 members with 8 endpoints of 300 characters each still fit. */
    static final int MAX_PAYLOAD_BYTES = 1 << 20;
    static final int MAX_USERNAME = 64;
    static final int MAX_ENDPOINTS = 8;
    /** The largest version a JSON number carries exactly everywhere. */
    static final long MAX_GROUP_VERSION = (1L << 53) - 1;

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(4096).maxNestingDepth(6).maxNumberLength(20).build());
    }

    /** What a RESPONSE says, and the kinds a RECEIPT confirms ({@code STATE} for a group state). */
    enum Kind {
        STATE, ACCEPT, DECLINE, LEAVE;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind of(String word) throws Malformed {
            for (Kind k : values()) {
                if (k.word().equals(word)) {
                    return k;
                }
            }
            throw new Malformed("unknown kind '" + shorten(word) + "'");
        }
    }

    /** A member as it travels: what another member needs to reach it. */
    record Member(String uid, String username, String publicKey, List<Endpoint> endpoints, boolean admin,
            boolean joined) {
        Member {
            endpoints = List.copyOf(endpoints);
        }

        Member withAdmin(boolean value) {
            return new Member(uid, username, publicKey, endpoints, value, joined);
        }

        Member withJoined(boolean value) {
            return new Member(uid, username, publicKey, endpoints, admin, value);
        }
    }

    /** The admin's full description of a group at one version. */
    record State(String groupId, long version, String name, String creatorUid, List<Member> members) {
        State {
            members = List.copyOf(members);
        }

        Member member(String uid) {
            return members.stream().filter(m -> m.uid().equals(uid)).findFirst().orElse(null);
        }
    }

    record Response(String groupId, Kind answer) {
    }

    record Receipt(String groupId, Kind kind, long version) {
    }

    /** Why a payload was dropped; the text never includes message content. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String reason) {
            super(reason);
        }
    }

    private GroupWire() {
    }

    // ---- encoding ----

    static byte[] encodeState(State s) {
        ObjectNode o = header(s.groupId());
        o.put("version", s.version());
        o.put("name", s.name());
        o.put("creator", s.creatorUid());
        ArrayNode members = o.putArray("members");
        for (Member m : s.members()) {
            ObjectNode n = members.addObject();
            n.put("uid", m.uid());
            n.put("username", m.username());
            n.put("key", m.publicKey());
            ArrayNode e = n.putArray("endpoints");
            m.endpoints().forEach(x -> e.add(x.toString()));
            n.put("admin", m.admin());
            n.put("joined", m.joined());
        }
        return bytes(o);
    }

    static byte[] encodeResponse(Response r) {
        ObjectNode o = header(r.groupId());
        o.put("answer", r.answer().word());
        return bytes(o);
    }

    static byte[] encodeReceipt(Receipt r) {
        ObjectNode o = header(r.groupId());
        o.put("kind", r.kind().word());
        o.put("version", r.version());
        return bytes(o);
    }

    private static ObjectNode header(String groupId) {
        ObjectNode o = JSON.createObjectNode();
        o.put("v", VERSION);
        o.put("group", groupId);
        return o;
    }

    private static byte[] bytes(ObjectNode o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    // ---- decoding ----

    static State decodeState(byte[] payload) throws Malformed {
        JsonNode o = object(payload, "version", "name", "creator", "members");
        String group = groupId(o);
        long version = o.get("version").asLong();
        if (!o.get("version").isIntegralNumber() || version < 1 || version > MAX_GROUP_VERSION) {
            throw new Malformed("group version outside 1.." + MAX_GROUP_VERSION);
        }
        String name = text(o, "name", GroupService.MAX_NAME);
        String creator = uid(o, "creator");
        JsonNode list = o.get("members");
        if (!list.isArray() || list.isEmpty() || list.size() > GroupService.MAX_MEMBERS) {
            throw new Malformed("members must be a list of 1.." + GroupService.MAX_MEMBERS);
        }
        List<Member> members = new ArrayList<>(list.size());
        Set<String> uids = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (JsonNode n : list) {
            if (!n.isObject()) {
                throw new Malformed("a member must be an object");
            }
            requireFields(n, "uid", "username", "key", "endpoints", "admin", "joined");
            String uid = uid(n, "uid");
            String key = n.get("key").asText();
            if (!n.get("key").isTextual() || !Ids.isPublicKey(key)) {
                throw new Malformed("a member key is 64 lowercase hex characters");
            }
            if (!uids.add(uid) || !keys.add(key)) {
                throw new Malformed("member " + uid + " is listed twice");
            }
            JsonNode e = n.get("endpoints");
            if (!e.isArray() || e.size() > MAX_ENDPOINTS) {
                throw new Malformed("a member has a list of at most " + MAX_ENDPOINTS + " endpoints");
            }
            List<Endpoint> endpoints = new ArrayList<>();
            for (JsonNode x : e) {
                if (!x.isTextual()) {
                    throw new Malformed("an endpoint is a string");
                }
                try {
                    endpoints.add(Endpoint.parse(x.asText()));
                } catch (IllegalArgumentException bad) {
                    throw new Malformed(bad.getMessage());
                }
            }
            members.add(new Member(uid, text(n, "username", MAX_USERNAME), key, endpoints,
                    bool(n, "admin"), bool(n, "joined")));
        }
        if (members.stream().noneMatch(Member::admin)) {
            throw new Malformed("a group state names no admin");
        }
        return new State(group, version, name, creator, members);
    }

    static Response decodeResponse(byte[] payload) throws Malformed {
        JsonNode o = object(payload, "answer");
        Kind answer = Kind.of(text(o, "answer", 16));
        if (answer == Kind.STATE) {
            throw new Malformed("'state' is not an answer");
        }
        return new Response(groupId(o), answer);
    }

    static Receipt decodeReceipt(byte[] payload) throws Malformed {
        JsonNode o = object(payload, "kind", "version");
        JsonNode v = o.get("version");
        if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > MAX_GROUP_VERSION) {
            throw new Malformed("receipt version outside 0.." + MAX_GROUP_VERSION);
        }
        return new Receipt(groupId(o), Kind.of(text(o, "kind", 16)), v.asLong());
    }

    private static JsonNode object(byte[] payload, String... fields) throws Malformed {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new Malformed("payload of " + payload.length + " bytes is larger than " + MAX_PAYLOAD_BYTES);
        }
        JsonNode o;
        try {
            o = JSON.readTree(payload);
        } catch (IOException e) {
            throw new Malformed("not JSON: " + shorten(e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (o == null || !o.isObject()) {
            throw new Malformed("not a JSON object");
        }
        JsonNode v = o.get("v");
        if (v == null || !v.isIntegralNumber() || v.asInt() != VERSION) {
            throw new Malformed("unknown version " + (v == null ? "(none)" : shorten(v.toString())));
        }
        requireFields(o, "group");
        requireFields(o, fields);
        return o;
    }

    private static void requireFields(JsonNode o, String... fields) throws Malformed {
        for (String f : fields) {
            if (!o.hasNonNull(f)) {
                throw new Malformed("field '" + f + "' is missing");
            }
        }
    }

    private static String groupId(JsonNode o) throws Malformed {
        String id = o.get("group").asText();
        if (!o.get("group").isTextual() || !Ids.isGroupId(id)) {
            throw new Malformed("a group id is g followed by 31 lowercase hex characters");
        }
        return id;
    }

    private static String uid(JsonNode o, String field) throws Malformed {
        String uid = o.get(field).asText();
        if (!o.get(field).isTextual() || !Ids.isUid(uid)) {
            throw new Malformed("'" + field + "' is not a uid");
        }
        return uid;
    }

    private static boolean bool(JsonNode o, String field) throws Malformed {
        if (!o.get(field).isBoolean()) {
            throw new Malformed("'" + field + "' is not true or false");
        }
        return o.get(field).asBoolean();
    }

    /** A name: 1 to {@code max} characters, no control characters, not only blanks. */
    static String text(JsonNode o, String field, int max) throws Malformed {
        if (!o.get(field).isTextual()) {
            throw new Malformed("'" + field + "' is not a string");
        }
        String s = o.get(field).asText();
        String problem = nameProblem(s, max);
        if (problem != null) {
            throw new Malformed("'" + field + "' " + problem);
        }
        return s;
    }

    /** Why a name is refused, or {@code null} when it is fine. */
    static String nameProblem(String s, int max) {
        if (s == null || s.isBlank()) {
            return "is empty";
        }
        if (s.codePointCount(0, s.length()) > max) {
            return "is longer than " + max + " characters";
        }
        if (s.codePoints().anyMatch(cp -> Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029)) {
            return "contains control characters";
        }
        return null;
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
