package jarvis.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import jarvis.crypto.Aead;
import jarvis.crypto.AuthenticationFailedException;
import jarvis.crypto.CryptoException;
import jarvis.crypto.FiveLayerCipher;
import jarvis.crypto.Fingerprint;
import jarvis.crypto.LegacyJarvis1Crypto;
import jarvis.crypto.NoiseHandshake;
import jarvis.crypto.NoisePattern;
import jarvis.crypto.RecordCipher;
import jarvis.crypto.Role;
import jarvis.crypto.TransportKeys;
import jarvis.crypto.X25519KeyPair;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Random and mutated inputs from outside only ever end in the documented checked {@link CryptoException}
 * (never an unchecked exception), and a mutated authenticated message never opens. Seeded and bounded.
 */
class RobustnessTest {

    private static final int ITERATIONS = 3000;

    private interface Attempt {
        Object run() throws CryptoException;
    }

    /** Returns true if the attempt succeeded, false if it threw CryptoException; fails on anything else. */
    private static boolean survives(Attempt attempt, String what) {
        try {
            attempt.run();
            return true;
        } catch (CryptoException e) {
            return false;
        } catch (RuntimeException | Error e) {
            fail(what + " threw " + e, e);
            return false;
        }
    }

    /** Flips, truncates, extends or splices; the result always differs from the input. */
    private static byte[] mutate(byte[] in, Random random) {
        byte[] out;
        switch (random.nextInt(4)) {
            case 0:
                out = in.clone();
                int flips = 1 + random.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 + random.nextInt(255));
                }
                break;
            case 1:
                out = Arrays.copyOf(in, random.nextInt(in.length));
                break;
            case 2:
                out = Arrays.copyOf(in, in.length + 1 + random.nextInt(40));
                for (int i = in.length; i < out.length; i++) {
                    out[i] = (byte) random.nextInt();
                }
                break;
            default:
                out = in.clone();
                int from = random.nextInt(out.length);
                int to = random.nextInt(out.length);
                byte t = out[from];
                out[from] = out[to];
                out[to] = (byte) ~t;
        }
        return Arrays.equals(out, in) ? Arrays.copyOf(in, in.length - 1) : out;
    }

    private static byte[] randomBytes(Random random, int max) {
        byte[] b = new byte[random.nextInt(max + 1)];
        random.nextBytes(b);
        return b;
    }

    @Test
    void recordLayerRejectsRandomAndMutatedRecords() throws CryptoException {
        Random random = new Random(0x5eed0001L);
        byte[][] parts = new byte[3][32];
        for (byte[] p : parts) {
            random.nextBytes(p);
        }
        TransportKeys keys = TransportKeys.of(parts[0], parts[1], parts[2]);
        RecordCipher alice = FiveLayerCipher.create(keys, Role.INITIATOR);
        RecordCipher bob = FiveLayerCipher.create(keys, Role.RESPONDER);
        int opened = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] garbage = randomBytes(random, 300);
            if (random.nextBoolean() && garbage.length >= 18) {
                // Make it look like a well-formed header so the layers themselves are exercised.
                garbage[0] = 2;
                Bytes.writeUint32(garbage, 2, 0);
                Bytes.writeUint64(garbage, 6, random.nextInt(100));
                Bytes.writeUint32(garbage, 14, garbage.length - 18);
            }
            assertThat(survives(() -> bob.open(garbage), "random record")).isFalse();

            byte[] genuine = alice.seal(random.nextInt(256), randomBytes(random, 100));
            byte[] mutated = mutate(genuine, random);
            assertThat(survives(() -> bob.open(mutated), "mutated record")).as("mutated record %d opened", i)
                    .isFalse();
            // The genuine record still opens: failures never advanced the receive state.
            bob.open(genuine);
            opened++;
        }
        assertThat(opened).isEqualTo(ITERATIONS);
    }

    @Test
    void aeadOpenOnlyThrowsAuthenticationFailure() {
        Random random = new Random(0x5eed0002L);
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            Aead aead = Aead.values()[random.nextInt(2)];
            byte[] key = randomBytes(random, 40);
            byte[] nonce = randomBytes(random, 16);
            byte[] ct = randomBytes(random, 64);
            try {
                aead.open(key, nonce, randomBytes(random, 8), ct);
                fail("random ciphertext opened");
            } catch (AuthenticationFailedException expected) {
                rejected++;
            } catch (RuntimeException e) {
                fail("AEAD open threw " + e, e);
            }
        }
        assertThat(rejected).isEqualTo(ITERATIONS);
    }

    @Test
    void handshakeRejectsRandomAndMutatedMessages() throws CryptoException {
        Random random = new Random(0x5eed0003L);
        SecureRandom secure = new SecureRandom();
        X25519KeyPair alice = X25519KeyPair.generate(secure);
        X25519KeyPair bob = X25519KeyPair.generate(secure);
        byte[] prologue = "jarvis/2".getBytes(StandardCharsets.US_ASCII);
        int rejected = 0;
        for (int i = 0; i < ITERATIONS / 3; i++) {
            NoisePattern pattern = NoisePattern.values()[random.nextInt(2)];
            Aead cipher = Aead.values()[random.nextInt(2)];
            byte[] remote = pattern == NoisePattern.IK ? bob.publicKey() : null;
            NoiseHandshake a = NoiseHandshake.initiator(pattern, cipher, prologue, alice, remote, secure);
            NoiseHandshake b = NoiseHandshake.responder(pattern, cipher, prologue, bob, secure);

            byte[] garbage = randomBytes(random, 200);
            boolean ok = survives(() -> NoiseHandshake.responder(pattern, cipher, prologue, bob, secure)
                    .readMessage(garbage), "random handshake message");
            // Only XX's first message (an unauthenticated ephemeral key) can be accepted as it stands.
            assertThat(ok && pattern == NoisePattern.IK).isFalse();
            rejected += ok ? 0 : 1;

            byte[] first = a.writeMessage(randomBytes(random, 20));
            byte[] mutatedFirst = mutate(first, random);
            NoiseHandshake b2 = NoiseHandshake.responder(pattern, cipher, prologue, bob, secure);
            boolean firstOk = survives(() -> b2.readMessage(mutatedFirst), "mutated first message");
            assertThat(firstOk && pattern == NoisePattern.IK).as("mutated IK message 1 accepted").isFalse();

            b.readMessage(first);
            byte[] second = b.writeMessage(randomBytes(random, 20));
            byte[] mutatedSecond = mutate(second, random);
            assertThat(survives(() -> a.readMessage(mutatedSecond), "mutated second message"))
                    .as("mutated message 2 accepted").isFalse();
            // After a failure the handshake is dead: the genuine message is refused too.
            assertThat(survives(() -> a.readMessage(second), "read after failure")).isFalse();
        }
        assertThat(rejected).isPositive();
    }

    @Test
    void legacyParsersAndDecryptionOnlyThrowCryptoException() throws CryptoException {
        Random random = new Random(0x5eed0004L);
        byte[] shared = new byte[32];
        random.nextBytes(shared);
        LegacyJarvis1Crypto.LayerKeys keys = LegacyJarvis1Crypto.deriveLayerKeys(shared);
        String genuine = LegacyJarvis1Crypto.encryptMessage(keys, "robust", new SecureRandom()).toJson();
        String identity = "{\n  \"salt\": \"qqqqqqqqqqqqqqqqqqqqqg==\",\n  \"nonce\": \"u7u7u7u7u7u7u7u7\",\n"
                + "  \"ciphertext\": \"gUxiV3UhV7m43Tg//tVOP3anGNGiJG/1EkuLxe6OQWp+/tP6tkM7YiF+3R1zqqiZ7WaIdVHJuUEfD40=\",\n"
                + "  \"version\": \"1.0\"\n}";
        int decrypted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String mutated = new String(mutate(genuine.getBytes(StandardCharsets.ISO_8859_1), random),
                    StandardCharsets.ISO_8859_1);
            boolean ok = survives(() -> LegacyJarvis1Crypto.decryptMessage(keys,
                    LegacyJarvis1Crypto.MessageEnvelope.fromJson(mutated)), "mutated envelope");
            decrypted += ok ? 1 : 0;
            String randomText = new String(randomBytes(random, 120), StandardCharsets.ISO_8859_1);
            assertThat(survives(() -> LegacyJarvis1Crypto.MessageEnvelope.fromJson(randomText), "random JSON"))
                    .isFalse();
            String mutatedIdentity = new String(mutate(identity.getBytes(StandardCharsets.ISO_8859_1), random),
                    StandardCharsets.ISO_8859_1);
            survives(() -> LegacyJarvis1Crypto.IdentityEnvelope.fromJson(mutatedIdentity), "mutated identity.enc");
            assertThat(survives(() -> Fingerprint.parse(randomText), "random fingerprint")).isFalse();
        }
        // A mutation may only keep the envelope decryptable if it touched bytes outside what is authenticated
        // (the ignored version/layers members or JSON whitespace); it must then still give the same text.
        assertThat(decrypted).isLessThan(ITERATIONS / 4);
        assertThat(LegacyJarvis1Crypto.decryptMessage(keys, LegacyJarvis1Crypto.MessageEnvelope.fromJson(genuine)))
                .isEqualTo("robust");
    }
}
