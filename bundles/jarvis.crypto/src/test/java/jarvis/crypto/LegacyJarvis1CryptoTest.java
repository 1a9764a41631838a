package jarvis.crypto;

import static jarvis.crypto.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;

import org.junit.jupiter.api.Test;

/** Byte-exact checks against values produced by the original Python Jarvis 1.x (vectors/jarvis1). */
class LegacyJarvis1CryptoTest {

    private static final JsonNode V = Vectors.load("jarvis1/vectors.json");
    private static final Base64.Decoder B64 = Base64.getDecoder();

    private static LegacyJarvis1Crypto.LayerKeys keys() {
        return LegacyJarvis1Crypto.deriveLayerKeys(hex(V.get("x25519"), "shared"));
    }

    @Test
    void layerKeysMatchJarvis1HkdfChain() throws CryptoException {
        Iterator<JsonNode> expected = V.get("layer_keys_from_shared").elements();
        LegacyJarvis1Crypto.LayerKeys keys = keys();
        for (int layer = 1; layer <= 5; layer++) {
            assertThat(keys.key(layer)).as("K%d", layer).isEqualTo(hex(expected.next().asText()));
        }
        // Both parties derive the same keys from their own side of the static-static exchange.
        X25519KeyPair a = X25519KeyPair.fromPrivateKey(hex(V.get("x25519"), "a_private"));
        X25519KeyPair b = X25519KeyPair.fromPrivateKey(hex(V.get("x25519"), "b_private"));
        LegacyJarvis1Crypto.LayerKeys fromA = LegacyJarvis1Crypto.deriveLayerKeys(a, b.publicKey());
        LegacyJarvis1Crypto.LayerKeys fromB = LegacyJarvis1Crypto.deriveLayerKeys(b, a.publicKey());
        for (int layer = 1; layer <= 5; layer++) {
            assertThat(fromA.key(layer)).isEqualTo(keys.key(layer)).isEqualTo(fromB.key(layer));
        }
    }

    @Test
    void fiveLayerCiphertextMatchesJarvis1() throws CryptoException {
        JsonNode fl = V.get("five_layer");
        byte[][] nonces = new byte[5][];
        for (int i = 0; i < 5; i++) {
            nonces[i] = B64.decode(fl.get("nonce" + (i + 1) + "_b64").asText());
        }
        LegacyJarvis1Crypto.MessageEnvelope env =
                LegacyJarvis1Crypto.encryptMessage(keys(), fl.get("plaintext_utf8").asText(), nonces);
        assertThat(Base64.getEncoder().encodeToString(env.ciphertext())).isEqualTo(fl.get("ciphertext_b64").asText());
        assertThat(env.ciphertext()).hasSize("hello jarvis".length() + LegacyJarvis1Crypto.OVERHEAD);

        LegacyJarvis1Crypto.MessageEnvelope received = LegacyJarvis1Crypto.MessageEnvelope.of(nonces,
                B64.decode(fl.get("ciphertext_b64").asText()));
        assertThat(LegacyJarvis1Crypto.decryptMessage(keys(), received)).isEqualTo("hello jarvis");
    }

    @Test
    void envelopeJsonHasTheJarvis1ShapeAndParsesBack() throws Exception {
        LegacyJarvis1Crypto.MessageEnvelope env =
                LegacyJarvis1Crypto.encryptMessage(keys(), "grüße \"quoted\"", new SecureRandom());
        String json = env.toJson();
        assertThat(json).startsWith("{\"nonce1\": \"").endsWith("\", \"version\": \"1.0\", \"layers\": 5}");
        JsonNode parsed = new ObjectMapper().readTree(json);
        assertThat(parsed.get("layers").asInt()).isEqualTo(5);
        assertThat(B64.decode(parsed.get("nonce3").asText())).isEqualTo(env.nonce(3));
        LegacyJarvis1Crypto.MessageEnvelope back = LegacyJarvis1Crypto.MessageEnvelope.fromJson(json);
        assertThat(LegacyJarvis1Crypto.decryptMessage(keys(), back)).isEqualTo("grüße \"quoted\"");
        // Random nonces: two encryptions of the same text differ.
        assertThat(LegacyJarvis1Crypto.encryptMessage(keys(), "x", new SecureRandom()).ciphertext())
                .isNotEqualTo(LegacyJarvis1Crypto.encryptMessage(keys(), "x", new SecureRandom()).ciphertext());
    }

