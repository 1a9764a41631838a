package jarvis.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import jarvis.api.identity.IdentityException;
import jarvis.api.identity.IdentityException.Reason;
import jarvis.crypto.Argon2id;
import org.junit.jupiter.api.Test;

/** The key file format of {@code docs/storage.md}, without the service around it. */
class KeyFileTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Argon2id.Cost CHEAP = IdentityManagerTest.CHEAP;

    private static byte[] sealed(byte[] masterKey, byte[] content) {
        return KeyFile.seal(KeyFile.Kind.IDENTITY, CHEAP, "pw".toCharArray(), masterKey, content, RANDOM);
    }

    @Test
    void layoutMatchesTheDocumentedOffsets() throws Exception {
        byte[] masterKey = new byte[32];
        RANDOM.nextBytes(masterKey);
        byte[] content = Sections.encode(List.of(new Sections.Section(7, new byte[] {1, 2, 3})));
        byte[] file = sealed(masterKey, content);
        ByteBuffer in = ByteBuffer.wrap(file);
        byte[] magic = new byte[8];
        in.get(magic);
        assertThat(new String(magic, "US-ASCII")).isEqualTo("JARVISKF");
        assertThat(in.getShort()).isEqualTo((short) 1);
        assertThat(in.get()).as("kind identity").isEqualTo((byte) 1);
        assertThat(in.get()).as("kdf Argon2id").isEqualTo((byte) 1);
        assertThat(in.getInt()).isEqualTo(CHEAP.memoryKiB());
        assertThat(in.getInt()).isEqualTo(CHEAP.iterations());
        assertThat(in.getInt()).isEqualTo(CHEAP.parallelism());
        assertThat(in.get()).as("salt length").isEqualTo((byte) 16);
        in.position(in.position() + 16 + 12 + 48 + 12);
        int bodyLength = in.getInt();
        assertThat(bodyLength).isEqualTo(content.length + 16);
        assertThat(file.length).isEqualTo(in.position() + bodyLength + 32);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(file, file.length - 32));
        assertThat(Arrays.copyOfRange(file, file.length - 32, file.length)).isEqualTo(digest);

        KeyFile parsed = KeyFile.parse(file, KeyFile.Kind.IDENTITY);
        byte[] unwrapped = parsed.unwrapMasterKey("pw".toCharArray());
        assertThat(unwrapped).isEqualTo(masterKey);
        assertThat(parsed.openBody(unwrapped)).isEqualTo(content);
        assertThat(KeyFile.storeKey(masterKey)).hasSize(32).isNotEqualTo(masterKey);
    }

    @Test
    void everyTruncationIsCorruptedNeverAnotherException() {
        byte[] file = sealed(new byte[32], Sections.encode(List.of()));
        for (int n = 0; n < file.length; n++) {
            byte[] truncated = Arrays.copyOf(file, n);
            assertThatThrownBy(() -> KeyFile.parse(truncated, KeyFile.Kind.IDENTITY)).as("length %d", n)
                    .isInstanceOfSatisfying(IdentityException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPTED));
        }
    }

    @Test
    void absurdCostInAConsistentFileIsRefusedBeforeArgon2() throws Exception {
        byte[] file = sealed(new byte[32], Sections.encode(List.of()));
        ByteBuffer.wrap(file).putInt(12, 4 * 1024 * 1024);
        byte[] content = Arrays.copyOf(file, file.length - 32);
        System.arraycopy(MessageDigest.getInstance("SHA-256").digest(content), 0, file, file.length - 32, 32);
        assertThatThrownBy(() -> KeyFile.parse(file, KeyFile.Kind.IDENTITY))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.getMessage()).contains("unacceptable Argon2id cost"));
    }

    @Test
    void tamperedHeaderWithFixedChecksumIsAWrongPasswordNotAnUnwrap() throws Exception {
        // The checksum is no security: the wrap's associated data is what binds the header.
        byte[] file = sealed(new byte[32], Sections.encode(List.of()));
        file[30] ^= 1; // inside the salt
        byte[] content = Arrays.copyOf(file, file.length - 32);
        System.arraycopy(MessageDigest.getInstance("SHA-256").digest(content), 0, file, file.length - 32, 32);
        KeyFile parsed = KeyFile.parse(file, KeyFile.Kind.IDENTITY);
        assertThatThrownBy(() -> parsed.unwrapMasterKey("pw".toCharArray()))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD));
    }

    @Test
    void sectionListSkipsNothingAndRejectsTrailingBytes() throws Exception {
        byte[] encoded = Sections.encode(List.of(new Sections.Section(1, new byte[] {9}),
                new Sections.Section(500, new byte[0])));
        List<Sections.Section> decoded = Sections.decode(encoded, "x");
        assertThat(decoded).extracting(Sections.Section::type).containsExactly(1, 500);
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        assertThatThrownBy(() -> Sections.decode(longer, "x")).hasMessage("x is corrupted: bytes after the last section");
        byte[] newer = encoded.clone();
        newer[1] = 2;
        assertThatThrownBy(() -> Sections.decode(newer, "x")).hasMessageContaining("content format 2");
    }
}
