package jarvis.crypto;

import jarvis.crypto.internal.FlatJson;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

import javax.security.auth.Destroyable;

/**
 * <b>Legacy, weaker.</b> The Jarvis 1.x (Python, "jarvis/1") constructions, byte-exact, for talking to 1.x
 * peers and importing 1.x files only. Never use them for jarvis/2: the five layer keys come from a
 * static-static X25519 secret (no forward secrecy, the same keys in both directions and for every
 * connection), nonces are random under keys that never change, and nothing but the plaintext is
 * authenticated. Specified in {@code docs/protocol.md}, section "jarvis/1 legacy constructions".
 */
public final class LegacyJarvis1Crypto {

    /** Number of nested AEAD layers. */
    public static final int LAYERS = 5;
    /** Bytes the five layers add to the UTF-8 plaintext. */
    public static final int OVERHEAD = LAYERS * Aead.TAG_LENGTH;

    private static final Aead[] LAYER_AEADS = {
        Aead.AES_256_GCM, Aead.CHACHA20_POLY1305, Aead.AES_256_GCM, Aead.CHACHA20_POLY1305, Aead.AES_256_GCM
    };
    private static final Hkdf[] LAYER_HASHES = {Hkdf.SHA256, Hkdf.SHA384, Hkdf.SHA512, Hkdf.SHA256, Hkdf.SHA384};
    private static final String[] LAYER_INFOS = {
        "jarvis-session-key-aes-layer-1",
        "jarvis-session-key-chacha-layer-2",
        "jarvis-session-key-aes-layer-3",
        "jarvis-session-key-chacha-layer-4",
        "jarvis-session-key-aes-layer-5"
    };
    private static final int IDENTITY_SALT_LENGTH = 16;

    private LegacyJarvis1Crypto() {
    }

    /** The five 32-byte layer keys K1..K5 shared by two 1.x identities. */
    public static final class LayerKeys implements Destroyable {

        private final byte[][] keys;
        private volatile boolean destroyed;

        private LayerKeys(byte[][] keys) {
            this.keys = keys;
        }

        /** A copy of key K{@code layer}, layer 1..5. */
        public byte[] key(int layer) {
            if (layer < 1 || layer > LAYERS) {
                throw new IllegalArgumentException("layer must be 1..5");
            }
            if (destroyed) {
                throw new IllegalStateException("layer keys destroyed");
            }
            return keys[layer - 1].clone();
        }

        @Override
        public void destroy() {
            destroyed = true;
            Secrets.wipe(keys);
        }

        @Override
        public boolean isDestroyed() {
            return destroyed;
        }

        @Override
        public String toString() {
            return "LayerKeys[hidden]";
        }
    }

    /**
     * K1..K5 from the raw X25519 shared secret: K1 = HKDF-SHA256(no salt), K2 = HKDF-SHA384(salt K1[0:16]),
     * K3 = HKDF-SHA512(salt K2[0:16]), K4 = HKDF-SHA256(salt K3[0:16]), K5 = HKDF-SHA384(salt K4[0:16]), each
     * 32 bytes with the info labels of 1.x.
     */
    public static LayerKeys deriveLayerKeys(byte[] sharedSecret) {
        Objects.requireNonNull(sharedSecret, "sharedSecret");
        if (sharedSecret.length != X25519KeyPair.KEY_LENGTH) {
            throw new IllegalArgumentException("the shared secret has 32 bytes");
        }
        byte[][] keys = new byte[LAYERS][];
        byte[] salt = null;
        for (int i = 0; i < LAYERS; i++) {
            keys[i] = LAYER_HASHES[i].derive(salt, sharedSecret,
                    LAYER_INFOS[i].getBytes(StandardCharsets.US_ASCII), 32);
            Secrets.wipe(salt);
            salt = Arrays.copyOf(keys[i], 16);
        }
        Secrets.wipe(salt);
        return new LayerKeys(keys);
    }

    /** K1..K5 between {@code mine} and a peer's raw public key (static-static X25519). */
    public static LayerKeys deriveLayerKeys(X25519KeyPair mine, byte[] peerPublicKey) throws BadPeerKeyException {
        byte[] shared = mine.agree(peerPublicKey);
        try {
            return deriveLayerKeys(shared);
        } finally {
            Secrets.wipe(shared);
        }
    }

    /** The JSON object 1.x sends under {@code "encrypted"}: five 12-byte nonces and the final ciphertext. */
    public static final class MessageEnvelope {

        private final byte[][] nonces;
        private final byte[] ciphertext;

        private MessageEnvelope(byte[][] nonces, byte[] ciphertext) {
            this.nonces = nonces;
            this.ciphertext = ciphertext;
        }

