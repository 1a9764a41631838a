package jarvis.identity.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import jarvis.api.Ids;
import jarvis.api.identity.IdentityException;
import jarvis.crypto.ConstantTime;
import jarvis.crypto.Secrets;
import jarvis.crypto.X25519KeyPair;

/**
 * The decrypted content of a Jarvis 1.x {@code identity.enc}: Python {@code json.dumps} of {@code uid},
 * {@code username}, {@code keypair} ({@code private}, {@code public}: base64 of the raw 32 bytes),
 * {@code created_at} (ISO-8601), {@code fingerprint} and {@code listen_port}. Unlike 1.x, which trusted the
 * stored public key and fingerprint, both are checked against the private key.
 */
final class LegacyIdentity {

    static final String LABEL = "Jarvis 1.x identity file";

    private LegacyIdentity() {
    }

    /**
     * Parses the decrypted JSON (UTF-8); the caller wipes {@code plaintext}.
     *
     * @throws IdentityException CORRUPTED naming the missing or bad member
     */
    static IdentityRecord parse(byte[] plaintext) throws IdentityException {
        char[] text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(plaintext));
            text = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
            Arrays.fill(chars.array(), '\0');
        } catch (CharacterCodingException e) {
            throw Failures.corrupted(LABEL, "content is not UTF-8");
        }
        Object json;
        try {
            json = SecretJson.parse(text);
        } catch (IllegalArgumentException e) {
            throw Failures.corrupted(LABEL, "content is not JSON (" + e.getMessage() + ")");
        } finally {
            Arrays.fill(text, '\0');
        }
        try {
            return record(json);
        } finally {
            SecretJson.wipe(json);
        }
    }

    private static IdentityRecord record(Object json) throws IdentityException {
        if (!(json instanceof Map)) {
            throw Failures.corrupted(LABEL, "content is not a JSON object");
        }
        Map<?, ?> members = (Map<?, ?>) json;
        String uid = text(members, "uid");
        if (!Ids.isUid(uid)) {
            throw Failures.corrupted(LABEL, "uid is not 32 lowercase hex characters");
        }
        String username = text(members, "username");
        try {
            IdentityRecord.checkUsername(username);
        } catch (IdentityException e) {
            throw Failures.corrupted(LABEL, "username: " + e.getMessage());
        }
        Instant createdAt = time(text(members, "created_at"));
        Object keypair = members.get("keypair");
        if (!(keypair instanceof Map)) {
            throw Failures.corrupted(LABEL, "keypair missing");
        }
        byte[] privateKey = base64((Map<?, ?>) keypair, "private");
        X25519KeyPair keyPair;
        try {
            keyPair = X25519KeyPair.fromPrivateKey(privateKey);
        } finally {
            Secrets.wipe(privateKey);
        }
        try {
            if (((Map<?, ?>) keypair).containsKey("public")
                    && !ConstantTime.equals(base64((Map<?, ?>) keypair, "public"), keyPair.publicKey())) {
                throw Failures.corrupted(LABEL, "public key does not match the private key");
            }
            if (members.containsKey("fingerprint") && !keyPair.fingerprint().hex().equals(text(members, "fingerprint"))) {
                throw Failures.corrupted(LABEL, "fingerprint does not match the key");
            }
        } catch (IdentityException e) {
            keyPair.destroy();
            throw e;
        }
        return new IdentityRecord(uid, username, createdAt, keyPair);
    }

    private static String text(Map<?, ?> members, String name) throws IdentityException {
        Object value = members.get(name);
        if (!(value instanceof char[])) {
            throw Failures.corrupted(LABEL, name + " missing or not a string");
        }
        return new String((char[]) value);
    }

    /** Base64 of a raw 32-byte key, decoded without making a String of it. */
    private static byte[] base64(Map<?, ?> members, String name) throws IdentityException {
        Object value = members.get(name);
        if (!(value instanceof char[])) {
            throw Failures.corrupted(LABEL, "keypair." + name + " missing or not a string");
        }
        char[] chars = (char[]) value;
        byte[] ascii = new byte[chars.length];
        try {
            for (int i = 0; i < chars.length; i++) {
                if (chars[i] > 0x7f) {
                    throw Failures.corrupted(LABEL, "keypair." + name + " is not base64");
                }
                ascii[i] = (byte) chars[i];
            }
            byte[] key = Base64.getDecoder().decode(ascii);
            if (key.length != X25519KeyPair.KEY_LENGTH) {
                Secrets.wipe(key);
                throw Failures.corrupted(LABEL, "keypair." + name + " is not 32 bytes");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw Failures.corrupted(LABEL, "keypair." + name + " is not base64");
        } finally {
            Secrets.wipe(ascii);
        }
    }

    /** 1.x writes {@code datetime.now(timezone.utc).isoformat()}; a time without offset is taken as UTC. */
    private static Instant time(String text) throws IdentityException {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw Failures.corrupted(LABEL, "created_at is not an ISO-8601 time");
            }
        }
    }
}
