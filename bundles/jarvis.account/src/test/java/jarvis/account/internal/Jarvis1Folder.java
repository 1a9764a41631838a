package jarvis.account.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import jarvis.crypto.LegacyJarvis1Crypto;

/**
 * A Jarvis 1.x data directory as 1.x writes it (Python {@code json.dumps}, 2-space indent), built from the values
 * 1.x itself produced (the known-answer vectors of the original, commit dcdced5): the identity is key pair "a" with
 * the link code's uid and user name, sealed in {@code identity.enc} under the vectors' password; its contact is key
 * pair "b".
 */
final class Jarvis1Folder {

    static final String PASSWORD = "correct horse";
    static final String UID = "0123456789abcdef0123456789abcdef";
    static final String USERNAME = "alice";
    static final String A_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    static final String A_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    static final String A_FINGERPRINT = "300c9c9603b92a4b39ed3958bf9240114804db4fd373012c0ca47432d63425ae";
    static final String B_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    static final String B_FINGERPRINT = "f35e5616160a30bf3c6e79fa73c576d40205e8fc3ba4e1c6dcf93e6b98e857b4";
    static final String BOB_UID = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";
    static final String CAROL_UID = "ca401ca401ca401ca401ca401ca401ca";
    static final String CAROL_PUBLIC = "11".repeat(32);
    static final String GROUP_ID = "g0123456789abcdef0123456789abcde";

    private Jarvis1Folder() {
    }

    static String b64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    static String identityJson() {
        return "{\"uid\": \"" + UID + "\", \"username\": \"" + USERNAME + "\", \"keypair\": {\"private\": \""
                + b64(A_PRIVATE) + "\", \"public\": \"" + b64(A_PUBLIC) + "\"}, \"created_at\": "
                + "\"2025-03-14T09:26:53.589793+00:00\", \"fingerprint\": \"" + A_FINGERPRINT
                + "\", \"listen_port\": 5000}";
    }

    static String contactsJson() {
        return """
                {
                  "%s": {
                    "uid": "%s",
                    "username": "bob",
                    "public_key": "%s",
                    "host": "203.0.113.7",
                    "port": 5000,
                    "fingerprint": "%s",
                    "verified": true,
                    "notes": "",
                    "last_seen": "2025-03-15T10:00:00+00:00",
                    "status": "offline",
                    "added_at": "2025-03-14T10:00:00.000001+00:00"
                  },
                  "%s": {
                    "uid": "%s",
                    "username": "carol\\u001b[2J",
                    "public_key": "%s",
                    "host": "localhost",
                    "port": 5000,
                    "fingerprint": "%s",
                    "verified": false,
                    "notes": "",
                    "last_seen": null,
                    "status": "online",
                    "added_at": "2025-03-14T11:00:00+00:00"
                  }
                }""".formatted(BOB_UID, BOB_UID, b64(B_PUBLIC), B_FINGERPRINT, CAROL_UID, CAROL_UID, b64(CAROL_PUBLIC),
                LegacyData.fingerprint(CAROL_PUBLIC));
    }

    static String groupsJson() {
        return """
                {
                  "%s": {
                    "group_id": "%s",
                    "name": "friends",
                    "creator_uid": "%s",
                    "members": {
                      "%s": {"uid": "%s", "username": "alice", "public_key": "%s", "fingerprint": "%s", "is_admin": true, "joined_at": "2025-03-16T08:00:00+00:00"},
                      "%s": {"uid": "%s", "username": "bob", "public_key": "%s", "fingerprint": "%s", "is_admin": false, "joined_at": "2025-03-16T08:00:01+00:00"}
                    },
                    "created_at": "2025-03-16T08:00:00+00:00",
                    "description": ""
                  }
                }""".formatted(GROUP_ID, GROUP_ID, UID, UID, UID, b64(A_PUBLIC), A_FINGERPRINT, BOB_UID, BOB_UID,
                b64(B_PUBLIC), B_FINGERPRINT);
    }

    /** Direct messages both ways (read and unread), a naive local timestamp, a group message, and a duplicate. */
    static String messagesJson() {
        return "[" + String.join(", ",
                message("m1", BOB_UID, "hi bob", true, "2025-03-15T10:00:00.000001+00:00", false, true, null, UID),
                message("m2", BOB_UID, "hi alice", false, "2025-03-15T10:00:05", false, true, null, BOB_UID),
                message("m3", BOB_UID, "are you there? \u00fc\ud83c\udf38", false, "2025-03-15T10:01:00+00:00", false,
                        false, null, BOB_UID),
                message("m3", BOB_UID, "are you there? \u00fc\ud83c\udf38", false, "2025-03-15T10:01:00+00:00", false,
                        false, null, BOB_UID),
                message("m4", GROUP_ID, "hello friends", true, "2025-03-16T09:00:00+00:00", false, true, GROUP_ID, UID),
                message("m5", GROUP_ID, "hello from bob", false, "2025-03-16T09:00:10+00:00", false, false, GROUP_ID,
                        BOB_UID))
                + "]";
    }

    static String message(String id, String contactUid, String content, boolean sentByMe, String timestamp,
            boolean delivered, boolean read, String groupId, String senderUid) {
        return "{\"message_id\": \"" + id + "\", \"contact_uid\": \"" + contactUid + "\", \"content\": \""
                + escape(content) + "\", \"sent_by_me\": " + sentByMe + ", \"timestamp\": \"" + timestamp
                + "\", \"delivered\": " + delivered + ", \"read\": " + read + ", \"encrypted\": true, \"group_id\": "
                + (groupId == null ? "null" : "\"" + groupId + "\"") + ", \"sender_uid\": \"" + senderUid + "\"}";
    }

    /** Python's json.dumps default: non-ASCII as \\u escapes. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Writes the four files into {@code dir} (created); returns their names and contents. */
    static Map<String, String> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        LegacyJarvis1Crypto.IdentityEnvelope envelope = LegacyJarvis1Crypto.sealIdentity(PASSWORD.toCharArray(),
                identityJson().getBytes(StandardCharsets.UTF_8), new SecureRandom());
        Map<String, String> files = new LinkedHashMap<>();
        files.put("identity.enc", envelope.toJson());
        files.put("contacts.json", contactsJson());
        files.put("groups.json", groupsJson());
        files.put("messages.json", messagesJson());
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        return files;
    }
}
