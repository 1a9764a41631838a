package jarvis.identity.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

import jarvis.api.identity.IdentityException;
import jarvis.crypto.Aead;
import jarvis.crypto.Argon2id;
import jarvis.crypto.AuthenticationFailedException;
import jarvis.crypto.Hkdf;
import jarvis.crypto.Secrets;

/**
 * The encrypted file format shared by the identity file and the account export (specified in
 * {@code docs/storage.md}): password → Argon2id (cost and salt stored in the file) → key-encryption key,
 * which wraps (AES-256-GCM) a random 32-byte master key; the master key's HKDF subkey encrypts the content
 * (a {@link Sections} list). A trailing SHA-256 of the whole file tells corruption apart from a wrong
 * password; it is not a security feature (the AEAD tags are).
 *
 * <pre>
 * magic "JARVISKF" (8) | version u16 = 1 | kind u8 | kdf u8 = 1 (Argon2id v1.3)
 * memory KiB u32 | iterations u32 | parallelism u32 | salt length u8 | salt
 * wrap nonce (12) | wrapped master key (48)     AD = every byte before it
 * body nonce (12) | body length u32 | body      AD = magic, version, kind (the first 11 bytes)
 * SHA-256 of every byte before it (32)
 * </pre>
 *
 * The body's associated data leaves out the KDF header, so a password change rewrites the header and keeps
 * the body byte for byte.
 */
final class KeyFile {

    /** What a key file holds; the kind is authenticated and selects the body key. */
    enum Kind {
        IDENTITY(1, "identity file", "jarvis/2 identity record key"),
        EXPORT(2, "account export", "jarvis/2 account export key");

        final int code;
        final String label;
        final byte[] bodyKeyInfo;

        Kind(int code, String label, String bodyKeyInfo) {
            this.code = code;
            this.label = label;
            this.bodyKeyInfo = bodyKeyInfo.getBytes(StandardCharsets.US_ASCII);
        }
    }

    static final byte[] MAGIC = "JARVISKF".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int KDF_ARGON2ID = 1;
    static final int MASTER_KEY_LENGTH = 32;
    static final int SALT_LENGTH = 16;
    static final int CHECKSUM_LENGTH = 32;
    /** Bytes covered by the body's associated data: magic, version, kind. */
    static final int BODY_AD_LENGTH = MAGIC.length + 3;
    /** Largest body accepted (an export with contacts and groups stays far below). */
    static final int MAX_BODY_LENGTH = 64 * 1024 * 1024;
    /** Largest header: fixed fields, a 64-byte salt, nonces, wrapped key, body length. */
    static final int MAX_HEADER_LENGTH = 8 + 2 + 1 + 1 + 12 + 1 + 64 + 12 + 48 + 12 + 4;
    static final long MAX_FILE_LENGTH = MAX_HEADER_LENGTH + (long) MAX_BODY_LENGTH + CHECKSUM_LENGTH;

    /** Upper bounds on a stored cost, so that a crafted file cannot ask for gigabytes or hours. */
    static final int MAX_MEMORY_KIB = 1024 * 1024;
    static final int MAX_ITERATIONS = 64;
    static final int MAX_PARALLELISM = 16;

    private static final byte[] STORE_KEY_INFO = "jarvis/2 store key".getBytes(StandardCharsets.US_ASCII);

    private final Kind kind;
    private final byte[] bytes;
    private final Argon2id.Cost cost;
    private final byte[] salt;
    private final int wrapAdLength;
    private final byte[] wrapNonce;
    private final byte[] wrappedKey;
    private final int bodyStart;
    private final byte[] bodyNonce;
    private final byte[] body;

    private KeyFile(Kind kind, byte[] bytes, Argon2id.Cost cost, byte[] salt, int wrapAdLength, byte[] wrapNonce,
            byte[] wrappedKey, int bodyStart, byte[] bodyNonce, byte[] body) {
        this.kind = kind;
        this.bytes = bytes;
        this.cost = cost;
        this.salt = salt;
        this.wrapAdLength = wrapAdLength;
        this.wrapNonce = wrapNonce;
        this.wrappedKey = wrappedKey;
        this.bodyStart = bodyStart;
        this.bodyNonce = bodyNonce;
        this.body = body;
    }

