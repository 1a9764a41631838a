package jarvis.account.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jarvis.api.Ids;
import jarvis.api.account.AccountException;
import jarvis.crypto.Argon2id;
import jarvis.testing.fuzz.Fuzz;
import jarvis.testing.fuzz.Gen;
import jarvis.testing.fuzz.Mutator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzz targets of the account bundle's parsers (docs/testing.md): the account file as the import reads it (envelope
 * and chunks, then the content records), the decrypted content alone (where the GCM tags no longer stop mutations),
 * and the three Jarvis 1.x data files. Every refusal must be an {@link AccountException}; everything accepted must
 * satisfy what the import relies on.
 */
class AccountFuzzTest {

    static final String FILE = "account-file";
    static final String CONTENT = "account-content";
    static final String CONTACTS = "legacy-contacts";
    static final String GROUPS = "legacy-groups";
    static final String MESSAGES = "legacy-messages";
    static final char[] PASSWORD = "fuzz".toCharArray();
    /** The corpus is written at this cost; costs above it are parsed but not run (too slow per try). */
    static final Argon2id.Cost CHEAP = Argon2id.Cost.of(64, 1, 1);

    /** Checks what every accepted record holds. */
    static class Checks implements AccountContent.Sink {
        List<AccountContent.Column> columns;
        int rows;

        @Override
        public void identity(byte[] identityExport) {
            assertThat(identityExport.length).isBetween(1, AccountContent.MAX_IDENTITY);
        }

        @Override
        public void schema(String module, int version) {
            assertThat(module).matches(AccountContent.MODULE);
            assertThat(version).isPositive();
        }

        @Override
        public void table(String name, List<AccountContent.Column> cs) {
            assertThat(name).matches(AccountContent.IDENTIFIER);
            assertThat(cs).isNotEmpty().hasSizeLessThanOrEqualTo(AccountContent.MAX_COLUMNS);
            columns = cs;
        }

