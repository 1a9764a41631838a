package jarvis.crypto;

import static jarvis.crypto.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class PrimitivesTest {

    private static final JsonNode JARVIS1 = Vectors.load("jarvis1/vectors.json");

    @Test
    void fingerprintIsSha256OfRawPublicKeyAsInJarvis1() {
        byte[] a = hex(JARVIS1.get("x25519"), "a_public");
        byte[] b = hex(JARVIS1.get("x25519"), "b_public");
        assertThat(Fingerprint.of(a).hex()).isEqualTo(JARVIS1.get("fingerprint").get("a").asText());
        assertThat(Fingerprint.of(b).hex()).isEqualTo(JARVIS1.get("fingerprint").get("b").asText());
        assertThat(X25519KeyPair.fromPrivateKey(hex(JARVIS1.get("x25519"), "a_private")).fingerprint())
                .isEqualTo(Fingerprint.of(a));
    }

    @Test
    void fingerprintDisplayFormIsSixteenGroupsOfFour() {
        Fingerprint fp = Fingerprint.of(hex(JARVIS1.get("x25519"), "a_public"));
        String display = fp.displayForm();
        assertThat(display).hasSize(79).startsWith("300c 9c96 03b9 2a4b ").endsWith(" 25ae");
        assertThat(display.split(" ")).hasSize(16).allSatisfy(g -> assertThat(g).hasSize(4));
        assertThat(display.replace(" ", "")).isEqualTo(fp.hex());
    }

    @Test
    void fingerprintParsesCanonicalAndDisplayFormsAndRefusesOthers() throws CryptoException {
        Fingerprint fp = Fingerprint.of(hex(JARVIS1.get("x25519"), "b_public"));
        assertThat(Fingerprint.parse(fp.hex())).isEqualTo(fp);
        assertThat(Fingerprint.parse(fp.displayForm())).isEqualTo(fp);
        assertThat(Fingerprint.parse(fp.hex().toUpperCase())).isEqualTo(fp);
        assertThat(Fingerprint.parse(fp.hex()).hashCode()).isEqualTo(fp.hashCode());
        assertThatThrownBy(() -> Fingerprint.parse(fp.hex().substring(2))).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Fingerprint.parse(fp.hex().replace('a', 'g'))).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Fingerprint.parse(fp.displayForm().replace(' ', '-')))
                .isInstanceOf(CryptoException.class);
        // Non-ASCII digits must not pass as hex.
        assertThatThrownBy(() -> Fingerprint.parse("\u0663" + fp.hex().substring(1)))
                .isInstanceOf(CryptoException.class);
        assertThat(fp.matches(hex(JARVIS1.get("x25519"), "b_public"))).isTrue();
        assertThat(fp.matches(hex(JARVIS1.get("x25519"), "a_public"))).isFalse();
        assertThat(fp).isNotEqualTo(Fingerprint.of(hex(JARVIS1.get("x25519"), "a_public")));
    }

    @Test
    void x25519AgreesWithRfc7748AndJarvis1() throws CryptoException {
        JsonNode x = JARVIS1.get("x25519");
        X25519KeyPair a = X25519KeyPair.fromPrivateKey(hex(x, "a_private"));
        X25519KeyPair b = X25519KeyPair.fromPrivateKey(hex(x, "b_private"));
        assertThat(a.publicKey()).isEqualTo(hex(x, "a_public"));
        assertThat(Base64.getEncoder().encodeToString(a.publicKey())).isEqualTo(x.get("a_public_b64").asText());
        assertThat(b.publicKey()).isEqualTo(hex(x, "b_public"));
        assertThat(a.agree(b.publicKey())).isEqualTo(hex(x, "shared"));
        assertThat(b.agree(a.publicKey())).isEqualTo(hex(x, "shared"));
    }

    @Test
    void lowOrderPeerKeyIsRefusedAsBadPeerKey() {
        X25519KeyPair pair = X25519KeyPair.generate(new SecureRandom());
        byte[] zeroPoint = new byte[32];
        byte[] onePoint = new byte[32];
        onePoint[0] = 1;
        assertThatThrownBy(() -> pair.agree(zeroPoint)).isInstanceOf(BadPeerKeyException.class)
                .hasMessageContaining("all-zero");
        assertThatThrownBy(() -> pair.agree(onePoint)).isInstanceOf(BadPeerKeyException.class);
        assertThatThrownBy(() -> pair.agree(new byte[31])).isInstanceOf(BadPeerKeyException.class);
    }

    @Test
    void destroyedKeyPairCannotBeUsed() throws CryptoException {
        X25519KeyPair pair = X25519KeyPair.generate(new SecureRandom());
        X25519KeyPair peer = X25519KeyPair.generate(new SecureRandom());
        assertThat(pair.agree(peer.publicKey())).hasSize(32);
        pair.destroy();
        assertThat(pair.isDestroyed()).isTrue();
        assertThatThrownBy(() -> pair.agree(peer.publicKey())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(pair::privateKey).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void constantTimeEqualsComparesContentAndLength() {
        assertThat(ConstantTime.equals(new byte[] {1, 2, 3}, new byte[] {1, 2, 3})).isTrue();
        assertThat(ConstantTime.equals(new byte[] {1, 2, 3}, new byte[] {1, 2, 4})).isFalse();
        assertThat(ConstantTime.equals(new byte[] {1, 2, 3}, new byte[] {1, 2})).isFalse();
        assertThat(ConstantTime.equals(new byte[] {0}, new byte[] {})).isFalse();
        assertThat(ConstantTime.equals(new byte[0], new byte[0])).isTrue();
        assertThat(ConstantTime.equals(null, new byte[0])).isFalse();
        assertThat(ConstantTime.isAllZero(new byte[8])).isTrue();
        assertThat(ConstantTime.isAllZero(new byte[] {0, 0, (byte) 0x80})).isFalse();
    }

    @Test
    void wipeZeroisesKeyMaterial() {
        byte[] a = {1, 2, 3};
        byte[] b = {4, 5};
        char[] password = "secret".toCharArray();
        Secrets.wipe(a, null, b);
        Secrets.wipe(password);
        assertThat(a).containsOnly(0);
        assertThat(b).containsOnly(0);
        assertThat(new String(password)).isEqualTo("\0\0\0\0\0\0");
    }

    @Test
    void aeadRefusesKeysAndNoncesOfOtherSizes() {
        assertThatThrownBy(() -> Aead.AES_256_GCM.seal(new byte[16], new byte[12], null, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Aead.CHACHA20_POLY1305.seal(new byte[32], new byte[8], null, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Aead.AES_256_GCM.open(new byte[32], new byte[12], null, new byte[15]))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void hkdfRefusesOutputBeyond255HashLengths() {
        assertThat(Hkdf.SHA256.derive(null, new byte[32], null, 255 * 32)).hasSize(255 * 32);
        assertThatThrownBy(() -> Hkdf.SHA256.derive(null, new byte[32], null, 255 * 32 + 1))
                .isInstanceOf(IllegalArgumentException.class);
        // An empty salt means HashLen zero bytes (RFC 5869 section 2.2).
        assertThat(Hkdf.SHA384.derive(new byte[0], new byte[] {7}, null, 48))
                .isEqualTo(Hkdf.SHA384.derive(new byte[48], new byte[] {7}, null, 48));
    }

    /** RFC 9106 section 5.3: Argon2id with secret K and associated data X, which BouncyCastle supports. */
    @Test
    void argon2idMatchesRfc9106Vector() {
        byte[] password = filled(32, 0x01);
        byte[] salt = filled(16, 0x02);
        byte[] secret = filled(8, 0x03);
        byte[] ad = filled(12, 0x04);
        byte[] tag = Argon2id.derive(password, salt, secret, ad, Argon2id.Cost.of(32, 3, 4), 32);
        assertThat(tag).isEqualTo(hex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"));
        // Without K and X the output differs: both inputs are really used.
        assertThat(Argon2id.derive(password, salt, Argon2id.Cost.of(32, 3, 4), 32)).isNotEqualTo(tag);
    }

    /** jarvis1/identity_envelope: m = 64 MiB, t = 3, p = 1 over the UTF-8 password (one slow run). */
    @Test
    void argon2idMatchesJarvis1IdentityKey() {
        JsonNode env = JARVIS1.get("identity_envelope");
        byte[] salt = Base64.getDecoder().decode(env.get("salt_b64").asText());
        byte[] key = Argon2id.derive(env.get("password").asText().toCharArray(), salt, Argon2id.Cost.JARVIS, 32);
        assertThat(key).isEqualTo(hex(env, "argon2id_t3_m65536_p1_key"));
    }

    @Test
    void argon2idPasswordEncodingIsStrictUtf8() {
        assertThat(Argon2id.utf8("é€".toCharArray())).isEqualTo(new byte[] {(byte) 0xc3, (byte) 0xa9,
            (byte) 0xe2, (byte) 0x82, (byte) 0xac});
        assertThatThrownBy(() -> Argon2id.utf8(new char[] {'a', '\ud800'}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2id.Cost.of(7, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