    /**
     * Parses and checks the structure and checksum of a file of {@code kind}; nothing is decrypted.
     *
     * @throws IdentityException CORRUPTED, naming what is wrong
     */
    static KeyFile parse(byte[] bytes, Kind kind) throws IdentityException {
        String label = kind.label;
        if (bytes.length < MAGIC.length || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw Failures.corrupted(label, "not a Jarvis key file");
        }
        if (bytes.length < CHECKSUM_LENGTH + BODY_AD_LENGTH) {
            throw Failures.corrupted(label, "truncated");
        }
        int contentLength = bytes.length - CHECKSUM_LENGTH;
        byte[] expected = sha256(bytes, contentLength);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, contentLength, bytes.length))) {
            throw Failures.corrupted(label, "checksum mismatch (truncated or modified)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, contentLength);
        in.position(MAGIC.length);
        try {
            int version = Short.toUnsignedInt(in.getShort());
            if (version != VERSION) {
                throw Failures.corrupted(label, "format version " + version + " is not supported by this Jarvis");
            }
            int kindCode = Byte.toUnsignedInt(in.get());
            if (kindCode != kind.code) {
                throw Failures.corrupted(label, "it is not an " + label + " (kind " + kindCode + ")");
            }
            int kdf = Byte.toUnsignedInt(in.get());
            if (kdf != KDF_ARGON2ID) {
                throw Failures.corrupted(label, "unknown key derivation " + kdf);
            }
            int memory = in.getInt();
            int iterations = in.getInt();
            int parallelism = in.getInt();
            Argon2id.Cost cost = checkedCost(memory, iterations, parallelism, label);
            int saltLength = Byte.toUnsignedInt(in.get());
            if (saltLength < 16 || saltLength > 64) {
                throw Failures.corrupted(label, "salt length " + saltLength);
            }
            byte[] salt = take(in, saltLength);
            byte[] wrapNonce = take(in, Aead.NONCE_LENGTH);
            int wrapAdLength = in.position();
            byte[] wrappedKey = take(in, MASTER_KEY_LENGTH + Aead.TAG_LENGTH);
            int bodyStart = in.position();
            byte[] bodyNonce = take(in, Aead.NONCE_LENGTH);
            int bodyLength = in.getInt();
            if (bodyLength < Aead.TAG_LENGTH || bodyLength > MAX_BODY_LENGTH || bodyLength != in.remaining()) {
                throw Failures.corrupted(label, "body length " + Integer.toUnsignedString(bodyLength)
                        + " does not match the file");
            }
            byte[] body = take(in, bodyLength);
            return new KeyFile(kind, bytes, cost, salt, wrapAdLength, wrapNonce, wrappedKey, bodyStart, bodyNonce,
                    body);
        } catch (BufferUnderflowException e) {
            throw Failures.corrupted(label, "truncated");
        }
    }

    private static Argon2id.Cost checkedCost(int memory, int iterations, int parallelism, String label)
            throws IdentityException {
        if (memory < 8 || memory > MAX_MEMORY_KIB || iterations < 1 || iterations > MAX_ITERATIONS
                || parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw Failures.corrupted(label, "unacceptable Argon2id cost m=" + Integer.toUnsignedString(memory)
                    + " KiB, t=" + Integer.toUnsignedString(iterations) + ", p="
                    + Integer.toUnsignedString(parallelism));
        }
        try {
            return Argon2id.Cost.of(memory, iterations, parallelism);
        } catch (IllegalArgumentException e) {
            throw Failures.corrupted(label, "unacceptable Argon2id cost: " + e.getMessage());
        }
    }

    /**
     * A new file: {@code masterKey} wrapped under {@code password} with a fresh salt, {@code content} (a
     * {@link Sections} list) sealed under the master key's body subkey.
     */
    static byte[] seal(Kind kind, Argon2id.Cost cost, char[] password, byte[] masterKey, byte[] content,
            SecureRandom random) {
        byte[] bodyNonce = new byte[Aead.NONCE_LENGTH];
        random.nextBytes(bodyNonce);
        byte[] bodyKey = subkey(masterKey, kind.bodyKeyInfo);
        byte[] body;
        try {
            body = Aead.AES_256_GCM.seal(bodyKey, bodyNonce, bodyAd(kind), content);
        } finally {
            Secrets.wipe(bodyKey);
        }
        return assemble(kind, cost, password, masterKey, bodyNonce, body, random);
    }

    /** The same file under a new password and cost: new salt and wrap, the body kept byte for byte. */
    byte[] rewrap(Argon2id.Cost newCost, char[] newPassword, byte[] masterKey, SecureRandom random) {
        return assemble(kind, newCost, newPassword, masterKey, bodyNonce, body, random);
    }

    private static byte[] assemble(Kind kind, Argon2id.Cost cost, char[] password, byte[] masterKey,
            byte[] bodyNonce, byte[] body, SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        byte[] wrapNonce = new byte[Aead.NONCE_LENGTH];
        random.nextBytes(salt);
        random.nextBytes(wrapNonce);
        ByteBuffer out = ByteBuffer.allocate(MAX_HEADER_LENGTH + body.length + CHECKSUM_LENGTH);
        out.put(MAGIC).putShort((short) VERSION).put((byte) kind.code).put((byte) KDF_ARGON2ID)
                .putInt(cost.memoryKiB()).putInt(cost.iterations()).putInt(cost.parallelism())
                .put((byte) salt.length).put(salt).put(wrapNonce);
        byte[] wrapAd = Arrays.copyOf(out.array(), out.position());
        byte[] kek = Argon2id.derive(password, salt, cost, Aead.KEY_LENGTH);
        try {
            out.put(Aead.AES_256_GCM.seal(kek, wrapNonce, wrapAd, masterKey));
        } finally {
            Secrets.wipe(kek);
        }
        out.put(bodyNonce).putInt(body.length).put(body);
        int contentLength = out.position();
        out.put(sha256(out.array(), contentLength));
        return Arrays.copyOf(out.array(), out.position());
    }

    /**
     * The master key, if {@code password} is right. Runs Argon2id at the file's cost.
     *
     * @throws IdentityException WRONG_PASSWORD (the checksum already ruled out corruption)
     */
    byte[] unwrapMasterKey(char[] password) throws IdentityException {
        byte[] kek = Argon2id.derive(password, salt, cost, Aead.KEY_LENGTH);
        try {
            byte[] masterKey = Aead.AES_256_GCM.open(kek, wrapNonce, Arrays.copyOf(bytes, wrapAdLength), wrappedKey);
            if (masterKey.length != MASTER_KEY_LENGTH) {
                Secrets.wipe(masterKey);
                throw Failures.corrupted(kind.label, "master key has the wrong length");
            }
            return masterKey;
        } catch (AuthenticationFailedException e) {
            throw Failures.wrongPassword();
        } finally {
            Secrets.wipe(kek);
        }
    }

    /**
     * The decrypted {@link Sections} bytes (the caller wipes them).
     *
     * @throws IdentityException CORRUPTED if the body does not open under this master key
     */
    byte[] openBody(byte[] masterKey) throws IdentityException {
        byte[] bodyKey = subkey(masterKey, kind.bodyKeyInfo);
        try {
            return Aead.AES_256_GCM.open(bodyKey, bodyNonce, bodyAd(kind), body);
        } catch (AuthenticationFailedException e) {
            throw Failures.corrupted(kind.label, "content does not decrypt");
        } finally {
            Secrets.wipe(bodyKey);
        }
    }

    /** The store's data-at-rest key: HKDF-SHA256(master key, info "jarvis/2 store key"). */
    static byte[] storeKey(byte[] masterKey) {
        return subkey(masterKey, STORE_KEY_INFO);
    }

    Argon2id.Cost cost() {
        return cost;
    }

    /** Offset of the body nonce: everything from here to the checksum survives a password change. */
    int bodyStart() {
        return bodyStart;
    }

    private static byte[] subkey(byte[] masterKey, byte[] info) {
        return Hkdf.SHA256.derive(null, masterKey, info, Aead.KEY_LENGTH);
    }

    private static byte[] bodyAd(Kind kind) {
        return ByteBuffer.allocate(BODY_AD_LENGTH).put(MAGIC).putShort((short) VERSION).put((byte) kind.code)
                .array();
    }

    private static byte[] take(ByteBuffer in, int n) {
        byte[] out = new byte[n];
        in.get(out);
        return out;
    }

    private static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(data, 0, length);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest javadoc).
            throw new IllegalStateException(e);
        }
    }
}
