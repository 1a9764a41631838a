package jarvis.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jarvis.crypto.CryptoException;
import jarvis.crypto.FiveLayerCipher;
import jarvis.crypto.ReceivedRecord;
import jarvis.crypto.ReplayedRecordException;
import jarvis.crypto.Role;
import jarvis.crypto.TransportKeys;
import jarvis.testing.fuzz.Fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes {@link FiveLayerRecordCipher#open} (docs/protocol.md §3). An input is a transcript: records, each
 * preceded by its length as u32be (a length past the end takes what is left), opened in order by one receiver.
 * Documented refusal: {@link CryptoException} and its subclasses. Beyond "no other exception", every record that
 * opens must be one the real sender sealed under the test keys (same type, epoch, counter and plaintext: the
 * sender is deterministic, so the genuine records are known), and none opens twice in one transcript.
 */
class RecordOpenFuzzTest {

    static final String TARGET = "record-open";
    /** The keys of the frozen vectors (vectors/jarvis2/record.json). */
    static final TransportKeys KEYS = TransportKeys.of(range(0x00), range(0x20), range(0x40));
    static final int EPOCH0_RECORDS = 40;
    static final int EPOCH1_RECORDS = 10;

    record Genuine(int type, long epoch, long counter, byte[] plaintext) {
    }

    /** Every record the test sender seals, by its bytes. */
    private static final Map<ByteBuffer, Genuine> GENUINE = new HashMap<>();
    private static final List<byte[]> RECORDS = new ArrayList<>();

    static {
        try (FiveLayerRecordCipher sender = new FiveLayerRecordCipher(KEYS, Role.INITIATOR)) {
            for (int i = 0; i < EPOCH0_RECORDS + EPOCH1_RECORDS; i++) {
                if (i == EPOCH0_RECORDS) {
                    sender.rekeySending();
                }
                int type = 0x10 + i % 5;
                byte[] plaintext = plaintext(i);
                byte[] record = sender.seal(type, plaintext);
                RECORDS.add(record);
                GENUINE.put(ByteBuffer.wrap(record), new Genuine(type, i < EPOCH0_RECORDS ? 0 : 1,
                        i < EPOCH0_RECORDS ? i : i - EPOCH0_RECORDS, plaintext));
            }
        } catch (CryptoException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static byte[] range(int from) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static byte[] plaintext(int i) {
        if (i == 3) {
            return new byte[0];
        }
        if (i == 7) {
            return new byte[FiveLayerCipher.MAX_PLAINTEXT_LENGTH];
        }
        return ("record " + i + " ").repeat(1 + i % 4).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] transcript(int... indexes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i : indexes) {
            byte[] r = RECORDS.get(i);
            out.writeBytes(ByteBuffer.allocate(4).putInt(r.length).array());
            out.writeBytes(r);
        }
        return out.toByteArray();
    }

    static List<byte[]> split(byte[] input) {
        List<byte[]> records = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(input);
        while (in.hasRemaining()) {
            if (in.remaining() < 4) {
                byte[] rest = new byte[in.remaining()];
                in.get(rest);
                records.add(rest);
                break;
            }
            long length = Integer.toUnsignedLong(in.getInt());
            byte[] record = new byte[(int) Math.min(length, in.remaining())];
            in.get(record);
            records.add(record);
        }
        return records;
    }

    /** Opens every record of the transcript with one fresh receiver; rethrows the first refusal at the end. */
    static void openTranscript(byte[] input) throws CryptoException {
        CryptoException firstRefusal = null;
        Set<String> opened = new HashSet<>();
        try (FiveLayerRecordCipher receiver = new FiveLayerRecordCipher(KEYS, Role.RESPONDER)) {
            for (byte[] record : split(input)) {
                ReceivedRecord got;
                try {
                    got = receiver.open(record);
                } catch (CryptoException e) {
                    firstRefusal = firstRefusal == null ? e : firstRefusal;
                    continue;
                }
                Genuine genuine = GENUINE.get(ByteBuffer.wrap(record));
                assertThat(genuine).as("an opened record was sealed by the sender").isNotNull();
                assertThat(got.contentType()).isEqualTo(genuine.type());
                assertThat(got.epoch()).isEqualTo(genuine.epoch());
                assertThat(got.counter()).isEqualTo(genuine.counter());
                assertThat(got.payload()).isEqualTo(genuine.plaintext());
                assertThat(opened.add(got.epoch() + "/" + got.counter())).as("record opened twice").isTrue();
            }
        }
        if (firstRefusal != null) {
            throw firstRefusal;
        }
    }

    static Map<String, byte[]> corpus() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("valid-one-record", transcript(0));
        files.put("valid-in-order", transcript(0, 1, 2, 3, 4, 5));
        files.put("valid-reordered-within-window", transcript(2, 0, 1, 5, 4, 3));
        files.put("valid-largest-record", transcript(0, 7));
        files.put("valid-rekey", transcript(38, 39, 40, 41, 42));
        byte[] version = transcript(0);
        version[4] = 1;
        files.put("bad-version", version);
        files.put("bad-replay", transcript(0, 1, 1));
        files.put("bad-superseded-epoch", transcript(40, 1));
        byte[] future = transcript(0, 1);
        // The second record claims epoch 5: only the current epoch and the next one are ever tried.
        ByteBuffer.wrap(future).putInt(4 + RECORDS.get(0).length + 4 + 2, 5);
        files.put("bad-future-epoch", future);
        byte[] flipped = transcript(0);
        flipped[flipped.length - 1] ^= 1;
        files.put("bad-tag", flipped);
        byte[] hugeLength = transcript(0);
        // Body length field (header offset 14) at 2^31 - 1: refused before anything of that size exists.
        ByteBuffer.wrap(hugeLength).putInt(4 + 14, Integer.MAX_VALUE);
        files.put("bad-body-length-2p31", hugeLength);
        byte[] counter48 = transcript(0);
        ByteBuffer.wrap(counter48).putLong(4 + 6, FiveLayerCipher.MAX_RECORDS_PER_EPOCH);
        files.put("bad-counter-2p48", counter48);
        files.put("bad-empty-record", new byte[] {0, 0, 0, 0});
        return files;
    }

    @Test
    void openRefusesEverythingButGenuineFreshRecordsWithCryptoExceptionOnly() {
        Fuzz.Report report = Fuzz.target(TARGET)
                .documented(CryptoException.class)
                .tries(20_000)
                .interesting(FiveLayerCipher.HEADER_LENGTH, FiveLayerCipher.LAYER_OVERHEAD,
                        FiveLayerCipher.MAX_PLAINTEXT_LENGTH, FiveLayerCipher.MAX_PLAINTEXT_LENGTH
                                + FiveLayerCipher.LAYER_OVERHEAD, FiveLayerCipher.MAX_RECORD_LENGTH,
                        FiveLayerCipher.MAX_RECORDS_PER_EPOCH, FiveLayerCipher.MAX_RECORDS_PER_EPOCH - 1,
                        FiveLayerRecordCipher.MAX_EPOCH)
                .lengths(400, 4 * FiveLayerCipher.MAX_RECORD_LENGTH)
                // Opening copies a record a handful of times (header, body, five layers): linear in the input.
                .maxAllocation(input -> (1L << 20) + 16L * input.length)
                .run(RecordOpenFuzzTest::openTranscript);
        assertThat(report.accepted()).as("the valid corpus opens").isGreaterThanOrEqualTo(5);
        assertThat(report.refused()).containsKey("AuthenticationFailedException");
    }

    @Test
    void sealThenOpenRoundTripsWithRekeysAndRefusesEveryReplay() {
        Fuzz.target(TARGET + "-round-trip").tries(300).property(random -> {
            byte[][] parts = new byte[3][32];
            for (byte[] p : parts) {
                random.nextBytes(p);
            }
            TransportKeys keys = TransportKeys.of(parts[0], parts[1], parts[2]);
            try (FiveLayerRecordCipher a = new FiveLayerRecordCipher(keys, Role.INITIATOR);
                    FiveLayerRecordCipher b = new FiveLayerRecordCipher(keys, Role.RESPONDER)) {
                List<byte[]> sealed = new ArrayList<>();
                for (int i = 0; i < 1 + random.nextInt(20); i++) {
                    if (random.nextInt(5) == 0) {
                        a.rekeySending();
                    }
                    byte[] plaintext = new byte[random.nextInt(8) == 0 ? random.nextInt(
                            FiveLayerCipher.MAX_PLAINTEXT_LENGTH + 1) : random.nextInt(300)];
                    random.nextBytes(plaintext);
                    int type = random.nextInt(256);
                    byte[] record = a.seal(type, plaintext);
                    assertThat(record).hasSize(FiveLayerCipher.HEADER_LENGTH + plaintext.length
                            + FiveLayerCipher.LAYER_OVERHEAD);
                    ReceivedRecord got = b.open(record);
                    assertThat(got.contentType()).isEqualTo(type);
                    assertThat(got.payload()).isEqualTo(plaintext);
                    sealed.add(record);
                    // And the other direction, which has its own keys.
                    byte[] back = b.seal(type, plaintext);
                    assertThat(a.open(back).payload()).isEqualTo(plaintext);
                }
                for (byte[] record : sealed) {
                    assertThatThrownBy(() -> b.open(record)).isInstanceOf(ReplayedRecordException.class);
                }
            }
        });
    }

    @Test
    void everyLengthFieldNear2To31IsRefusedWithoutAllocatingIt() throws CryptoException {
        byte[] genuine = RECORDS.get(0);
        for (long value : new long[] {0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 0x7fff_fff0L}) {
            byte[] record = genuine.clone();
            Bytes.writeUint32(record, 14, value);
            try (FiveLayerRecordCipher receiver = new FiveLayerRecordCipher(KEYS, Role.RESPONDER)) {
                assertThatThrownBy(() -> receiver.open(record)).isInstanceOf(CryptoException.class)
                        .hasMessageContaining("length field");
                assertThat(receiver.open(genuine).payload()).isEqualTo(plaintext(0));
            }
        }
    }

    @Test
    @EnabledIfSystemProperty(named = Fuzz.WRITE_CORPUS_PROPERTY, matches = "true")
    void writeCorpus() throws IOException {
        Fuzz.writeCorpus(TARGET, corpus());
    }
}
