package jarvis.crypto;

import static jarvis.crypto.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * Every Wycheproof vector of the primitives the bundle offers. Semantics: "valid" cases must give exactly the
 * expected output; "invalid" cases must be rejected; "acceptable" cases (X25519 only: low-order, twist and
 * non-canonical public keys) may be accepted or rejected, and our policy is fixed: a case is rejected with
 * {@link BadPeerKeyException} exactly when the shared secret is all zero (flag ZeroSharedSecret), and every
 * other acceptable case must compute the expected shared secret. Cases outside the API on purpose (AES key
 * sizes other than 256 bits, GCM nonces other than 96 bits when the case is valid) are counted as skipped;
 * invalid cases with such parameters still run and must be rejected.
 */
class WycheproofVectorsTest {

    @Test
    void x25519() {
        Vectors.Tally tally = new Vectors.Tally("wycheproof/x25519_test.json");
        int zeroRejected = 0;
        for (JsonNode group : Vectors.load("wycheproof/x25519_test.json").get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                String id = "tcId " + t.get("tcId").asInt();
                String result = t.get("result").asText();
                boolean zeroShared = hasFlag(t, "ZeroSharedSecret");
                X25519KeyPair pair = X25519KeyPair.fromPrivateKey(hex(t, "private"));
                try {
                    byte[] shared = pair.agree(hex(t, "public"));
                    tally.check(!zeroShared && !result.equals("invalid") && Arrays.equals(shared, hex(t, "shared")), id);
                } catch (BadPeerKeyException e) {
                    // Refusing is right for invalid cases and for the all-zero acceptable ones only.
                    boolean ok = result.equals("invalid") || (result.equals("acceptable") && zeroShared);
                    tally.check(ok, id + " rejected: " + e.getMessage());
                    zeroRejected += ok ? 1 : 0;
                }
            }
        }
        tally.print();
        assertThat(tally.failures).isEmpty();
        assertThat(tally.run).isEqualTo(518);
        assertThat(zeroRejected).isEqualTo(31);
    }

    @Test
    void aesGcm() {
        Vectors.Tally tally = aead("wycheproof/aes_gcm_test.json", Aead.AES_256_GCM);
        assertThat(tally.run + tally.skipped).isEqualTo(316);
        // 256-bit keys: 66 cases with 96-bit nonces plus the 2 zero-length-nonce invalid ones.
        assertThat(tally.run).isEqualTo(68);
    }

    @Test
    void chaCha20Poly1305() {
        Vectors.Tally tally = aead("wycheproof/chacha20_poly1305_test.json", Aead.CHACHA20_POLY1305);
        assertThat(tally.run).isEqualTo(325);
        assertThat(tally.skipped).isZero();
    }

    private static Vectors.Tally aead(String file, Aead aead) {
        Vectors.Tally tally = new Vectors.Tally(file);
        for (JsonNode group : Vectors.load(file).get("testGroups")) {
            int keySize = group.get("keySize").asInt();
            int ivSize = group.get("ivSize").asInt();
            for (JsonNode t : group.get("tests")) {
                String id = "tcId " + t.get("tcId").asInt();
                boolean valid = t.get("result").asText().equals("valid");
                if (keySize != 256 || (valid && ivSize != 96)) {
                    tally.skip();
                    continue;
                }
                byte[] key = hex(t, "key");
                byte[] iv = hex(t, "iv");
                byte[] aad = hex(t, "aad");
                byte[] msg = hex(t, "msg");
                byte[] sealed = concat(hex(t, "ct"), hex(t, "tag"));
                if (valid) {
                    boolean sealOk = Arrays.equals(aead.seal(key, iv, aad, msg), sealed);
                    boolean openOk;
                    try {
                        openOk = Arrays.equals(aead.open(key, iv, aad, sealed), msg);
                    } catch (AuthenticationFailedException e) {
                        openOk = false;
                    }
                    tally.check(sealOk && openOk, id);
                } else {
                    try {
                        aead.open(key, iv, aad, sealed);
                        tally.fail(id + " accepted an invalid ciphertext");
                    } catch (AuthenticationFailedException e) {
                        tally.pass();
                    }
                }
            }
        }
        tally.print();
        assertThat(tally.failures).isEmpty();
        return tally;
    }

    @Test
    void hkdfSha256() {
        hkdf("wycheproof/hkdf_sha256_test.json", Hkdf.SHA256, 86);
    }

    @Test
    void hkdfSha384() {
        hkdf("wycheproof/hkdf_sha384_test.json", Hkdf.SHA384, -1);
    }

    @Test
    void hkdfSha512() {
        hkdf("wycheproof/hkdf_sha512_test.json", Hkdf.SHA512, -1);
    }

    private static void hkdf(String file, Hkdf hkdf, int expectedCount) {
        Vectors.Tally tally = new Vectors.Tally(file);
        JsonNode root = Vectors.load(file);
        for (JsonNode group : root.get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                String id = "tcId " + t.get("tcId").asInt();
                int size = t.get("size").asInt();
                if (t.get("result").asText().equals("valid")) {
                    byte[] okm = hkdf.derive(hex(t, "salt"), hex(t, "ikm"), hex(t, "info"), size);
                    tally.check(Arrays.equals(okm, hex(t, "okm")), id);
                } else {
                    try {
                        hkdf.derive(hex(t, "salt"), hex(t, "ikm"), hex(t, "info"), size);
                        tally.fail(id + " produced an over-long output");
                    } catch (IllegalArgumentException e) {
                        tally.pass();
                    }
                }
            }
        }
        tally.print();
        assertThat(tally.failures).isEmpty();
        assertThat(tally.run).isEqualTo(root.get("numberOfTests").asInt());
        if (expectedCount > 0) {
            assertThat(tally.run).isEqualTo(expectedCount);
        }
    }

    /**
     * Full 32-byte tags go through {@link HmacSha256#verify}; the truncated 16-byte-tag groups check that the
     * computed tag's prefix matches (constant-time) exactly for the valid cases, since the API itself refuses
     * truncated tags.
     */
    @Test
    void hmacSha256() {
        Vectors.Tally tally = new Vectors.Tally("wycheproof/hmac_sha256_test.json");
        for (JsonNode group : Vectors.load("wycheproof/hmac_sha256_test.json").get("testGroups")) {
            int tagBytes = group.get("tagSize").asInt() / 8;
            for (JsonNode t : group.get("tests")) {
                String id = "tcId " + t.get("tcId").asInt();
                boolean valid = t.get("result").asText().equals("valid");
                byte[] key = hex(t, "key");
                byte[] msg = hex(t, "msg");
                byte[] tag = hex(t, "tag");
                boolean accepted;
                if (tagBytes == HmacSha256.TAG_LENGTH) {
                    accepted = HmacSha256.verify(key, msg, tag);
                    if (valid && !Arrays.equals(HmacSha256.compute(key, msg), tag)) {
                        accepted = false;
                    }
                } else {
                    accepted = ConstantTime.equals(Arrays.copyOf(HmacSha256.compute(key, msg), tagBytes), tag)
                            && !HmacSha256.verify(key, msg, tag);
                }
                tally.check(accepted == valid, id);
            }
        }
        tally.print();
        assertThat(tally.failures).isEmpty();
        assertThat(tally.run).isEqualTo(174);
    }

    private static boolean hasFlag(JsonNode test, String flag) {
        for (JsonNode f : test.get("flags")) {
            if (f.asText().equals(flag)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
