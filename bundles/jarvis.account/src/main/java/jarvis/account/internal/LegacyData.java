package jarvis.account.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jarvis.api.Endpoint;
import jarvis.api.Ids;
import jarvis.api.account.AccountException;

/**
 * The data files of a Jarvis 1.x directory (docs/migration.md): {@code contacts.json}, {@code groups.json} and
 * {@code messages.json}, parsed and checked completely before anything is written, then handed over as rows of the
 * store's tables. A missing file means "none" (1.x writes each file only when it first has something to keep); a
 * file that is there but malformed is refused with its name and what is wrong.
 */
final class LegacyData {

    static final String IDENTITY_FILE = "identity.enc";
    static final String CONTACTS_FILE = "contacts.json";
    static final String GROUPS_FILE = "groups.json";
    static final String MESSAGES_FILE = "messages.json";
    /** Bigger than any 1.x history we can expect (1.x rewrote the whole file per message); bounds the work. */
    static final long MAX_FILE = 64L << 20;
    static final int MAX_TEXT_BYTES = 64 * 1024;
    static final int MAX_NAME = 64;
    static final int MAX_GROUP_NAME = 128;
    /** Message states as messaging stores them (docs/storage.md, "Messages"). */
    static final int SENT = 1;
    static final int DELIVERED = 3;
    static final int READ = 4;
    /** Group state JOINED (docs/storage.md, "Groups"). */
    static final int JOINED = 1;

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16)
                    .maxStringLength(16 << 20).build()).build());

    record Contact(String uid, String username, String publicKeyHex, String fingerprint, String endpoints,
            boolean verified, OffsetDateTime addedAt) {
    }

    record Member(String uid, String username, String publicKeyHex, boolean admin, Instant joinedAt) {
    }

    record Group(String id, String name, String creatorUid, long createdAt, List<Member> members) {
    }

    /** A message; {@code senderUid} null means "sent by me" (filled in once the identity is known). */
    record Message(String originalId, String conversationId, String senderUid, boolean outgoing, String text,
            boolean read, boolean delivered, long at) {
    }

    final List<Contact> contacts;
    final List<Group> groups;
    final List<Message> messages;

    private LegacyData(List<Contact> contacts, List<Group> groups, List<Message> messages) {
        this.contacts = contacts;
        this.groups = groups;
        this.messages = messages;
    }

    /** The 1.x directory of {@code path}: the path itself, or the directory of a given {@code identity.enc}. */
    static Path directory(Path path) throws AccountException {
        if (Files.isDirectory(path)) {
            if (!Files.isRegularFile(path.resolve(IDENTITY_FILE))) {
                throw new AccountException(AccountException.Reason.INVALID_ARGUMENT, "no " + IDENTITY_FILE + " in "
                        + path + ": not a Jarvis 1.x data directory");
            }
            return path;
        }
        if (Files.isRegularFile(path)) {
            return path.toAbsolutePath().getParent();
        }
        throw new AccountException(AccountException.Reason.INVALID_ARGUMENT, "no such file or directory: " + path);
    }

    /** Reads and checks the three data files of {@code dir}. */
    static LegacyData read(Path dir) throws AccountException {
        Map<String, Contact> contacts = contacts(json(dir.resolve(CONTACTS_FILE)));
        List<Group> groups = groups(json(dir.resolve(GROUPS_FILE)), contacts);
        List<Message> messages = messages(json(dir.resolve(MESSAGES_FILE)));
        return new LegacyData(List.copyOf(contacts.values()), groups, messages);
    }

    /** For the parsers' tests and fuzz targets: one file's content. */
    static LegacyData parse(byte[] contacts, byte[] groups, byte[] messages) throws AccountException {
        Map<String, Contact> c = contacts(tree(CONTACTS_FILE, contacts));
        return new LegacyData(List.copyOf(c.values()), groups(tree(GROUPS_FILE, groups), c),
                messages(tree(MESSAGES_FILE, messages)));
    }

    private static JsonNode json(Path file) throws AccountException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE) {
                throw bad(file.getFileName().toString(), "larger than " + (MAX_FILE >> 20) + " MiB");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new AccountException(AccountException.Reason.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_FILE) {
            throw bad(file.getFileName().toString(), "larger than " + (MAX_FILE >> 20) + " MiB");
        }
        return tree(file.getFileName().toString(), bytes);
    }

    private static JsonNode tree(String name, byte[] bytes) throws AccountException {
        if (bytes == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw bad(name, "empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw bad(name, "not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw bad(name, "not readable JSON (" + e.getMessage() + ")");
        }
    }

    static AccountException bad(String file, String what) {
        return new AccountException(AccountException.Reason.CORRUPTED, "Jarvis 1.x " + file + " is malformed: " + what);
    }

    // --- contacts.json: {uid: {uid, username, public_key, host, port, fingerprint, verified, ..., added_at}} ---

    private static Map<String, Contact> contacts(JsonNode root) throws AccountException {
        Map<String, Contact> out = new LinkedHashMap<>();
        if (root == null) {
            return out;
        }
        if (!root.isObject()) {
            throw bad(CONTACTS_FILE, "not an object of contacts by uid");
        }
        Set<String> keys = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = "contact " + quote(e.getKey());
            JsonNode c = object(CONTACTS_FILE, where, e.getValue());
            String uid = text(CONTACTS_FILE, where, c, "uid");
            if (!Ids.isUid(uid) || !uid.equals(e.getKey())) {
                throw bad(CONTACTS_FILE, where + ": uid must be 32 lowercase hex characters and match its key");
            }
            String publicKey = publicKey(CONTACTS_FILE, where, c);
            String fingerprint = fingerprint(publicKey);
            JsonNode stated = c.get("fingerprint");
            if (stated != null && !stated.isNull() && !fingerprint.equals(stated.asText().toLowerCase())) {
                throw bad(CONTACTS_FILE, where + ": its fingerprint is not the SHA-256 of its public key");
            }
            if (!keys.add(publicKey)) {
                throw bad(CONTACTS_FILE, where + ": another contact has the same public key");
            }
            out.put(uid, new Contact(uid, name(text(CONTACTS_FILE, where, c, "username"), MAX_NAME), publicKey,
                    fingerprint, endpoint(where, c), bool(CONTACTS_FILE, where, c, "verified"),
                    time(CONTACTS_FILE, where, c.get("added_at")).atOffset(ZoneOffset.UTC)));
        }
        return out;
    }

    private static String endpoint(String where, JsonNode c) throws AccountException {
        JsonNode host = c.get("host");
        JsonNode port = c.get("port");
        if (host == null || host.isNull() || host.asText().isBlank() || host.asText().equals("localhost")) {
            return ""; // what 1.x always wrote for itself: no address
        }
        if (port == null || !port.canConvertToInt() || port.asInt() < 1 || port.asInt() > 65535) {
            throw bad(CONTACTS_FILE, where + ": port must be 1..65535");
        }
        try {
            return Endpoint.tcp(host.asText(), port.asInt()).toString();
        } catch (IllegalArgumentException e) {
            throw bad(CONTACTS_FILE, where + ": bad host (" + e.getMessage() + ")");
        }
    }

    // --- groups.json: {gid: {group_id, name, creator_uid, members: {uid: {...}}, created_at, description}} ---

    private static List<Group> groups(JsonNode root, Map<String, Contact> contacts) throws AccountException {
        List<Group> out = new ArrayList<>();
        if (root == null) {
            return out;
        }
        if (!root.isObject()) {
            throw bad(GROUPS_FILE, "not an object of groups by id");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = "group " + quote(e.getKey());
            JsonNode g = object(GROUPS_FILE, where, e.getValue());
            String id = text(GROUPS_FILE, where, g, "group_id");
            if (!Ids.isGroupId(id) || !id.equals(e.getKey())) {
                throw bad(GROUPS_FILE, where + ": group_id must be g and 31 lowercase hex characters and match its key");
            }
            String creator = text(GROUPS_FILE, where, g, "creator_uid");
            if (!Ids.isUid(creator)) {
                throw bad(GROUPS_FILE, where + ": creator_uid is not a uid");
            }
            JsonNode members = g.get("members");
            if (members == null || !members.isObject()) {
                throw bad(GROUPS_FILE, where + ": members must be an object by uid");
            }
            List<Member> list = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> mi = members.fields(); mi.hasNext();) {
                Map.Entry<String, JsonNode> me = mi.next();
                String mwhere = where + ", member " + quote(me.getKey());
                JsonNode m = object(GROUPS_FILE, mwhere, me.getValue());
                String uid = text(GROUPS_FILE, mwhere, m, "uid");
                if (!Ids.isUid(uid) || !uid.equals(me.getKey())) {
                    throw bad(GROUPS_FILE, mwhere + ": uid must be 32 lowercase hex characters and match its key");
                }
                String key = publicKey(GROUPS_FILE, mwhere, m);
                list.add(new Member(uid, name(text(GROUPS_FILE, mwhere, m, "username"), MAX_NAME), key,
                        bool(GROUPS_FILE, mwhere, m, "is_admin"), time(GROUPS_FILE, mwhere, m.get("joined_at"))));
            }
            if (list.size() > 1024) {
                throw bad(GROUPS_FILE, where + ": more than 1024 members");
            }
            list.sort(Comparator.comparing(Member::joinedAt).thenComparing(Member::uid));
            out.add(new Group(id, name(text(GROUPS_FILE, where, g, "name"), MAX_GROUP_NAME), creator,
                    time(GROUPS_FILE, where, g.get("created_at")).toEpochMilli(), List.copyOf(list)));
        }
        return out;
    }

    // --- messages.json: [{message_id, contact_uid, content, sent_by_me, timestamp, delivered, read, group_id,
    // sender_uid}] ---

    private static List<Message> messages(JsonNode root) throws AccountException {
        List<Message> out = new ArrayList<>();
        if (root == null) {
            return out;
        }
        if (!root.isArray()) {
            throw bad(MESSAGES_FILE, "not an array of messages");
        }
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (JsonNode m : root) {
            String where = "message " + i++;
            object(MESSAGES_FILE, where, m);
            String originalId = text(MESSAGES_FILE, where, m, "message_id");
            if (originalId.isEmpty() || originalId.length() > 128) {
                throw bad(MESSAGES_FILE, where + ": message_id must be 1..128 characters");
            }
            where = "message " + quote(originalId);
            JsonNode group = m.get("group_id");
            String conversation;
            if (group != null && !group.isNull()) {
                conversation = group.asText();
                if (!Ids.isGroupId(conversation)) {
                    throw bad(MESSAGES_FILE, where + ": group_id is not a group id");
                }
            } else {
                // The 1.x UI stored a group message's group id in contact_uid, too.
                conversation = text(MESSAGES_FILE, where, m, "contact_uid");
                if (!Ids.isConversationId(conversation)) {
                    throw bad(MESSAGES_FILE, where + ": contact_uid is neither a uid nor a group id");
                }
            }
            boolean outgoing = bool(MESSAGES_FILE, where, m, "sent_by_me");
            String sender = null;
            if (!outgoing) {
                JsonNode s = m.get("sender_uid");
                sender = s == null || s.isNull() ? conversation : s.asText();
                if (!Ids.isUid(sender)) {
                    throw bad(MESSAGES_FILE, where + ": the sender of a received message must be a uid");
                }
            }
            String text = text(MESSAGES_FILE, where, m, "content");
            if (text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
                throw bad(MESSAGES_FILE, where + ": the text is longer than 64 KiB (the limit of this version)");
            }
            if (!seen.add(conversation + "/" + originalId)) {
                continue; // 1.x stored a message again when it was received again; it is shown once here
            }
            out.add(new Message(originalId, conversation, sender, outgoing, text, bool(MESSAGES_FILE, where, m, "read"),
                    bool(MESSAGES_FILE, where, m, "delivered"), time(MESSAGES_FILE, where, m.get("timestamp"))
                            .toEpochMilli()));
        }
        return out;
    }

    // --- rows for the store ---

    private static final List<AccountContent.Column> CONTACT_COLUMNS = columns("UID:TEXT", "USERNAME:TEXT",
            "PUBLIC_KEY:TEXT", "FINGERPRINT:TEXT", "ENDPOINTS:TEXT", "VERIFIED:BOOLEAN", "KEY_CHANGED:BOOLEAN",
            "ADDED_AT:TIMESTAMP", "LEGACY:BOOLEAN");
    private static final List<AccountContent.Column> GROUP_COLUMNS = columns("ID:TEXT", "NAME:TEXT",
            "CREATOR_UID:TEXT", "VERSION:INTEGER", "STATE:INTEGER", "UPDATED_AT:INTEGER");
    private static final List<AccountContent.Column> MEMBER_COLUMNS = columns("GROUP_ID:TEXT", "POSITION:INTEGER",
            "UID:TEXT", "USERNAME:TEXT", "PUBLIC_KEY:TEXT", "ENDPOINTS:TEXT", "ADMIN:BOOLEAN", "JOINED:BOOLEAN");
    private static final List<AccountContent.Column> MESSAGE_COLUMNS = columns("ID:TEXT", "CONVERSATION_ID:TEXT",
            "SENDER_UID:TEXT", "OUTGOING:BOOLEAN", "BODY:TEXT", "STATE:INTEGER", "SHOWN:BOOLEAN", "PREV_ID:TEXT",
            "STORED_AT:INTEGER");

    /**
     * Hands the data to {@code sink} as table rows for the account {@code selfUid} (whose own entry in a contact
     * list is left out: 1.x could hold it after a user added their own code).
     */
    void rows(String selfUid, AccountContent.Sink sink) throws AccountException {
        Map<String, String> endpoints = new HashMap<>();
        sink.table(StoreTables.CONTACTS, CONTACT_COLUMNS);
        for (Contact c : contacts) {
            endpoints.put(c.uid(), c.endpoints());
            if (!c.uid().equals(selfUid)) {
                sink.row(new Object[] {c.uid(), c.username(), c.publicKeyHex(), c.fingerprint(), c.endpoints(),
                    c.verified(), false, c.addedAt(), true});
            }
        }
        sink.table(StoreTables.GROUPS, GROUP_COLUMNS);
        for (Group g : groups) {
            sink.row(new Object[] {g.id(), g.name(), g.creatorUid(), 1L, (long) JOINED, g.createdAt()});
        }
        sink.table("GRP_MEMBER", MEMBER_COLUMNS);
        for (Group g : groups) {
            long position = 0;
            for (Member m : g.members()) {
                sink.row(new Object[] {g.id(), position++, m.uid(), m.username(), m.publicKeyHex(),
                    endpoints.getOrDefault(m.uid(), ""), m.admin(), true});
            }
        }
        sink.table(StoreTables.MESSAGES, MESSAGE_COLUMNS);
        for (Message m : messages) {
            int state = m.outgoing() ? (m.delivered() ? DELIVERED : SENT) : (m.read() ? READ : DELIVERED);
            sink.row(new Object[] {messageId(m), m.conversationId(), m.outgoing() ? selfUid : m.senderUid(),
                m.outgoing(), m.text(), (long) state, true, null, m.at()});
        }
    }

    /**
     * A message id of this version (48-bit milliseconds, then 80 bits) made from the 1.x message: its time, then a
     * hash of its conversation and 1.x id, so history keeps its order and the same 1.x message always gets the same
     * id.
     */
    static String messageId(Message m) {
        long millis = Math.max(0, Math.min(m.at(), (1L << 48) - 1));
        byte[] id = new byte[16];
        for (int i = 0; i < 6; i++) {
            id[i] = (byte) (millis >>> (40 - 8 * i));
        }
        byte[] hash = sha256((m.conversationId() + "/" + m.originalId()).getBytes(StandardCharsets.UTF_8));
        System.arraycopy(hash, 0, id, 6, 10);
        return HexFormat.of().formatHex(id);
    }

    // --- field helpers ---

    private static JsonNode object(String file, String where, JsonNode node) throws AccountException {
        if (node == null || !node.isObject()) {
            throw bad(file, where + " is not an object");
        }
        return node;
    }

    private static String text(String file, String where, JsonNode o, String field) throws AccountException {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw bad(file, where + ": " + field + " is missing or not a string");
        }
        return v.asText();
    }

    private static boolean bool(String file, String where, JsonNode o, String field) throws AccountException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw bad(file, where + ": " + field + " is not true or false");
        }
        return v.booleanValue();
    }

    private static String publicKey(String file, String where, JsonNode o) throws AccountException {
        String b64 = text(file, where, o, "public_key");
        byte[] key;
        try {
            key = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw bad(file, where + ": public_key is not base64");
        }
        if (key.length != 32) {
            throw bad(file, where + ": public_key is " + key.length + " bytes, not 32");
        }
        return HexFormat.of().formatHex(key);
    }

    /**
     * A 1.x time: ISO-8601 with an offset (what 1.x stored for records) or without one (what its send paths wrote,
     * local time of an unknown zone, read here as UTC). Missing means the start of the epoch, so it sorts first.
     */
    private static Instant time(String file, String where, JsonNode v) throws AccountException {
        if (v == null || v.isNull()) {
            return Instant.EPOCH;
        }
        if (!v.isTextual() || v.asText().length() > 64) {
            throw bad(file, where + ": a time must be an ISO-8601 string");
        }
        String s = v.asText();
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw bad(file, where + ": " + quote(s) + " is not an ISO-8601 time");
            }
        }
    }

    private static String name(String raw, int max) {
        String name = CONTROL.matcher(raw).replaceAll("").strip();
        if (name.length() > max) {
            int end = Character.isHighSurrogate(name.charAt(max - 1)) ? max - 1 : max;
            name = name.substring(0, end).strip();
        }
        return name.isEmpty() ? "unknown" : name;
    }

    static String fingerprint(String publicKeyHex) {
        return HexFormat.of().formatHex(sha256(HexFormat.of().parseHex(publicKeyHex)));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String quote(String s) {
        String shown = CONTROL.matcher(s).replaceAll("?");
        return "'" + (shown.length() > 40 ? shown.substring(0, 40) + "…" : shown) + "'";
    }

    private static List<AccountContent.Column> columns(String... specs) {
        List<AccountContent.Column> out = new ArrayList<>();
        for (String spec : specs) {
            String[] p = spec.split(":");
            out.add(new AccountContent.Column(p[0], AccountContent.Type.valueOf(p[1])));
        }
        return List.copyOf(out);
    }
}
