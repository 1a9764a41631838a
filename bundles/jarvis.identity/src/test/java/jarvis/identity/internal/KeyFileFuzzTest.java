package jarvis.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jarvis.api.identity.IdentityException;
import jarvis.crypto.Argon2id;
import jarvis.crypto.X25519KeyPair;
import jarvis.testing.fuzz.Fuzz;
import jarvis.testing.fuzz.Gen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes reading the key file format (docs/storage.md, "Key file format"): the identity file and the account
 * export, opened as {@code IdentityManager} opens them ({@link KeyFile#parse}, unwrap with the password, open the
 * body, {@link Sections#decode}, {@link Sections#identity}), and the decrypted section list on its own. Documented
 * refusal: {@link IdentityException} (CORRUPTED, or WRONG_PASSWORD when the authenticated header changed). Because the
 * trailing SHA-256 stops nearly every mutation at once, each file target also runs with the checksum recomputed
 * after mutation, so mutations reach the header, the cost and the wrap. A parsed cost never exceeds the documented
 * maxima; a file that opens is the one that was sealed.
 */
class KeyFileFuzzTest {

    static final String IDENTITY = "identity-file";
    static final String EXPORT = "account-export";
    static final String SECTIONS = "identity-sections";
    static final char[] PASSWORD = "correct horse".toCharArray();
    /** Cheap enough for thousands of tries; the format's real default is m = 64 MiB, t = 3. */
    static final Argon2id.Cost CHEAP = Argon2id.Cost.of(8, 1, 1);
    /** Files asking for more are only parsed, not unwrapped: within the documented bounds, but slow per try. */
    static final int UNWRAP_MAX_KIB = 256;
    static final int UNWRAP_MAX_ITERATIONS = 2;
    static final String UID = "0123456789abcdef0123456789abcdef";

    static IdentityRecord record() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 0x5a);
        return new IdentityRecord(UID, "alice 🌸", Instant.ofEpochSecond(1_700_000_000L, 123_000_000),
                X25519KeyPair.fromPrivateKey(key));
    }

    static byte[] sections(IdentityRecord record, Sections.Section... extra) {
        List<Sections.Section> list = new ArrayList<>(List.of(extra));
        list.add(new Sections.Section(Sections.IDENTITY, record.encode()));
        return Sections.encode(list);
    }

    static byte[] withChecksum(byte[] file) {
        if (file.length < KeyFile.CHECKSUM_LENGTH) {
            return file;
        }
        byte[] out = file.clone();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(out, 0, out.length - KeyFile.CHECKSUM_LENGTH);
            System.arraycopy(sha.digest(), 0, out, out.length - KeyFile.CHECKSUM_LENGTH, KeyFile.CHECKSUM_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** What IdentityManager does with a file of this kind and the right password. */
    static void open(byte[] bytes, KeyFile.Kind kind) throws IdentityException {
        KeyFile file = KeyFile.parse(bytes, kind);
        Argon2id.Cost cost = file.cost();
        assertThat(cost.memoryKiB()).isBetween(8, KeyFile.MAX_MEMORY_KIB);
        assertThat(cost.iterations()).isBetween(1, KeyFile.MAX_ITERATIONS);
        assertThat(cost.parallelism()).isBetween(1, KeyFile.MAX_PARALLELISM);
        if (cost.memoryKiB() > UNWRAP_MAX_KIB || cost.iterations() > UNWRAP_MAX_ITERATIONS) {
            return;
        }
        byte[] masterKey = file.unwrapMasterKey(PASSWORD.clone());
        List<Sections.Section> sections = List.of();
        try {
            sections = Sections.decode(file.openBody(masterKey), kind.label);
            IdentityRecord got = Sections.identity(sections, kind.label);
            // Only the sealed file authenticates: it must give back the sealed identity.
            sameIdentity(got, record());
        } finally {
            Sections.wipe(sections);
        }
    }

    static void sameIdentity(IdentityRecord got, IdentityRecord expected) {
        assertThat(got.uid()).isEqualTo(expected.uid());
        assertThat(got.username()).isEqualTo(expected.username());
        assertThat(got.createdAt()).isEqualTo(expected.createdAt());
        assertThat(got.keyPair().publicKey()).isEqualTo(expected.keyPair().publicKey());
    }

    static void decodeSections(byte[] plaintext) throws IdentityException {
        List<Sections.Section> sections = Sections.decode(plaintext, KeyFile.Kind.EXPORT.label);
        assertThat(sections.size()).isLessThanOrEqualTo(1024);
        IdentityRecord record = Sections.identity(sections, KeyFile.Kind.EXPORT.label);
        assertThat(record.uid()).matches("[0-9a-f]{32}");
        assertThat(IdentityRecord.checkUsername(record.username())).isEqualTo(record.username());
        // What decodes re-encodes to a record that decodes the same.
        sameIdentity(IdentityRecord.decode(record.encode(), "again"), record);
    }

    static Map<String, byte[]> fileCorpus(KeyFile.Kind kind) {
        SecureRandom random = new SecureRandom();
        byte[] masterKey = Gen.bytes(new java.util.Random(), 32);
        Sections.Section unknown = new Sections.Section(77, "a later version's section".getBytes(StandardCharsets.UTF_8));
        byte[] content = kind == KeyFile.Kind.EXPORT ? sections(record(), unknown) : sections(record());
        byte[] valid = KeyFile.seal(kind, CHEAP, PASSWORD.clone(), masterKey, content, random);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("valid-cheap-cost", valid);
        files.put("valid-cost-256k-t2", KeyFile.seal(kind, Argon2id.Cost.of(256, 2, 1), PASSWORD.clone(), masterKey,
                content, random));
        files.put("bad-truncated", Arrays.copyOf(valid, valid.length - 1));
        byte[] magic = valid.clone();
        magic[0] = 'X';
        files.put("bad-magic", withChecksum(magic));
        byte[] version = valid.clone();
        version[9] = 2;
        files.put("bad-version", withChecksum(version));
        files.put("bad-other-kind", KeyFile.seal(kind == KeyFile.Kind.IDENTITY ? KeyFile.Kind.EXPORT
                : KeyFile.Kind.IDENTITY, CHEAP, PASSWORD.clone(), masterKey, content, random));
        byte[] memory = valid.clone();
        ByteBuffer.wrap(memory).putInt(12, Integer.MAX_VALUE);
        files.put("bad-memory-2p31", withChecksum(memory));
        byte[] lanes = valid.clone();
        ByteBuffer.wrap(lanes).putInt(20, 17);
        files.put("bad-lanes-17", withChecksum(lanes));
        byte[] salt = valid.clone();
        salt[24] = 65;
        files.put("bad-salt-length-65", withChecksum(salt));
        byte[] bodyLength = valid.clone();
        ByteBuffer.wrap(bodyLength).putInt(97 + KeyFile.SALT_LENGTH, Integer.MAX_VALUE);
        files.put("bad-body-length-2p31", withChecksum(bodyLength));
        byte[] wrap = valid.clone();
        wrap[40 + KeyFile.SALT_LENGTH] ^= 1;
        files.put("bad-wrap-tag", withChecksum(wrap));
        byte[] body = valid.clone();
        body[body.length - KeyFile.CHECKSUM_LENGTH - 1] ^= 1;
        files.put("bad-body-tag", withChecksum(body));
        return files;
    }

    static Map<String, byte[]> sectionCorpus() {
        IdentityRecord r = record();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("valid-identity-only", sections(r));
        files.put("valid-with-unknown-sections", sections(r, new Sections.Section(9, new byte[] {1, 2, 3}),
                new Sections.Section(65535, new byte[0])));
        files.put("bad-two-identities", Sections.encode(List.of(new Sections.Section(1, r.encode()),
                new Sections.Section(1, r.encode()))));
        files.put("bad-no-identity", Sections.encode(List.of(new Sections.Section(2, new byte[4]))));
        byte[] length = sections(r);
        ByteBuffer.wrap(length).putInt(6, Integer.MAX_VALUE);
        files.put("bad-section-length-2p31", length);
        byte[] negative = sections(r);
        ByteBuffer.wrap(negative).putInt(6, 0x8000_0000);
        files.put("bad-section-length-negative", negative);
        byte[] count = sections(r);
        ByteBuffer.wrap(count).putShort(2, (short) 0xffff);
        files.put("bad-count-65535", count);
        byte[] wrongKey = sections(r);
        wrongKey[wrongKey.length - r.encode().length + 16 + 12 + 32] ^= 1;
        files.put("bad-public-key-not-the-private-keys", wrongKey);
        byte[] nameLength = sections(r);
        ByteBuffer.wrap(nameLength).putShort(10 + 16 + 12 + 64, (short) 0xffff);
        files.put("bad-name-length", nameLength);
        return files;
    }

    private Fuzz fileTarget(String name, String corpus) {
        return Fuzz.target(name).corpusOf(corpus)
                .documented(IdentityException.class)
                .tries(3000)
                .interesting(KeyFile.MAX_MEMORY_KIB, KeyFile.MAX_ITERATIONS, KeyFile.MAX_PARALLELISM,
                        KeyFile.MAX_BODY_LENGTH, 16, 64, UNWRAP_MAX_KIB)
                .lengths(400, 1 << 16)
                // Argon2id at most 256 KiB here; everything else is linear in the file.
                .maxAllocation(input -> (8L << 20) + 16L * input.length);
    }

    @Test
    void identityFilesOpenOrAreRefusedWithIdentityException() {
        Fuzz.Report raw = fileTarget(IDENTITY, IDENTITY).run(input -> open(input, KeyFile.Kind.IDENTITY));
        Fuzz.Report summed = fileTarget(IDENTITY + "-checksummed", IDENTITY)
                .run(input -> open(withChecksum(input), KeyFile.Kind.IDENTITY));
        assertThat(raw.accepted()).isGreaterThanOrEqualTo(2);
        assertThat(summed.accepted()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void accountExportsOpenOrAreRefusedWithIdentityException() {
        Fuzz.Report raw = fileTarget(EXPORT, EXPORT).run(input -> open(input, KeyFile.Kind.EXPORT));
        Fuzz.Report summed = fileTarget(EXPORT + "-checksummed", EXPORT)
                .run(input -> open(withChecksum(input), KeyFile.Kind.EXPORT));
        assertThat(raw.accepted()).isGreaterThanOrEqualTo(2);
        assertThat(summed.accepted()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void decryptedSectionListsDecodeOrAreRefusedWithIdentityException() {
        Fuzz.target(SECTIONS)
                .documented(IdentityException.class)
                .tries(20_000)
                .interesting(1024, 65535, 0x7fff_ffffL, IdentityRecord.MAX_USERNAME_CHARS)
                .lengths(300, 1 << 16)
                .maxAllocation(input -> (1L << 20) + 16L * input.length)
                .run(KeyFileFuzzTest::decodeSections);
    }

    @Test
    void anyIdentityRoundTripsThroughSectionsAndASealedFile() {
        Fuzz.target(SECTIONS + "-round-trip").tries(300).property(r -> {
            String name;
            do {
                name = Gen.text(r, IdentityRecord.MAX_USERNAME_CHARS, false);
            } while (name.isBlank());
            IdentityRecord sent = new IdentityRecord(Gen.uid(r), name,
                    Instant.ofEpochSecond(r.nextInt() & 0x7fffffffL, r.nextInt(1_000_000_000)),
                    X25519KeyPair.fromPrivateKey(Gen.bytes(r, 32)));
            List<Sections.Section> list = new ArrayList<>();
            for (int i = 0; i < r.nextInt(4); i++) {
                list.add(new Sections.Section(2 + r.nextInt(1000), Gen.bytes(r, r.nextInt(100))));
            }
            list.add(r.nextInt(list.size() + 1), new Sections.Section(Sections.IDENTITY, sent.encode()));
            byte[] content = Sections.encode(list);
            List<Sections.Section> back = Sections.decode(content, "test");
            assertThat(back).hasSameSizeAs(list);
            for (int i = 0; i < list.size(); i++) {
                assertThat(back.get(i).type()).isEqualTo(list.get(i).type());
                assertThat(back.get(i).data()).isEqualTo(list.get(i).data());
            }
            sameIdentity(Sections.identity(back, "test"), sent);
            KeyFile.Kind kind = r.nextBoolean() ? KeyFile.Kind.IDENTITY : KeyFile.Kind.EXPORT;
            byte[] masterKey = Gen.bytes(r, 32);
            byte[] file = KeyFile.seal(kind, CHEAP, PASSWORD.clone(), masterKey, content, new SecureRandom());
            KeyFile parsed = KeyFile.parse(file, kind);
            assertThat(parsed.unwrapMasterKey(PASSWORD.clone())).isEqualTo(masterKey);
            assertThat(parsed.openBody(masterKey)).isEqualTo(content);
        });
    }

    @Test
    @EnabledIfSystemProperty(named = Fuzz.WRITE_CORPUS_PROPERTY, matches = "true")
    void writeCorpus() throws IOException {
        Fuzz.writeCorpus(IDENTITY, fileCorpus(KeyFile.Kind.IDENTITY));
        Fuzz.writeCorpus(EXPORT, fileCorpus(KeyFile.Kind.EXPORT));
        Fuzz.writeCorpus(SECTIONS, sectionCorpus());
    }
}