    @Test
    void tamperedEnvelopeIsRejected() throws CryptoException {
        LegacyJarvis1Crypto.MessageEnvelope env = LegacyJarvis1Crypto.encryptMessage(keys(), "hi", new SecureRandom());
        byte[] ct = env.ciphertext();
        ct[ct.length - 1] ^= 1;
        byte[][] nonces = new byte[5][];
        for (int i = 0; i < 5; i++) {
            nonces[i] = env.nonce(i + 1);
        }
        LegacyJarvis1Crypto.MessageEnvelope tampered = LegacyJarvis1Crypto.MessageEnvelope.of(nonces, ct);
        assertThatThrownBy(() -> LegacyJarvis1Crypto.decryptMessage(keys(), tampered))
                .isInstanceOf(AuthenticationFailedException.class);
        nonces[2][0] ^= 1;
        LegacyJarvis1Crypto.MessageEnvelope badNonce = LegacyJarvis1Crypto.MessageEnvelope.of(nonces, env.ciphertext());
        assertThatThrownBy(() -> LegacyJarvis1Crypto.decryptMessage(keys(), badNonce))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> LegacyJarvis1Crypto.MessageEnvelope.fromJson("{\"nonce1\": \"AAAA\"}"))
                .isInstanceOf(CryptoException.class);
    }

    /** Seal with the vector's salt and nonce gives the 1.x file bytes; open recovers the plaintext. */
    @Test
    void identityEnvelopeMatchesJarvis1() throws CryptoException {
        JsonNode v = V.get("identity_envelope");
        char[] password = v.get("password").asText().toCharArray();
        byte[] salt = B64.decode(v.get("salt_b64").asText());
        byte[] nonce = B64.decode(v.get("nonce_b64").asText());
        byte[] plaintext = v.get("plaintext").asText().getBytes(StandardCharsets.UTF_8);

        LegacyJarvis1Crypto.IdentityEnvelope sealed =
                LegacyJarvis1Crypto.sealIdentity(password, plaintext, salt, nonce);
        assertThat(Base64.getEncoder().encodeToString(sealed.ciphertext())).isEqualTo(v.get("ciphertext_b64").asText());

        String file = "{\n  \"salt\": \"" + v.get("salt_b64").asText() + "\",\n  \"nonce\": \""
                + v.get("nonce_b64").asText() + "\",\n  \"ciphertext\": \"" + v.get("ciphertext_b64").asText()
                + "\",\n  \"version\": \"1.0\"\n}";
        assertThat(sealed.toJson()).isEqualTo(file);
        LegacyJarvis1Crypto.IdentityEnvelope parsed = LegacyJarvis1Crypto.IdentityEnvelope.fromJson(file);
        assertThat(LegacyJarvis1Crypto.openIdentity(password, parsed)).isEqualTo(plaintext);
    }

    @Test
    void identityEnvelopeWithWrongPasswordIsRejected() throws CryptoException {
        JsonNode v = V.get("identity_envelope");
        LegacyJarvis1Crypto.IdentityEnvelope env = LegacyJarvis1Crypto.IdentityEnvelope.of(
                B64.decode(v.get("salt_b64").asText()), B64.decode(v.get("nonce_b64").asText()),
                B64.decode(v.get("ciphertext_b64").asText()));
        assertThatThrownBy(() -> LegacyJarvis1Crypto.openIdentity("correct horse!".toCharArray(), env))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("wrong password");
        assertThatThrownBy(() -> LegacyJarvis1Crypto.IdentityEnvelope.fromJson("{\"salt\": \"qqqq\", \"nonce\": 5}"))
                .isInstanceOf(CryptoException.class);
    }
}
