package jarvis.bench;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import jarvis.crypto.Aead;
import jarvis.crypto.CryptoException;
import jarvis.crypto.NoiseHandshake;
import jarvis.crypto.NoisePattern;
import jarvis.crypto.TransportKeys;
import jarvis.crypto.X25519KeyPair;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Complete Noise IK handshakes, both sides in one thread: initiator writes, responder reads and answers,
 * initiator reads, both split. Four X25519 operations per side plus two key generations, so one op here is
 * the CPU cost two daemons together pay for one session.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBenchmark {

    @Param({"CHACHA20_POLY1305", "AES_256_GCM"})
    public Aead cipher;

    private final SecureRandom random = new SecureRandom();
    private final byte[] prologue = "jarvis/2 bench".getBytes(StandardCharsets.US_ASCII);
    private final byte[] empty = new byte[0];
    private X25519KeyPair initiatorStatic;
    private X25519KeyPair responderStatic;
    private byte[] responderPublic;

    @Setup
    public void setUp() {
        initiatorStatic = X25519KeyPair.generate(random);
        responderStatic = X25519KeyPair.generate(random);
        responderPublic = responderStatic.publicKey();
    }

    @Benchmark
    public TransportKeys completeIkHandshake() throws CryptoException {
        try (NoiseHandshake initiator = NoiseHandshake.initiator(NoisePattern.IK, cipher, prologue, initiatorStatic,
                responderPublic, random);
                NoiseHandshake responder = NoiseHandshake.responder(NoisePattern.IK, cipher, prologue,
                        responderStatic, random)) {
            responder.readMessage(initiator.writeMessage(empty));
            initiator.readMessage(responder.writeMessage(empty));
            TransportKeys responderKeys = responder.split();
            responderKeys.destroy();
            return initiator.split();
        }
    }
}
