package jarvis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jarvis.api.IdentitySummary;
import jarvis.api.identity.IdentityException;
import jarvis.crypto.Argon2id;
import jarvis.identity.internal.IdentityManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Unlocking the identity at the real cost (Argon2id m = 64 MiB, t = 3, p = 1): read and check the file,
 * derive the key-encryption key, unwrap the master key, decrypt the identity record, derive the store key;
 * then lock again. Argon2id alone is measured beside it to show where the time goes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class UnlockBenchmark {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    private Path data;
    private IdentityManager identity;
    private final byte[] salt = new byte[16];

    @Setup
    public void setUp() throws IOException, IdentityException {
        data = Files.createTempDirectory("jarvis-bench");
        identity = IdentityManager.forDataDirectory(data);
        identity.create("bench", PASSWORD.clone());
        identity.lock();
    }

    @TearDown
    public void tearDown() throws IOException {
        identity.lock();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public IdentitySummary unlockThenLock() throws IdentityException {
        // The service wipes the password it is given, hence a copy per call.
        IdentitySummary summary = identity.unlock(PASSWORD.clone());
        identity.lock();
        return summary;
    }

    @Benchmark
    public byte[] argon2idAlone() {
        return Argon2id.derive(PASSWORD, salt, Argon2id.Cost.JARVIS, 32);
    }
}
