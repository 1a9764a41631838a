package jarvis.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

import jarvis.api.IdentitySummary;
import jarvis.api.identity.IdentityException;
import jarvis.api.identity.IdentityException.Reason;
import jarvis.api.identity.IdentityState;
import jarvis.api.identity.UnlockedIdentity;
import jarvis.crypto.LegacyJarvis1Crypto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Import of Jarvis 1.x {@code identity.enc} files, checked against the values 1.x itself produced. */
class LegacyImportTest {

    private static Properties vectors;

    @TempDir
    Path data;

    @BeforeAll
    static void loadVectors() throws IOException {
        vectors = new Properties();
        try (InputStream in = LegacyImportTest.class.getResourceAsStream("/jarvis1/vectors.properties")) {
            vectors.load(in);
        }
    }

    private static String v(String key) {
        return vectors.getProperty(key);
    }

    private IdentityManager service() {
        return new IdentityManager(data, IdentityManagerTest.CHEAP, new SecureRandom());
    }

    /**
     * A complete 1.x identity as Python's {@code json.dumps} writes it (default separators), around the
     * RFC 7748 key pair "a" of the vectors; sealed by the byte-exact 1.x envelope (real Argon2 cost).
     */
    private Path legacyFile(String plaintext, String password) throws IOException {
        LegacyJarvis1Crypto.IdentityEnvelope envelope = LegacyJarvis1Crypto.sealIdentity(password.toCharArray(),
                plaintext.getBytes(StandardCharsets.UTF_8), new SecureRandom());
        Path file = data.resolve("identity.enc");
        Files.writeString(file, envelope.toJson());
        return file;
    }

    private static String pythonIdentityJson(String fingerprint) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "{\"uid\": \"" + v("uid") + "\", \"username\": \"" + v("username") + "\", \"keypair\": {\"private\": \""
                + b64.encodeToString(Hex.decode(v("a.private_hex"))) + "\", \"public\": \""
                + b64.encodeToString(Hex.decode(v("a.public_hex"))) + "\"}, \"created_at\": "
                + "\"2025-03-14T09:26:53.589793+00:00\", \"fingerprint\": \"" + fingerprint
                + "\", \"listen_port\": 5000}";
    }

    @Test
    void importedIdentityHasTheVectorsUidUsernameKeysAndFingerprint() throws Exception {
        Path file = legacyFile(pythonIdentityJson(v("a.fingerprint")), "hunter2");
        byte[] original = Files.readAllBytes(file);
        IdentityManager service = service();

        IdentitySummary summary = service.importLegacy(file, "hunter2".toCharArray());

        assertThat(summary.uid()).isEqualTo(v("uid"));
        assertThat(summary.username()).isEqualTo(v("username"));
        assertThat(summary.fingerprint()).isEqualTo(v("a.fingerprint"));
        assertThat(summary.createdAt()).isEqualTo("2025-03-14T09:26:53.589793Z");
        UnlockedIdentity keys = service.unlocked().orElseThrow();
        assertThat(Hex.encode(keys.publicKey())).isEqualTo(v("a.public_hex"));
        assertThat(Hex.encode(keys.privateKey())).isEqualTo(v("a.private_hex"));
        assertThat(Hex.encode(keys.agree(Hex.decode(v("b.public_hex"))))).isEqualTo(v("shared_hex"));
        assertThat(Files.readAllBytes(file)).as("the 1.x file is only read").isEqualTo(original);

        // The 1.x password now unlocks the jarvis/2 identity file.
        service.lock();
        assertThat(service().unlock("hunter2".toCharArray())).isEqualTo(summary);
        assertThatThrownBy(() -> service.importLegacy(file, "hunter2".toCharArray()))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS));
    }

    @Test
    void envelopeWrittenByPythonOpensAndItsIncompleteIdentityIsRefused() throws Exception {
        // The vector's envelope is byte-for-byte what 1.x wrote; its plaintext holds only a uid.
        LegacyJarvis1Crypto.IdentityEnvelope envelope = LegacyJarvis1Crypto.IdentityEnvelope.of(
                Base64.getDecoder().decode(v("envelope.salt_b64")), Base64.getDecoder().decode(v("envelope.nonce_b64")),
                Base64.getDecoder().decode(v("envelope.ciphertext_b64")));
        Path file = data.resolve("identity.enc");
        Files.writeString(file, envelope.toJson());
        IdentityManager service = service();

        assertThatThrownBy(() -> service.importLegacy(file, "wrong horse".toCharArray()))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD));
        // The right password decrypts it (no WRONG_PASSWORD), and the missing members are named.
        assertThatThrownBy(() -> service.importLegacy(file, v("envelope.password").toCharArray()))
                .isInstanceOfSatisfying(IdentityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CORRUPTED);
                    assertThat(e.getMessage())
                            .isEqualTo("Jarvis 1.x identity file is corrupted: username missing or not a string");
                });
        assertThat(service.status().state()).isEqualTo(IdentityState.NONE);
        assertThat(data.resolve("identity")).doesNotExist();
    }

    @Test
    void inconsistentFingerprintIsRefused() throws Exception {
        Path file = legacyFile(pythonIdentityJson(v("a.fingerprint").replace('3', '4')), "pw");
        IdentityManager service = service();
        assertThatThrownBy(() -> service.importLegacy(file, "pw".toCharArray()))
                .isInstanceOfSatisfying(IdentityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CORRUPTED);
                    assertThat(e.getMessage()).endsWith("fingerprint does not match the key");
                });
        assertThat(service.status().state()).isEqualTo(IdentityState.NONE);
    }

    @Test
    void notAnIdentityEncIsCorruptedWithoutRunningArgon2() throws Exception {
        Path file = data.resolve("identity.enc");
        Files.writeString(file, "{\"salt\": \"AAAA\"}");
        assertThatThrownBy(() -> service().importLegacy(file, "pw".toCharArray()))
                .isInstanceOfSatisfying(IdentityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CORRUPTED);
                    assertThat(e.getMessage()).startsWith("Jarvis 1.x identity file is corrupted: ");
                });
    }
}