        /** A copy of the 12-byte nonce of layer 1..5. */
        public byte[] nonce(int layer) {
            if (layer < 1 || layer > LAYERS) {
                throw new IllegalArgumentException("layer must be 1..5");
            }
            return nonces[layer - 1].clone();
        }

        /** A copy of c5, the outermost ciphertext. */
        public byte[] ciphertext() {
            return ciphertext.clone();
        }

        /**
         * The object as 1.x writes it: {@code {"nonce1": ..., ..., "nonce5": ..., "ciphertext": ...,
         * "version": "1.0", "layers": 5}}, standard padded base64, Python's default separators.
         */
        public String toJson() {
            Base64.Encoder b64 = Base64.getEncoder();
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < LAYERS; i++) {
                sb.append("\"nonce").append(i + 1).append("\": \"").append(b64.encodeToString(nonces[i]))
                        .append("\", ");
            }
            return sb.append("\"ciphertext\": \"").append(b64.encodeToString(ciphertext))
                    .append("\", \"version\": \"1.0\", \"layers\": 5}").toString();
        }

        /**
         * Parses the object; like 1.x, {@code version} and {@code layers} are ignored and unknown members
         * are allowed.
         *
         * @throws CryptoException if a member is missing, not base64, or of the wrong length
         */
        public static MessageEnvelope fromJson(String json) throws CryptoException {
            Map<String, Object> members = FlatJson.parse(json);
            byte[][] nonces = new byte[LAYERS][];
            for (int i = 0; i < LAYERS; i++) {
                nonces[i] = base64Member(members, "nonce" + (i + 1));
            }
            return of(nonces, base64Member(members, "ciphertext"));
        }

