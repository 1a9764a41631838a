package jarvis.contacts.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jarvis.api.Endpoint;
import jarvis.api.contacts.ContactException;
import jarvis.api.contacts.ContactInvite;

/**
 * Link codes: the text people paste to add each other. Ours is {@code jarvis2:} followed by
 * unpadded base64url of a small binary record ending in a 4-byte SHA-256 check (catches typos and
 * truncation; it is not a signature — comparing fingerprints out of band is what defeats a
 * man-in-the-middle). Jarvis 1.x codes ({@code jarvis://} + base64 JSON) are read too, with the
 * fingerprint recomputed from the key instead of trusted.
 */
final class LinkCode {

    static final String PREFIX = "jarvis2:";
    static final String LEGACY_PREFIX = "jarvis://";
    static final int VERSION = 1;
    /** Longest code accepted, in characters; a full code with 8 endpoints stays far below. */
    static final int MAX_LENGTH = 4096;
    static final int MAX_ENDPOINTS = 8;
    private static final int CHECK = 4;

    static final JsonMapper JSON = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(MAX_LENGTH).maxNestingDepth(8).maxNumberLength(12).build());
    }

    private LinkCode() {
    }

    static String encode(ContactInvite invite) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(VERSION);
        out.writeBytes(HexFormat.of().parseHex(invite.uid()));
        out.writeBytes(HexFormat.of().parseHex(invite.publicKey()));
        byte[] name = truncate(invite.username().getBytes(StandardCharsets.UTF_8), 255);
        out.write(name.length);
        out.writeBytes(name);
        List<Endpoint> endpoints = invite.endpoints().subList(0, Math.min(MAX_ENDPOINTS, invite.endpoints().size()));
        out.write(endpoints.size());
        for (Endpoint e : endpoints) {
            byte[] text = e.toString().getBytes(StandardCharsets.US_ASCII);
            out.write(text.length >> 8);
            out.write(text.length & 0xFF);
            out.writeBytes(text);
        }
        byte[] body = out.toByteArray();
        out.writeBytes(Arrays.copyOf(sha256(body), CHECK));
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    static ContactInvite parse(String text) throws ContactException {
        if (text == null || text.isBlank()) {
            throw new ContactException("the link code is empty");
        }
        String code = text.strip();
        if (code.length() > MAX_LENGTH) {
            throw new ContactException("the link code is too long (over " + MAX_LENGTH + " characters)");
        }
        if (code.startsWith(PREFIX)) {
            return parseOurs(code.substring(PREFIX.length()));
        }
        if (code.startsWith(LEGACY_PREFIX)) {
            return parseLegacy(code.substring(LEGACY_PREFIX.length()));
        }
        throw new ContactException("not a Jarvis link code: it starts with neither " + PREFIX + " nor " + LEGACY_PREFIX);
    }

    private static ContactInvite parseOurs(String body) throws ContactException {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new ContactException("the link code is damaged (not base64url): " + e.getMessage());
        }
        if (bytes.length < 1 + 16 + 32 + 1 + 1 + CHECK) {
            throw new ContactException("the link code is incomplete");
        }
        byte[] content = Arrays.copyOf(bytes, bytes.length - CHECK);
        byte[] check = Arrays.copyOfRange(bytes, bytes.length - CHECK, bytes.length);
        if (!MessageDigest.isEqual(Arrays.copyOf(sha256(content), CHECK), check)) {
            throw new ContactException("the link code is damaged (its check does not match): copy it again");
        }
        ByteBuffer in = ByteBuffer.wrap(content);
        try {
            int version = in.get() & 0xFF;
            if (version != VERSION) {
                throw new ContactException("link code version " + version + " is newer than this Jarvis understands");
            }
            byte[] uid = new byte[16];
            in.get(uid);
            byte[] key = new byte[32];
            in.get(key);
            byte[] name = new byte[in.get() & 0xFF];
            in.get(name);
            int count = in.get() & 0xFF;
            if (count > MAX_ENDPOINTS) {
                throw new ContactException("the link code lists too many endpoints (" + count + ")");
            }
            List<Endpoint> endpoints = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] e = new byte[in.getShort() & 0xFFFF];
                if (e.length > Endpoint.MAX_LENGTH) {
                    throw new ContactException("an endpoint in the link code is too long");
                }
                in.get(e);
                endpoints.add(endpoint(new String(e, StandardCharsets.US_ASCII)));
            }
            if (in.hasRemaining()) {
                throw new ContactException("the link code has unexpected bytes at its end");
            }
            return new ContactInvite(HexFormat.of().formatHex(uid), username(name), HexFormat.of().formatHex(key),
                    endpoints, false);
        } catch (BufferUnderflowException e) {
            throw new ContactException("the link code is incomplete");
        }
    }

    /** A Jarvis 1.x code: base64 JSON with uid, username, public_key (base64), fingerprint, host, port. */
    private static ContactInvite parseLegacy(String body) throws ContactException {
        byte[] json;
        try {
            // 1.x decoded leniently; whitespace from line-wrapped pastes is the only leniency we keep.
            json = Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new ContactException("the Jarvis 1.x link code is damaged (not base64)");
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new ContactException("the Jarvis 1.x link code does not hold valid JSON");
        }
        return fromLegacyJson(node, "link code");
    }

    /** The fields shared by 1.x link codes and 1.x contact cards. */
    static ContactInvite fromLegacyJson(JsonNode node, String what) throws ContactException {
        if (node == null || !node.isObject()) {
            throw new ContactException("the Jarvis 1.x " + what + " is not a JSON object");
        }
        for (String field : new String[] {"uid", "username", "public_key", "fingerprint", "host", "port"}) {
            if (!node.hasNonNull(field)) {
                throw new ContactException("the Jarvis 1.x " + what + " lacks " + field);
            }
        }
        String uid = node.get("uid").asText().toLowerCase(Locale.ROOT);
        if (!jarvis.api.Ids.isUid(uid)) {
            throw new ContactException("the Jarvis 1.x " + what + " has an invalid uid");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(node.get("public_key").asText());
        } catch (IllegalArgumentException e) {
            throw new ContactException("the Jarvis 1.x " + what + " has an invalid public key");
        }
        if (key.length != 32) {
            throw new ContactException("the Jarvis 1.x " + what + "'s public key has " + key.length + " bytes, not 32");
        }
        String keyHex = HexFormat.of().formatHex(key);
        String claimed = node.get("fingerprint").asText().toLowerCase(Locale.ROOT);
        if (!ContactBook.fingerprintOf(keyHex).equals(claimed)) {
            throw new ContactException("the Jarvis 1.x " + what + "'s fingerprint does not belong to its key: refused");
        }
        List<Endpoint> endpoints = new ArrayList<>();
        String host = node.get("host").asText();
        JsonNode port = node.get("port");
        // 1.x always wrote "localhost": that names no address anyone else can use.
        if (!host.isBlank() && !host.equalsIgnoreCase("localhost")) {
            if (!port.canConvertToInt() || port.asInt() < 1 || port.asInt() > 65535) {
                throw new ContactException("the Jarvis 1.x " + what + " has an invalid port");
            }
            String bare = host.length() > 1 && host.startsWith("[") && host.endsWith("]")
                    ? host.substring(1, host.length() - 1) : host;
            Endpoint address;
            try {
                address = new Endpoint("tcp", bare, port.asInt());
            } catch (IllegalArgumentException e) {
                throw new ContactException("the Jarvis 1.x " + what + " has an invalid host: " + e.getMessage());
            }
            endpoints.add(endpoint(address.toString()));
        }
        return new ContactInvite(uid, username(node.get("username").asText().getBytes(StandardCharsets.UTF_8)),
                keyHex, endpoints, true);
    }

    private static Endpoint endpoint(String text) throws ContactException {
        try {
            Endpoint e = Endpoint.parse(text);
            if (e.port() == 0) {
                throw new ContactException("endpoint " + text + " has no port");
            }
            return e;
        } catch (IllegalArgumentException e) {
            throw new ContactException("the link code has an invalid endpoint: " + e.getMessage());
        }
    }

    private static String username(byte[] utf8) throws ContactException {
        try {
            String name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
            return ContactBook.sanitize(name);
        } catch (CharacterCodingException e) {
            throw new ContactException("the name in the link code is not valid UTF-8");
        }
    }

    /** Cuts UTF-8 bytes at a character boundary. */
    private static byte[] truncate(byte[] utf8, int max) {
        if (utf8.length <= max) {
            return utf8;
        }
        int end = max;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--;
        }
        return Arrays.copyOf(utf8, end);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
