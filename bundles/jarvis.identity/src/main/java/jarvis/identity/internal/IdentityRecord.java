package jarvis.identity.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import javax.security.auth.Destroyable;

import jarvis.api.IdentitySummary;
import jarvis.api.identity.IdentityException;
import jarvis.crypto.ConstantTime;
import jarvis.crypto.Secrets;
import jarvis.crypto.X25519KeyPair;

/**
 * The identity itself, as held in the {@link Sections#IDENTITY} section: uid, user name, creation time and
 * the X25519 key pair. {@link #destroy()} wipes the private key.
 *
 * <p>Section bytes: uid (16), created_at seconds (i64) and nanoseconds (i32) since the epoch, UTC, private
 * key (32), public key (32), user name length (u16) and UTF-8 bytes.
 */
final class IdentityRecord implements Destroyable {

    static final int UID_LENGTH = 16;
    static final int MAX_USERNAME_CHARS = 128;
    private static final int FIXED_LENGTH = UID_LENGTH + 8 + 4 + 2 * X25519KeyPair.KEY_LENGTH + 2;

    private final String uid;
    private final String username;
    private final Instant createdAt;
    private final X25519KeyPair keyPair;

    IdentityRecord(String uid, String username, Instant createdAt, X25519KeyPair keyPair) {
        this.uid = uid;
        this.username = username;
        this.createdAt = createdAt;
        this.keyPair = keyPair;
    }

    /** A new identity: random uid, fresh key pair, created now (to the millisecond, as people read it). */
    static IdentityRecord generate(String username, SecureRandom random) {
        byte[] uid = new byte[UID_LENGTH];
        random.nextBytes(uid);
        return new IdentityRecord(Hex.encode(uid), username, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                X25519KeyPair.generate(random));
    }

    /**
     * Checks a user name: not blank, at most {@value #MAX_USERNAME_CHARS} characters, no control characters
     * (which could rewrite a terminal line when shown), valid Unicode.
     */
    static String checkUsername(String username) throws IdentityException {
        if (username == null || username.isBlank()) {
            throw Failures.invalid("the user name must not be empty");
        }
        if (username.length() > MAX_USERNAME_CHARS) {
            throw Failures.invalid("the user name must be at most " + MAX_USERNAME_CHARS + " characters");
        }
        for (int i = 0; i < username.length(); i++) {
            char c = username.charAt(i);
            if (Character.isISOControl(c)) {
                throw Failures.invalid("the user name must not contain control characters");
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < username.length()
                    && Character.isLowSurrogate(username.charAt(++i)))) {
                throw Failures.invalid("the user name is not valid Unicode");
            }
        }
        return username;
    }

    String uid() {
        return uid;
    }

    String username() {
        return username;
    }

    Instant createdAt() {
        return createdAt;
    }

    X25519KeyPair keyPair() {
        return keyPair;
    }

    IdentitySummary summary(boolean unlocked) {
        return new IdentitySummary(uid, username, keyPair.fingerprint().hex(), createdAt, unlocked);
    }

    /** The section bytes; they hold the private key, the caller wipes them. */
    byte[] encode() {
        byte[] name = username.getBytes(StandardCharsets.UTF_8);
        byte[] privateKey = keyPair.privateKey();
        ByteBuffer out = ByteBuffer.allocate(FIXED_LENGTH + name.length);
        out.put(Hex.decode(uid))
                .putLong(createdAt.getEpochSecond())
                .putInt(createdAt.getNano())
                .put(privateKey)
                .put(keyPair.publicKey())
                .putShort((short) name.length)
                .put(name);
        Secrets.wipe(privateKey);
        return out.array();
    }

    /**
     * Parses section bytes; the public key must be the private key's (a mismatch means the record was not
     * written by Jarvis).
     *
     * @param label the file kind, for the error message
     */
    static IdentityRecord decode(byte[] data, String label) throws IdentityException {
        if (data.length < FIXED_LENGTH) {
            throw Failures.corrupted(label, "identity record truncated");
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        byte[] uid = new byte[UID_LENGTH];
        byte[] privateKey = new byte[X25519KeyPair.KEY_LENGTH];
        byte[] publicKey = new byte[X25519KeyPair.KEY_LENGTH];
        try {
            in.get(uid);
            long seconds = in.getLong();
            int nanos = in.getInt();
            in.get(privateKey);
            in.get(publicKey);
            int nameLength = Short.toUnsignedInt(in.getShort());
            if (nameLength != in.remaining()) {
                throw Failures.corrupted(label, "identity record has a bad user name length");
            }
            String username = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
            Instant createdAt;
            try {
                createdAt = Instant.ofEpochSecond(seconds, nanos);
            } catch (DateTimeException | ArithmeticException e) {
                throw Failures.corrupted(label, "identity record has a bad creation time");
            }
            try {
                checkUsername(username);
            } catch (IdentityException e) {
                throw Failures.corrupted(label, "identity record has a bad user name");
            }
            X25519KeyPair keyPair = X25519KeyPair.fromPrivateKey(privateKey);
            if (!ConstantTime.equals(keyPair.publicKey(), publicKey)) {
                keyPair.destroy();
                throw Failures.corrupted(label, "public key does not match the private key");
            }
            return new IdentityRecord(Hex.encode(uid), username, createdAt, keyPair);
        } catch (BufferUnderflowException e) {
            throw Failures.corrupted(label, "identity record truncated");
        } catch (CharacterCodingException e) {
            throw Failures.corrupted(label, "identity record user name is not UTF-8");
        } finally {
            Secrets.wipe(privateKey);
        }
    }

    @Override
    public void destroy() {
        keyPair.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return keyPair.isDestroyed();
    }

    @Override
    public String toString() {
        return "IdentityRecord[" + uid + "]";
    }
}