        /** From raw parts: five 12-byte nonces and a ciphertext of at least 80 bytes. */
        public static MessageEnvelope of(byte[][] nonces, byte[] ciphertext) throws CryptoException {
            if (nonces == null || nonces.length != LAYERS) {
                throw new CryptoException("a jarvis/1 envelope has five nonces");
            }
            byte[][] copies = new byte[LAYERS][];
            for (int i = 0; i < LAYERS; i++) {
                if (nonces[i] == null || nonces[i].length != Aead.NONCE_LENGTH) {
                    throw new CryptoException("jarvis/1 nonce" + (i + 1) + " must be 12 bytes");
                }
                copies[i] = nonces[i].clone();
            }
            if (ciphertext == null || ciphertext.length < OVERHEAD) {
                throw new CryptoException("jarvis/1 ciphertext shorter than five tags");
            }
            return new MessageEnvelope(copies, ciphertext.clone());
        }
    }

    /** Five-layer encryption of {@code plaintext} (UTF-8) with fresh random nonces, as 1.x does. */
    public static MessageEnvelope encryptMessage(LayerKeys keys, String plaintext, SecureRandom random) {
        byte[][] nonces = new byte[LAYERS][Aead.NONCE_LENGTH];
        for (byte[] n : nonces) {
            random.nextBytes(n);
        }
        return encryptMessage(keys, plaintext, nonces);
    }

    /** With given nonces: only for known-answer tests, nonces must never repeat under the same keys. */
    static MessageEnvelope encryptMessage(LayerKeys keys, String plaintext, byte[][] nonces) {
        byte[] data = strictUtf8(plaintext);
        for (int i = 0; i < LAYERS; i++) {
            byte[] key = keys.key(i + 1);
            byte[] next = LAYER_AEADS[i].seal(key, nonces[i], null, data);
            Secrets.wipe(key, data);
            data = next;
        }
        try {
            return MessageEnvelope.of(nonces, data);
        } catch (CryptoException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Peels layers 5 to 1 and decodes the result as strict UTF-8.
     *
     * @throws AuthenticationFailedException if any layer fails
     * @throws CryptoException if the plaintext is not valid UTF-8
     */
    public static String decryptMessage(LayerKeys keys, MessageEnvelope envelope) throws CryptoException {
        byte[] data = envelope.ciphertext();
        for (int i = LAYERS - 1; i >= 0; i--) {
            byte[] key = keys.key(i + 1);
            try {
                byte[] next = LAYER_AEADS[i].open(key, envelope.nonces[i], null, data);
                Secrets.wipe(data);
                data = next;
            } finally {
                Secrets.wipe(key);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            throw new CryptoException("jarvis/1 plaintext is not valid UTF-8");
        } finally {
            Secrets.wipe(data);
        }
    }

    /** The {@code identity.enc} file: Argon2id(password, salt) keys AES-256-GCM over the identity JSON. */
    public static final class IdentityEnvelope {

        private final byte[] salt;
        private final byte[] nonce;
        private final byte[] ciphertext;

        private IdentityEnvelope(byte[] salt, byte[] nonce, byte[] ciphertext) {
            this.salt = salt;
            this.nonce = nonce;
            this.ciphertext = ciphertext;
        }

        public byte[] salt() {
            return salt.clone();
        }

        public byte[] nonce() {
            return nonce.clone();
        }

        /** AES-256-GCM ciphertext followed by the 16-byte tag. */
        public byte[] ciphertext() {
            return ciphertext.clone();
        }

        /** The file as 1.x writes it ({@code json.dump(..., indent=2)}; members salt, nonce, ciphertext, version). */
        public String toJson() {
            Base64.Encoder b64 = Base64.getEncoder();
            return "{\n  \"salt\": \"" + b64.encodeToString(salt) + "\",\n  \"nonce\": \"" + b64.encodeToString(nonce)
                    + "\",\n  \"ciphertext\": \"" + b64.encodeToString(ciphertext) + "\",\n  \"version\": \"1.0\"\n}";
        }

        /**
         * Parses the file; {@code version} is ignored as in 1.x.
         *
         * @throws CryptoException if a member is missing or malformed, the salt is not 8..64 bytes, the nonce
         *         not 12 bytes, or the ciphertext shorter than a tag
         */
        public static IdentityEnvelope fromJson(String json) throws CryptoException {
            Map<String, Object> members = FlatJson.parse(json);
            return of(base64Member(members, "salt"), base64Member(members, "nonce"),
                    base64Member(members, "ciphertext"));
        }

        /** From raw parts, validated as {@link #fromJson}. */
        public static IdentityEnvelope of(byte[] salt, byte[] nonce, byte[] ciphertext) throws CryptoException {
            if (salt == null || salt.length < 8 || salt.length > 64) {
                throw new CryptoException("identity.enc salt must be 8..64 bytes");
            }
            if (nonce == null || nonce.length != Aead.NONCE_LENGTH) {
                throw new CryptoException("identity.enc nonce must be 12 bytes");
            }
            if (ciphertext == null || ciphertext.length < Aead.TAG_LENGTH) {
                throw new CryptoException("identity.enc ciphertext shorter than the tag");
            }
            return new IdentityEnvelope(salt.clone(), nonce.clone(), ciphertext.clone());
        }
    }

    /**
     * Seals identity JSON bytes under {@code password} with a fresh 16-byte salt and 12-byte nonce
     * (Argon2id m = 64 MiB, t = 3, p = 1; AES-256-GCM without associated data). Slow by design.
     */
    public static IdentityEnvelope sealIdentity(char[] password, byte[] plaintext, SecureRandom random) {
        byte[] salt = new byte[IDENTITY_SALT_LENGTH];
        byte[] nonce = new byte[Aead.NONCE_LENGTH];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        return sealIdentity(password, plaintext, salt, nonce);
    }

    /** With a given salt and nonce: only for known-answer tests. */
    static IdentityEnvelope sealIdentity(char[] password, byte[] plaintext, byte[] salt, byte[] nonce) {
        byte[] key = identityKey(password, salt);
        try {
            return IdentityEnvelope.of(salt, nonce, Aead.AES_256_GCM.seal(key, nonce, null, plaintext));
        } catch (CryptoException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } finally {
            Secrets.wipe(key);
        }
    }

    /**
     * Opens an identity envelope. Slow by design (Argon2id, 64 MiB).
     *
     * @throws AuthenticationFailedException if the password is wrong or the file was modified
     */
    public static byte[] openIdentity(char[] password, IdentityEnvelope envelope) throws CryptoException {
        byte[] key = identityKey(password, envelope.salt);
        try {
            return Aead.AES_256_GCM.open(key, envelope.nonce, null, envelope.ciphertext);
        } catch (AuthenticationFailedException e) {
            throw new AuthenticationFailedException("wrong password or corrupted identity file");
        } finally {
            Secrets.wipe(key);
        }
    }

    /** Argon2id(UTF-8(password), salt, t = 3, m = 65536 KiB, p = 1, 32 bytes): the identity.enc key. */
    public static byte[] identityKey(char[] password, byte[] salt) {
        return Argon2id.derive(password, salt, Argon2id.Cost.JARVIS, 32);
    }

    private static byte[] base64Member(Map<String, Object> members, String name) throws CryptoException {
        Object value = members.get(name);
        if (!(value instanceof String)) {
            throw new CryptoException("jarvis/1 envelope member " + name + " missing or not a string");
        }
        try {
            return Base64.getDecoder().decode((String) value);
        } catch (IllegalArgumentException e) {
            throw new CryptoException("jarvis/1 envelope member " + name + " is not base64");
        }
    }

    private static byte[] strictUtf8(String text) {
        try {
            ByteBuffer buffer = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
            return Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text is not valid Unicode (unpaired surrogate)", e);
        }
    }
}
