package jarvis.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id, version 0x13 (RFC 9106), the password hash behind every key Jarvis derives from a password.
 * CPU- and memory-heavy by design: never call it on an event-loop thread.
 */
public final class Argon2id {

    private Argon2id() {
    }

    /** Cost parameters: memory in KiB, passes and lanes. */
    public static final class Cost {

        /** Jarvis 1.x and jarvis/2 at-rest keys: m = 64 MiB, t = 3, p = 1. */
        public static final Cost JARVIS = new Cost(65536, 3, 1);

        private final int memoryKiB;
        private final int iterations;
        private final int parallelism;

        private Cost(int memoryKiB, int iterations, int parallelism) {
            this.memoryKiB = memoryKiB;
            this.iterations = iterations;
            this.parallelism = parallelism;
        }

        /**
         * Validated cost. {@code memoryKiB} must be at least {@code 8 * parallelism} (RFC 9106) and at most
         * 4 GiB; iterations 1..1024; parallelism 1..64 (bounds that keep imported files from asking for
         * absurd work).
         */
        public static Cost of(int memoryKiB, int iterations, int parallelism) {
            if (parallelism < 1 || parallelism > 64) {
                throw new IllegalArgumentException("parallelism must be 1..64");
            }
            if (iterations < 1 || iterations > 1024) {
                throw new IllegalArgumentException("iterations must be 1..1024");
            }
            if (memoryKiB < 8 * parallelism || memoryKiB > 4 * 1024 * 1024) {
                throw new IllegalArgumentException("memory must be 8*p KiB .. 4 GiB");
            }
            return new Cost(memoryKiB, iterations, parallelism);
        }

        public int memoryKiB() {
            return memoryKiB;
        }

        public int iterations() {
            return iterations;
        }

        public int parallelism() {
            return parallelism;
        }

        @Override
        public String toString() {
            return "Argon2id[m=" + memoryKiB + " KiB, t=" + iterations + ", p=" + parallelism + "]";
        }
    }

    /** Argon2id of {@code password} (UTF-8 bytes) and {@code salt}, without secret or associated data. */
    public static byte[] derive(byte[] password, byte[] salt, Cost cost, int outputLength) {
        return derive(password, salt, null, null, cost, outputLength);
    }

    /**
     * Argon2id with the optional secret value K and associated data X of RFC 9106 section 3.1
     * ({@code null} for none).
     */
    public static byte[] derive(byte[] password, byte[] salt, byte[] secret, byte[] associatedData, Cost cost,
            int outputLength) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(cost, "cost");
        if (salt.length < 8) {
            throw new IllegalArgumentException("Argon2 salt must be at least 8 bytes");
        }
        if (outputLength < 4 || outputLength > 1024) {
            throw new IllegalArgumentException("Argon2 output length must be 4..1024");
        }
        Argon2Parameters.Builder builder = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withIterations(cost.iterations)
                .withMemoryAsKB(cost.memoryKiB)
                .withParallelism(cost.parallelism)
                .withSalt(salt);
        if (secret != null) {
            builder.withSecret(secret);
        }
        if (associatedData != null) {
            builder.withAdditional(associatedData);
        }
        Argon2Parameters parameters = builder.build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[outputLength];
        generator.generateBytes(password, out);
        parameters.clear();
        return out;
    }

    /** Argon2id of a password held as characters, encoded as UTF-8 into a buffer that is wiped afterwards. */
    public static byte[] derive(char[] password, byte[] salt, Cost cost, int outputLength) {
        byte[] utf8 = utf8(password);
        try {
            return derive(utf8, salt, cost, outputLength);
        } finally {
            Secrets.wipe(utf8);
        }
    }

    /**
     * UTF-8 bytes of a password without creating a String (which could not be wiped). Unpaired surrogates
     * are refused rather than silently replaced, so two different passwords never map to the same bytes.
     */
    public static byte[] utf8(char[] password) {
        Objects.requireNonNull(password, "password");
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer;
        try {
            buffer = encoder.encode(CharBuffer.wrap(password));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("password is not valid Unicode (unpaired surrogate)", e);
        }
        byte[] out = Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return out;
    }
}
