package jarvis.crypto.internal;

import static jarvis.crypto.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;

import jarvis.crypto.Aead;
import jarvis.crypto.AuthenticationFailedException;
import jarvis.crypto.CryptoException;
import jarvis.crypto.FiveLayerCipher;
import jarvis.crypto.ReceivedRecord;
import jarvis.crypto.RecordCipher;
import jarvis.crypto.ReplayedRecordException;
import jarvis.crypto.Role;
import jarvis.crypto.TransportKeys;
import jarvis.crypto.Vectors;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class FiveLayerRecordCipherTest {

    private static final JsonNode KAT = Vectors.load("jarvis2/record.json");

    private static TransportKeys randomKeys() {
        SecureRandom random = new SecureRandom();
        byte[][] parts = new byte[3][32];
        for (byte[] p : parts) {
            random.nextBytes(p);
        }
        return TransportKeys.of(parts[0], parts[1], parts[2]);
    }

    private static TransportKeys katKeys() {
        return TransportKeys.of(hex(KAT, "initiator_to_responder_secret"), hex(KAT, "responder_to_initiator_secret"),
                hex(KAT, "handshake_hash"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripBothDirections() throws CryptoException {
        TransportKeys keys = randomKeys();
        RecordCipher alice = FiveLayerCipher.create(keys, Role.INITIATOR);
        RecordCipher bob = FiveLayerCipher.create(keys, Role.RESPONDER);
        byte[] r1 = alice.seal(0x17, utf8("hello bob"));
        assertThat(r1).hasSize(FiveLayerCipher.HEADER_LENGTH + 9 + FiveLayerCipher.LAYER_OVERHEAD);
        ReceivedRecord got = bob.open(r1);
        assertThat(got.payload()).isEqualTo(utf8("hello bob"));
        assertThat(got.contentType()).isEqualTo(0x17);
        assertThat(got.counter()).isZero();
        assertThat(alice.open(bob.seal(1, utf8("hi alice"))).payload()).isEqualTo(utf8("hi alice"));
        assertThat(bob.open(alice.seal(2, new byte[0])).payload()).isEmpty();
        byte[] max = new byte[FiveLayerCipher.MAX_PLAINTEXT_LENGTH];
        new SecureRandom().nextBytes(max);
        byte[] big = alice.seal(3, max);
        assertThat(big).hasSize(FiveLayerCipher.MAX_RECORD_LENGTH);
        assertThat(bob.open(big).payload()).isEqualTo(max);
        assertThatThrownBy(() -> alice.seal(3, new byte[FiveLayerCipher.MAX_PLAINTEXT_LENGTH + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void counterNoncesNeverRepeat() throws CryptoException {
        RecordCipher alice = FiveLayerCipher.create(randomKeys(), Role.INITIATOR);
        byte[] a = alice.seal(0, utf8("same"));
        byte[] b = alice.seal(0, utf8("same"));
        assertThat(Bytes.readUint64(a, 6)).isEqualTo(0);
        assertThat(Bytes.readUint64(b, 6)).isEqualTo(1);
        assertThat(Arrays.copyOfRange(a, 18, a.length)).isNotEqualTo(Arrays.copyOfRange(b, 18, b.length));
    }

    @Test
    void tamperingWithAnyByteIsRejected() throws CryptoException {
        TransportKeys keys = randomKeys();
        RecordCipher alice = FiveLayerCipher.create(keys, Role.INITIATOR);
        RecordCipher bob = FiveLayerCipher.create(keys, Role.RESPONDER);
        byte[] record = alice.seal(0x17, utf8("do not touch"));
        for (int i = 0; i < record.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] copy = record.clone();
                copy[i] ^= bit;
                assertThatThrownBy(() -> bob.open(copy)).as("byte %d bit %x", i, bit)
                        .isInstanceOf(CryptoException.class);
            }
        }
        // Truncated or extended records are refused too, and none of the above consumed the counter.
        assertThatThrownBy(() -> bob.open(Arrays.copyOf(record, record.length - 1))).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> bob.open(Arrays.copyOf(record, record.length + 1))).isInstanceOf(CryptoException.class);
        assertThat(bob.open(record).payload()).isEqualTo(utf8("do not touch"));
    }

    @Test
    void modifiedContentTypeOrCounterFailsAuthentication() throws CryptoException {
        TransportKeys keys = randomKeys();
        RecordCipher alice = FiveLayerCipher.create(keys, Role.INITIATOR);
        RecordCipher bob = FiveLayerCipher.create(keys, Role.RESPONDER);
        byte[] record = alice.seal(0x17, utf8("typed"));
        byte[] retyped = record.clone();
        retyped[1] = 0x18;
        assertThatThrownBy(() -> bob.open(retyped)).isInstanceOf(AuthenticationFailedException.class);
        byte[] recounted = record.clone();
        recounted[13] = 5;
        assertThatThrownBy(() -> bob.open(recounted)).isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void replayedRecordIsRejected() throws CryptoException {
        TransportKeys keys = randomKeys();
        RecordCipher alice = FiveLayerCipher.create(keys, Role.INITIATOR);
        RecordCipher bob = FiveLayerCipher.create(keys, Role.RESPONDER);
        byte[] record = alice.seal(0, utf8("once"));
        bob.open(record);
        assertThatThrownBy(() -> bob.open(record)).isInstanceOf(ReplayedRecordException.class);
        byte[] next = alice.seal(0, utf8("twice"));
        bob.open(next);
        assertThatThrownBy(() -> bob.open(record)).isInstanceOf(ReplayedRecordException.class);
        assertThatThrownBy(() -> bob.open(next)).isInstanceOf(ReplayedRecordException.class);
    }

    @Test
    void reorderedRecordsWithinTheWindowAreAcceptedExactlyOnce() throws CryptoException {
        TransportKeys keys = randomKeys();
        RecordCipher alice = FiveLayerCipher.create(keys, Role.INITIATOR);
        RecordCipher bob = FiveLayerCipher.create(keys, Role.RESPONDER);
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < FiveLayerCipher.REPLAY_WINDOW; i++) {
            records.add(alice.seal(0, new byte[] {(byte) i}));
        }
        // Newest first, then every older one down to the oldest still in the window.
        for (int i = records.size() - 1; i >= 0; i--) {
            assertThat(bob.open(records.get(i)).payload()).containsExactly((byte) i);
        }
        for (byte[] r : records) {
            assertThatThrownBy(() -> bob.open(r)).isInstanceOf(ReplayedRecordException.class);
        }
    }

    @Test
    void recordsOlderThanTheWindowAreRejected() throws CryptoException {
        TransportKeys keys = randomKeys();
        RecordCipher alice = FiveLayerCipher.create(keys, Role.INITIATOR);
        RecordCipher bob = FiveLayerCipher.create(keys, Role.RESPONDER);
        byte[] old = alice.seal(0, utf8("late"));
        byte[] edge = alice.seal(0, utf8("edge"));
        byte[] last = null;
        for (int i = 0; i < FiveLayerCipher.REPLAY_WINDOW - 1; i++) {
            last = alice.seal(0, utf8("x"));
        }
        // Counter 64 accepted: the window now holds counters 1..64, so 0 is out and 1 is the oldest in.
        assertThat(bob.open(last).counter()).isEqualTo(64);
        assertThatThrownBy(() -> bob.open(old)).isInstanceOf(ReplayedRecordException.class)
                .hasMessageContaining("older than the replay window");
        assertThat(bob.open(edge).payload()).isEqualTo(utf8("edge"));
    }

    @Test
    void directionKeysDiffer() throws CryptoException {
        TransportKeys keys = randomKeys();
        RecordCipher alice = FiveLayerCipher.create(keys, Role.INITIATOR);
        RecordCipher bob = FiveLayerCipher.create(keys, Role.RESPONDER);
        byte[] fromAlice = alice.seal(0, utf8("mirror"));
        byte[] fromBob = bob.seal(0, utf8("mirror"));
        // Same header, same plaintext, same counter: only the direction keys tell them apart.
        assertThat(Arrays.copyOf(fromAlice, 18)).isEqualTo(Arrays.copyOf(fromBob, 18));
        assertThat(fromAlice).isNotEqualTo(fromBob);
        // A record reflected back to its sender does not open.
        assertThatThrownBy(() -> alice.open(fromAlice)).isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> bob.open(fromBob)).isInstanceOf(AuthenticationFailedException.class);
        assertThat(bob.open(fromAlice).payload()).isEqualTo(utf8("mirror"));
    }

    @Test
    void explicitRekeyMovesToTheNextEpochAndTheReceiverFollows() throws CryptoException {
        TransportKeys keys = randomKeys();
        RecordCipher alice = FiveLayerCipher.create(keys, Role.INITIATOR);
        RecordCipher bob = FiveLayerCipher.create(keys, Role.RESPONDER);
        byte[] before = alice.seal(0, utf8("epoch 0"));
        alice.rekeySending();
        alice.rekeySending(); // pending until the next seal: still one epoch
        byte[] after = alice.seal(0, utf8("epoch 1"));
        assertThat(Bytes.readUint32(after, 2)).isEqualTo(1);
        assertThat(Bytes.readUint64(after, 6)).isZero();
        bob.open(before);
        ReceivedRecord r = bob.open(after);
        assertThat(r.epoch()).isEqualTo(1);
        assertThat(r.payload()).isEqualTo(utf8("epoch 1"));
        assertThatThrownBy(() -> bob.open(before)).isInstanceOf(ReplayedRecordException.class);
        assertThat(bob.open(alice.seal(0, utf8("more"))).counter()).isEqualTo(1);
    }

    @Test
    void forgedRecordOfTheNextEpochDoesNotMoveTheReceiver() throws CryptoException {
        TransportKeys keys = randomKeys();
        RecordCipher alice = FiveLayerCipher.create(keys, Role.INITIATOR);
        RecordCipher bob = FiveLayerCipher.create(keys, Role.RESPONDER);
        byte[] current = alice.seal(0, utf8("a"));
        byte[] forged = current.clone();
        forged[5] = 1; // epoch 1, body from epoch 0
        assertThatThrownBy(() -> bob.open(forged)).isInstanceOf(AuthenticationFailedException.class);
        byte[] far = current.clone();
        far[5] = 2;
        assertThatThrownBy(() -> bob.open(far)).isInstanceOf(AuthenticationFailedException.class);
        assertThat(bob.open(current).payload()).isEqualTo(utf8("a"));
    }

    @Test
    void senderRekeysAutomaticallyAtTheCounterLimit() throws CryptoException {
        TransportKeys keys = randomKeys();
        long limit = FiveLayerCipher.MAX_RECORDS_PER_EPOCH;
        FiveLayerRecordCipher alice = new FiveLayerRecordCipher(keys, Role.INITIATOR, 0, limit - 2);
        RecordCipher bob = FiveLayerCipher.create(keys, Role.RESPONDER);
        byte[] r1 = alice.seal(0, utf8("n-2"));
        byte[] r2 = alice.seal(0, utf8("n-1"));
        byte[] r3 = alice.seal(0, utf8("n"));
        assertThat(Bytes.readUint64(r1, 6)).isEqualTo(limit - 2);
        assertThat(Bytes.readUint64(r2, 6)).isEqualTo(limit - 1);
        assertThat(Bytes.readUint32(r3, 2)).isEqualTo(1);
        assertThat(Bytes.readUint64(r3, 6)).isZero();
        assertThat(bob.open(r1).payload()).isEqualTo(utf8("n-2"));
        assertThat(bob.open(r2).payload()).isEqualTo(utf8("n-1"));
        assertThat(bob.open(r3).payload()).isEqualTo(utf8("n"));
    }

    @Test
    void sealingIsRefusedWhenEveryEpochIsUsed() throws CryptoException {
        TransportKeys keys = randomKeys();
        long lastEpoch = FiveLayerRecordCipher.MAX_EPOCH;
        FiveLayerRecordCipher alice = new FiveLayerRecordCipher(keys, Role.INITIATOR, lastEpoch,
                FiveLayerCipher.MAX_RECORDS_PER_EPOCH - 1);
        FiveLayerRecordCipher bob = new FiveLayerRecordCipher(keys, Role.RESPONDER, lastEpoch, 0);
        assertThat(bob.open(alice.seal(0, utf8("last"))).payload()).isEqualTo(utf8("last"));
        assertThatThrownBy(() -> alice.seal(0, utf8("one too many"))).isInstanceOf(CryptoException.class)
                .hasMessageContaining("exhausted");
        FiveLayerRecordCipher carol = new FiveLayerRecordCipher(keys, Role.INITIATOR, lastEpoch, 0);
        carol.rekeySending();
        assertThatThrownBy(() -> carol.seal(0, utf8("no epoch left"))).isInstanceOf(CryptoException.class);
    }

    @Test
    void receiverRefusesCountersAtOrBeyondTheLimit() throws CryptoException {
        TransportKeys keys = randomKeys();
        RecordCipher alice = FiveLayerCipher.create(keys, Role.INITIATOR);
        RecordCipher bob = FiveLayerCipher.create(keys, Role.RESPONDER);
        byte[] record = alice.seal(0, utf8("x"));
        Bytes.writeUint64(record, 6, FiveLayerCipher.MAX_RECORDS_PER_EPOCH);
        assertThatThrownBy(() -> bob.open(record)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void closedCipherRefusesWork() throws CryptoException {
        RecordCipher alice = FiveLayerCipher.create(randomKeys(), Role.INITIATOR);
        byte[] record = alice.seal(0, utf8("x"));
        alice.close();
        assertThatThrownBy(() -> alice.seal(0, utf8("y"))).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> alice.open(record)).isInstanceOf(CryptoException.class);
    }

    /** The frozen vectors in jarvis2/record.json were generated by generate_record.py (Python cryptography). */
    @Test
    void implementationReproducesFrozenRecordVectors() throws CryptoException {
        RecordCipher initiator = FiveLayerCipher.create(katKeys(), Role.INITIATOR);
        RecordCipher responder = FiveLayerCipher.create(katKeys(), Role.RESPONDER);
        RecordCipher initiatorReader = FiveLayerCipher.create(katKeys(), Role.INITIATOR);
        RecordCipher responderReader = FiveLayerCipher.create(katKeys(), Role.RESPONDER);
        int checked = 0;
        for (JsonNode r : KAT.get("records")) {
            boolean fromInitiator = r.get("direction").asText().equals("initiator-to-responder");
            RecordCipher sender = fromInitiator ? initiator : responder;
            if (r.get("epoch").asInt() == 1) {
                sender.rekeySending();
            }
            byte[] record = sender.seal(r.get("content_type").asInt(), hex(r, "plaintext"));
            assertThat(record).as("record %d", checked).isEqualTo(hex(r, "record"));
            ReceivedRecord opened = (fromInitiator ? responderReader : initiatorReader).open(hex(r, "record"));
            assertThat(opened.payload()).isEqualTo(hex(r, "plaintext"));
            assertThat(opened.counter()).isEqualTo(r.get("counter").asLong());
            checked++;
        }
        assertThat(checked).isEqualTo(5);
    }

    /** Recomputes the frozen vectors with plain BouncyCastle calls, following docs/protocol.md only. */
    @Test
    void frozenRecordVectorsFollowTheSpecification() throws Exception {
        byte[] h = hex(KAT, "handshake_hash");
        for (JsonNode e : KAT.get("epochs")) {
            String direction = e.get("direction").asText();
            byte[] chain = hex(e, "chain_secret");
            if (e.get("epoch").asInt() == 0) {
                assertThat(chain).isEqualTo(hex(KAT, direction.startsWith("initiator")
                        ? "initiator_to_responder_secret" : "responder_to_initiator_secret"));
            } else {
                byte[] previous = hex(KAT, direction.startsWith("initiator")
                        ? "initiator_to_responder_secret" : "responder_to_initiator_secret");
                assertThat(chain).isEqualTo(bcHkdf(h, previous, "jarvis/2 record " + direction + " rekey"));
            }
            for (int n = 1; n <= 5; n++) {
                assertThat(hex(e.get("layer_keys").get(n - 1).asText()))
                        .isEqualTo(bcHkdf(h, chain, "jarvis/2 record " + direction + " layer " + n));
            }
        }
        for (JsonNode r : KAT.get("records")) {
            String direction = r.get("direction").asText();
            long counter = r.get("counter").asLong();
            byte[] plaintext = hex(r, "plaintext");
            byte[] chain = null;
            for (JsonNode e : KAT.get("epochs")) {
                if (e.get("direction").asText().equals(direction) && e.get("epoch").asInt() == r.get("epoch").asInt()) {
                    chain = hex(e, "chain_secret");
                }
            }
            byte[] header = new byte[18];
            header[0] = 2;
            header[1] = (byte) r.get("content_type").asInt();
            header[5] = (byte) r.get("epoch").asInt();
            for (int i = 0; i < 8; i++) {
                header[6 + i] = (byte) (counter >>> (56 - 8 * i));
            }
            int bodyLength = plaintext.length + 80;
            header[16] = (byte) (bodyLength >>> 8);
            header[17] = (byte) bodyLength;
            byte[] body = plaintext;
            for (int n = 1; n <= 5; n++) {
                byte[] nonce = new byte[12];
                nonce[3] = (byte) n;
                for (int i = 0; i < 8; i++) {
                    nonce[4 + i] = (byte) (counter >>> (56 - 8 * i));
                }
                AEADCipher cipher = n % 2 == 1 ? GCMBlockCipher.newInstance(AESEngine.newInstance())
                        : new ChaCha20Poly1305();
                byte[] key = bcHkdf(h, chain, "jarvis/2 record " + direction + " layer " + n);
                cipher.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, header));
                byte[] out = new byte[cipher.getOutputSize(body.length)];
                cipher.doFinal(out, cipher.processBytes(body, 0, body.length, out, 0));
                body = out;
            }
            byte[] expected = Bytes.concat(header, body);
            assertThat(expected).isEqualTo(hex(r, "record"));
        }
        assertThat(FiveLayerRecordCipher.LAYERS).containsExactly(Aead.AES_256_GCM, Aead.CHACHA20_POLY1305,
                Aead.AES_256_GCM, Aead.CHACHA20_POLY1305, Aead.AES_256_GCM);
    }

    private static byte[] bcHkdf(byte[] salt, byte[] ikm, String info) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
        g.init(new HKDFParameters(ikm, salt, info.getBytes(StandardCharsets.US_ASCII)));
        byte[] out = new byte[32];
        g.generateBytes(out, 0, 32);
        return out;
    }
}
