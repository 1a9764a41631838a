package jarvis.bench;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import jarvis.crypto.Aead;
import jarvis.crypto.CryptoException;
import jarvis.crypto.FiveLayerCipher;
import jarvis.crypto.ReceivedRecord;
import jarvis.crypto.RecordCipher;
import jarvis.crypto.Role;
import jarvis.crypto.TransportKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One record sealed by one side and opened by the other: the jarvis/2 five-layer cascade against a single
 * AES-256-GCM layer over the same plaintext, with the same shape of work (counter nonce, 18-byte header as
 * associated data, allocation of the output), so the ratio is the cost of the four extra layers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecordLayerBenchmark {

    @Param({"64", "1024", "65536"})
    public int size;

    private byte[] plaintext;
    private RecordCipher sender;
    private RecordCipher receiver;
    private byte[] aesKey;
    private byte[] header;
    private long counter;

    @Setup(Level.Trial)
    public void setUp() {
        SecureRandom random = new SecureRandom();
        plaintext = new byte[size];
        random.nextBytes(plaintext);
        TransportKeys keys = TransportKeys.of(bytes(random, 32), bytes(random, 32), bytes(random, 32));
        sender = FiveLayerCipher.create(keys, Role.INITIATOR);
        receiver = FiveLayerCipher.create(keys, Role.RESPONDER);
        keys.destroy();
        aesKey = bytes(random, 32);
        header = new byte[FiveLayerCipher.HEADER_LENGTH];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sender.close();
        receiver.close();
    }

    @Benchmark
    public byte[] fiveLayerSealOpen() throws CryptoException {
        ReceivedRecord record = receiver.open(sender.seal(1, plaintext));
        return record.payload();
    }

    @Benchmark
    public byte[] singleAesGcmSealOpen() throws CryptoException {
        byte[] nonce = ByteBuffer.allocate(Aead.NONCE_LENGTH).putLong(4, ++counter).array();
        ByteBuffer.wrap(header).putLong(6, counter);
        byte[] sealed = Aead.AES_256_GCM.seal(aesKey, nonce, header, plaintext);
        return Aead.AES_256_GCM.open(aesKey, nonce, header, sealed);
    }

    private static byte[] bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