        @Override
        public void row(Object[] values) {
            assertThat(values).hasSize(columns.size());
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v == null) {
                    continue;
                }
                Class<?> expected = switch (columns.get(i).type()) {
                    case BOOLEAN -> Boolean.class;
                    case INTEGER -> Long.class;
                    case TEXT -> String.class;
                    case BYTES -> byte[].class;
                    case TIMESTAMP -> OffsetDateTime.class;
                };
                assertThat(v).isInstanceOf(expected);
            }
            rows++;
        }

        @Override
        public void sequence(String name, long next) {
            assertThat(name).matches(AccountContent.IDENTIFIER);
        }

        @Override
        public void end(int tables, long r) {
            assertThat(r).isEqualTo(rows);
        }
    }

    static void file(byte[] input) throws AccountException {
        if (input.length >= 24 && (ByteBuffer.wrap(input, 11, 4).getInt() > 256
                || ByteBuffer.wrap(input, 15, 4).getInt() > 2 || ByteBuffer.wrap(input, 19, 4).getInt() > 1)) {
            return; // a cost above 256 KiB / t = 2 / p = 1: checked by the header tests, too slow to run per try
        }
        try (AccountFile.Reader reader = new AccountFile.Reader(new ByteArrayInputStream(input), PASSWORD)) {
            AccountContent.read(reader, new Checks());
        }
    }

    static void content(byte[] input) throws AccountException {
        AccountContent.read(new ByteArrayInputStream(input), new Checks());
    }

    static void contacts(byte[] input) throws AccountException {
        for (LegacyData.Contact c : LegacyData.parse(input, null, null).contacts) {
            assertThat(Ids.isUid(c.uid())).isTrue();
            assertThat(c.fingerprint()).isEqualTo(LegacyData.fingerprint(c.publicKeyHex()));
            assertThat(c.username()).isNotBlank().hasSizeLessThanOrEqualTo(LegacyData.MAX_NAME)
                    .doesNotContainPattern("\\p{Cntrl}");
            assertThat(c.endpoints().length()).isLessThanOrEqualTo(400);
        }
    }

    static void groups(byte[] input) throws AccountException {
        for (LegacyData.Group g : LegacyData.parse(null, input, null).groups) {
            assertThat(Ids.isGroupId(g.id())).isTrue();
            assertThat(Ids.isUid(g.creatorUid())).isTrue();
            assertThat(g.name()).isNotBlank().hasSizeLessThanOrEqualTo(LegacyData.MAX_GROUP_NAME);
            g.members().forEach(m -> assertThat(Ids.isUid(m.uid()) && Ids.isPublicKey(m.publicKeyHex())).isTrue());
        }
    }

    static void messages(byte[] input) throws AccountException {
        for (LegacyData.Message m : LegacyData.parse(null, null, input).messages) {
            assertThat(Ids.isConversationId(m.conversationId())).isTrue();
            assertThat(m.outgoing() || Ids.isUid(m.senderUid())).isTrue();
            assertThat(m.text().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(LegacyData.MAX_TEXT_BYTES);
            assertThat(LegacyData.messageId(m)).matches("[0-9a-f]{32}");
        }
    }

    // --- corpus ---

    static byte[] sampleContent(boolean complete) throws AccountException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccountContent.Writer w = new AccountContent.Writer(out);
        w.identity("JARVISKF identity export stand-in".getBytes(StandardCharsets.US_ASCII));
        w.schema("contacts", 1);
        w.schema("messaging", 2);
        w.table("CONTACT", List.of(new AccountContent.Column("UID", AccountContent.Type.TEXT),
                new AccountContent.Column("VERIFIED", AccountContent.Type.BOOLEAN),
                new AccountContent.Column("ADDED_AT", AccountContent.Type.TIMESTAMP)));
        w.row(new Object[] {Jarvis1Folder.BOB_UID, true, OffsetDateTime.of(2025, 3, 14, 10, 0, 0, 1000,
            ZoneOffset.ofHours(2))});
        w.row(new Object[] {Jarvis1Folder.CAROL_UID, null, null});
        w.table("GRP_PENDING", List.of(new AccountContent.Column("SEQ", AccountContent.Type.INTEGER),
                new AccountContent.Column("PAYLOAD", AccountContent.Type.BYTES)));
        w.row(new Object[] {Long.MIN_VALUE, new byte[] {1, 2, 3}});
        w.sequence("GRP_PENDING_SEQ", 42);
        if (complete) {
            w.end();
        }
        return out.toByteArray();
    }

    static byte[] sealed(byte[] content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AccountFile.Writer w = new AccountFile.Writer(out, PASSWORD.clone(), CHEAP, new SecureRandom())) {
            w.write(content);
        }
        return out.toByteArray();
    }

    static Map<String, byte[]> contentCorpus() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] valid = sampleContent(true);
        files.put("valid-tables-rows-sequence", valid);
        files.put("bad-no-end", sampleContent(false));
        byte[] counts = valid.clone();
        counts[counts.length - 1] ^= 1;
        files.put("bad-end-counts", counts);
        files.put("bad-row-first", new byte[] {AccountContent.ROW, 0, 0, 0, 0});
        files.put("bad-huge-record", new byte[] {AccountContent.IDENTITY, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        return files;
    }

    static Map<String, byte[]> fileCorpus() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] valid = sealed(sampleContent(true));
        files.put("valid-cheap-cost", valid);
        files.put("bad-truncated", java.util.Arrays.copyOf(valid, valid.length - 3));
        byte[] flipped = valid.clone();
        flipped[flipped.length / 2] ^= 0x40;
        files.put("bad-modified", flipped);
        files.put("bad-magic", "JARVISKF".getBytes(StandardCharsets.US_ASCII));
        return files;
    }

    static Map<String, byte[]> legacyCorpus(String which) {
        Map<String, String> files = new LinkedHashMap<>();
        switch (which) {
            case CONTACTS -> {
                files.put("valid-two-contacts", Jarvis1Folder.contactsJson());
                files.put("valid-empty", "{}");
                files.put("bad-fingerprint", Jarvis1Folder.contactsJson().replace(Jarvis1Folder.B_FINGERPRINT,
                        "1".repeat(64)));
                files.put("bad-array", "[]");
            }
            case GROUPS -> {
                files.put("valid-one-group", Jarvis1Folder.groupsJson());
                files.put("bad-member-key", Jarvis1Folder.groupsJson().replaceFirst("\"public_key\": \"[^\"]*\"",
                        "\"public_key\": \"AAAA\""));
            }
            default -> {
                files.put("valid-history", Jarvis1Folder.messagesJson());
                files.put("bad-time", Jarvis1Folder.messagesJson().replace("2025-03-15T10:00:05", "soon"));
                files.put("bad-object", "{}");
            }
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        files.forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    private static final List<byte[]> JSON_TOKENS = Mutator.tokens("{", "}", "[", "]", "\"", ":", ", ", "null",
            "true", "false", "-1", "1e999", "\\u0000", "\\ud83c", "\"uid\": ", "\"public_key\": ", "\"port\": ",
            "\"host\": ", "\"members\": ", "\"group_id\": ", "\"timestamp\": ", "\"sent_by_me\": ", "+00:00",
            "T00:00:00", "localhost", "g0123456789abcdef0123456789abcde");

    @Test
    void accountFilesOpenOrAreRefusedWithAccountException() {
        Fuzz.target(FILE).documented(AccountException.class).tries(3_000).lengths(400, 1 << 16)
                .maxAllocation(input -> (4L << 20) + 64L * input.length).run(AccountFuzzTest::file);
    }

    @Test
    void accountContentParsesOrIsRefusedWithAccountException() {
        Fuzz.Report report = Fuzz.target(CONTENT).documented(AccountException.class).tries(20_000)
                .lengths(400, 1 << 16).maxAllocation(input -> (1L << 20) + 64L * input.length)
                .run(AccountFuzzTest::content);
        assertThat(report.accepted()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void jarvis1ContactsParseOrAreRefused() {
        legacy(CONTACTS, AccountFuzzTest::contacts);
    }

    @Test
    void jarvis1GroupsParseOrAreRefused() {
        legacy(GROUPS, AccountFuzzTest::groups);
    }

    @Test
    void jarvis1MessagesParseOrAreRefused() {
        legacy(MESSAGES, AccountFuzzTest::messages);
    }

    private static void legacy(String target, Fuzz.Check check) {
        Fuzz.Report report = Fuzz.target(target).documented(AccountException.class).tries(10_000)
                .dictionary(JSON_TOKENS).lengths(600, 1 << 16)
                .maxAllocation(input -> (2L << 20) + 64L * input.length).run(check);
        assertThat(report.accepted()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anyContentTheWriterWritesReadsBackTheSame() {
        Fuzz.target(CONTENT + "-round-trip").tries(500).property(r -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            AccountContent.Writer w = new AccountContent.Writer(out);
            w.identity(Gen.bytes(r, 1 + r.nextInt(100)));
            List<Object[]> rows = new ArrayList<>();
            w.table("T", List.of(new AccountContent.Column("A", AccountContent.Type.TEXT),
                    new AccountContent.Column("B", AccountContent.Type.INTEGER),
                    new AccountContent.Column("C", AccountContent.Type.BYTES)));
            for (int i = r.nextInt(20); i > 0; i--) {
                Object[] row = {r.nextBoolean() ? null : Gen.text(r, 50, true), r.nextLong(), Gen.bytes(r, r.nextInt(40))};
                rows.add(row);
                w.row(row);
            }
            w.end();
            List<Object[]> back = new ArrayList<>();
            AccountContent.read(new ByteArrayInputStream(out.toByteArray()), new Checks() {
                @Override
                public void row(Object[] values) {
                    super.row(values);
                    back.add(values);
                }
            });
            assertThat(back).hasSameSizeAs(rows);
            for (int i = 0; i < rows.size(); i++) {
                assertThat(back.get(i)).containsExactly(rows.get(i));
            }
        });
    }

    @Test
    @EnabledIfSystemProperty(named = Fuzz.WRITE_CORPUS_PROPERTY, matches = "true")
    void writeCorpus() throws Exception {
        Fuzz.writeCorpus(FILE, fileCorpus());
        Fuzz.writeCorpus(CONTENT, contentCorpus());
        Fuzz.writeCorpus(CONTACTS, legacyCorpus(CONTACTS));
        Fuzz.writeCorpus(GROUPS, legacyCorpus(GROUPS));
        Fuzz.writeCorpus(MESSAGES, legacyCorpus(MESSAGES));
    }
}
