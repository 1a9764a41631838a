package jarvis.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import jarvis.api.identity.IdentityException;
import jarvis.crypto.CryptoException;
import jarvis.crypto.LegacyJarvis1Crypto;
import jarvis.crypto.X25519KeyPair;
import jarvis.crypto.internal.FlatJson;
import jarvis.testing.fuzz.Fuzz;
import jarvis.testing.fuzz.Gen;
import jarvis.testing.fuzz.Mutator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes the Jarvis 1.x import (docs/protocol.md §4.3, docs/storage.md "Legacy import") in its two parsing steps:
 * the {@code identity.enc} envelope ({@link LegacyJarvis1Crypto.IdentityEnvelope#fromJson}, documented refusal
 * {@link CryptoException}, which the import reports as CORRUPTED) and the decrypted identity JSON
 * ({@link LegacyIdentity#parse}, documented refusal {@link IdentityException}). The Argon2id between them runs at
 * the fixed 1.x cost (64 MiB, about 0.3 s), too slow per try; the envelope's fields are checked instead.
 */
class LegacyImportFuzzTest {

    static final String ENVELOPE = "legacy-identity-enc";
    static final String CONTENT = "legacy-identity-json";
    private static final Properties VECTORS = new Properties();

    static {
        try (InputStream in = LegacyImportFuzzTest.class.getResourceAsStream("/jarvis1/vectors.properties")) {
            VECTORS.load(in);
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static void envelope(byte[] input) throws CryptoException {
        LegacyJarvis1Crypto.IdentityEnvelope e = LegacyJarvis1Crypto.IdentityEnvelope.fromJson(
                new String(input, StandardCharsets.UTF_8));
        assertThat(e.salt().length).isBetween(8, 64);
        assertThat(e.nonce()).hasSize(12);
        assertThat(e.ciphertext().length).isGreaterThanOrEqualTo(16).isLessThanOrEqualTo(input.length);
    }

    static void content(byte[] input) throws IdentityException {
        IdentityRecord record = LegacyIdentity.parse(input);
        assertThat(record.uid()).matches("[0-9a-f]{32}");
        assertThat(IdentityRecord.checkUsername(record.username())).isEqualTo(record.username());
        // What a 1.x file gives is stored in our own record format: it must survive that.
        KeyFileFuzzTest.sameIdentity(IdentityRecord.decode(record.encode(), "again"), record);
    }

    /** The identity JSON as Python's json.dumps writes it (default separators, non-ASCII escaped). */
    static String pythonJson(String uid, String username, byte[] privateKey, byte[] publicKey, String createdAt,
            String fingerprint) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "{\"uid\": " + FlatJson.quote(uid) + ", \"username\": " + FlatJson.quote(username)
                + ", \"keypair\": {\"private\": \"" + b64.encodeToString(privateKey) + "\", \"public\": \""
                + b64.encodeToString(publicKey) + "\"}, \"created_at\": " + FlatJson.quote(createdAt)
                + ", \"fingerprint\": " + FlatJson.quote(fingerprint) + ", \"listen_port\": 5000}";
    }

    static String vectorJson(String username, String createdAt) {
        return pythonJson(VECTORS.getProperty("uid"), username, Hex.decode(VECTORS.getProperty("a.private_hex")),
                Hex.decode(VECTORS.getProperty("a.public_hex")), createdAt, VECTORS.getProperty("a.fingerprint"));
    }

    static Map<String, byte[]> envelopeCorpus() throws CryptoException {
        Base64.Decoder b64 = Base64.getDecoder();
        String real = LegacyJarvis1Crypto.IdentityEnvelope.of(b64.decode(VECTORS.getProperty("envelope.salt_b64")),
                b64.decode(VECTORS.getProperty("envelope.nonce_b64")),
                b64.decode(VECTORS.getProperty("envelope.ciphertext_b64"))).toJson();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("valid-jarvis1-vector", real);
        files.put("valid-compact", real.replace("\n", "").replace("  ", ""));
        files.put("bad-nonce-16-bytes", real.replace(VECTORS.getProperty("envelope.nonce_b64"),
                "u7u7u7u7u7u7u7u7u7u7uw=="));
        files.put("bad-salt-missing", real.replaceFirst("\"salt\"", "\"sand\""));
        files.put("bad-nested", "{\"salt\": {\"a\": 1}}");
        files.put("bad-duplicate", real.replace("\"version\"", "\"salt\""));
        Map<String, byte[]> out = new LinkedHashMap<>();
        files.forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    static Map<String, byte[]> contentCorpus() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("valid-python", vectorJson("alice", "2025-03-14T09:26:53.589793+00:00"));
        files.put("valid-non-ascii-name", vectorJson("Алиса 🌸", "2025-03-14T09:26:53"));
        files.put("bad-fingerprint", vectorJson("alice", "2025-03-14T09:26:53+00:00")
                .replace(VECTORS.getProperty("a.fingerprint"), "0".repeat(64)));
        files.put("bad-time", vectorJson("alice", "yesterday"));
        files.put("bad-control-in-name", vectorJson("a\u001b[2Jb", "2025-03-14T09:26:53+00:00"));
        files.put("bad-deep", "[".repeat(40) + "]".repeat(40));
        files.put("bad-not-utf8", "{\"uid\": \"\u00ff\"}");
        Map<String, byte[]> out = new LinkedHashMap<>();
        files.forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
        out.put("bad-not-utf8", new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'});
        return out;
    }

    private static final java.util.List<byte[]> JSON_TOKENS = Mutator.tokens("{", "}", "[", "]", "\"", ":", ", ",
            "\\u", "\\ud83c", "\\\"", "null", "true", "-0", "1e99999", "\"uid\": ", "\"keypair\": ", "\"private\": ",
            "\"public\": ", "\"created_at\": ", "\"fingerprint\": ", "\"salt\": ", "\"nonce\": ", "\"ciphertext\": ",
            "+00:00", "T00:00:00", "999999999-12-31", "==", "=");

    @Test
    void identityEncEnvelopesParseOrAreRefusedWithCryptoException() {
        Fuzz.target(ENVELOPE)
                .documented(CryptoException.class)
                .tries(20_000)
                .dictionary(JSON_TOKENS)
                .lengths(300, 1 << 16)
                .maxAllocation(input -> (1L << 20) + 64L * input.length)
                .run(LegacyImportFuzzTest::envelope);
    }

    @Test
    void decryptedJarvis1IdentitiesParseOrAreRefusedWithIdentityException() {
        Fuzz.Report report = Fuzz.target(CONTENT)
                .documented(IdentityException.class)
                .tries(20_000)
                .dictionary(JSON_TOKENS)
                .lengths(300, 1 << 16)
                .maxAllocation(input -> (1L << 20) + 64L * input.length)
                .run(LegacyImportFuzzTest::content);
        assertThat(report.accepted()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anyJarvis1IdentityAsPythonWritesItIsReadBackUnchanged() {
        Fuzz.target(CONTENT + "-round-trip").tries(1000).property(r -> {
            X25519KeyPair keys = X25519KeyPair.fromPrivateKey(Gen.bytes(r, 32));
            String name;
            do {
                name = Gen.text(r, IdentityRecord.MAX_USERNAME_CHARS, false);
            } while (name.isBlank());
            Instant created = Instant.ofEpochSecond(r.nextInt() & 0x7fffffffL, r.nextInt(1_000_000) * 1000L);
            String uid = Gen.uid(r);
            String json = pythonJson(uid, name, keys.privateKey(), keys.publicKey(),
                    created.atOffset(ZoneOffset.UTC).toString(), keys.fingerprint().hex());
            IdentityRecord got = LegacyIdentity.parse(json.getBytes(StandardCharsets.UTF_8));
            assertThat(got.uid()).isEqualTo(uid);
            assertThat(got.username()).isEqualTo(name);
            assertThat(got.createdAt()).isEqualTo(created);
            assertThat(got.keyPair().publicKey()).isEqualTo(keys.publicKey());
        });
    }

    @Test
    @EnabledIfSystemProperty(named = Fuzz.WRITE_CORPUS_PROPERTY, matches = "true")
    void writeCorpus() throws Exception {
        Fuzz.writeCorpus(ENVELOPE, envelopeCorpus());
        Fuzz.writeCorpus(CONTENT, contentCorpus());
    }
}
