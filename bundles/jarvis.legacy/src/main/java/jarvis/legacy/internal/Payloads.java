package jarvis.legacy.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON payloads of the 1.x frames this side sends and reads (docs/legacy.md has the field lists). */
final class Payloads {

    /** What a handshake frame says about its sender; only the fingerprint is checked. */
    record Hello(String uid, String username, String fingerprint, boolean accepted) {
    }

    /** A TEXT_MESSAGE or GROUP_MESSAGE; {@code content} is ignored whatever it holds. */
    record Text(String messageId, String groupId, String timestamp, String encryptedJson) {
    }

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxNumberLength(20)
                    .maxStringLength(Frame.MAX_PAYLOAD).build())
            .build());
    /** Python's naive {@code datetime.isoformat()}: 1.x peers send local time without a zone; we send UTC. */
    private static final DateTimeFormatter PYTHON_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
    static final byte[] EMPTY = "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Payloads() {
    }

    static byte[] handshake(String uid, String username, String fingerprint) {
        return new PythonJson().put("uid", uid).put("username", username).put("public_key", fingerprint)
                .put("protocol_version", 1).bytes();
    }

    static byte[] handshakeResponse(String uid, String username, String fingerprint) {
        return new PythonJson().put("uid", uid).put("username", username).put("public_key", fingerprint)
                .put("accepted", true).bytes();
    }

    /** A direct message; the plaintext copy 1.x put in {@code content} is always empty here. */
    static byte[] text(String messageId, Instant sentAt, String encryptedJson) {
        return new PythonJson().put("message_id", messageId).put("content", "").put("timestamp", time(sentAt))
                .put("encrypted", new PythonJson.Raw(encryptedJson)).bytes();
    }

    static byte[] group(String groupId, String messageId, String senderUid, Instant sentAt, String encryptedJson) {
        return new PythonJson().put("group_id", groupId).put("message_id", messageId).put("sender_uid", senderUid)
                .put("content", "").put("timestamp", time(sentAt)).put("encrypted", new PythonJson.Raw(encryptedJson))
                .bytes();
    }

    static String time(Instant t) {
        return PYTHON_TIME.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }

    static Hello readHello(byte[] payload) throws ProtocolViolation {
        JsonNode o = object(payload);
        return new Hello(string(o, "uid", false), string(o, "username", false), string(o, "public_key", true),
                o.path("accepted").asBoolean(false));
    }

    static Text readText(byte[] payload, boolean group) throws ProtocolViolation {
        JsonNode o = object(payload);
        JsonNode encrypted = o.get("encrypted");
        if (encrypted == null || !encrypted.isObject()) {
            throw new ProtocolViolation("message without an encrypted object");
        }
        return new Text(string(o, "message_id", true), group ? string(o, "group_id", true) : null,
                string(o, "timestamp", false), encrypted.toString());
    }

    private static JsonNode object(byte[] payload) throws ProtocolViolation {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (IOException e) {
            throw new ProtocolViolation("payload is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolViolation("payload is not a JSON object");
        }
        return node;
    }

    private static String string(JsonNode o, String name, boolean required) throws ProtocolViolation {
        JsonNode v = o.get(name);
        if (v == null || !v.isTextual()) {
            if (required) {
                throw new ProtocolViolation("member " + name + " missing or not a string");
            }
            return "";
        }
        return v.asText();
    }
}
