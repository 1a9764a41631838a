package jarvis.account.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jarvis.api.account.AccountException;
import jarvis.api.account.AccountReport;
import jarvis.api.identity.IdentityState;
import jarvis.identity.internal.IdentityHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Account files that must be refused — wrong password, truncated, modified, oversized, from another schema, rows
 * that do not fit — are refused with a clear reason, and the target data directory is left as it was: no identity,
 * no store, no file at all. Refusals found after the identity was installed undo it.
 */
class AccountImportRefusalTest {

    static final String PASSWORD = "the password";

    @TempDir
    Path root;

    private AccountNode alice;
    private AccountNode fresh;
    private byte[] file;
    private byte[] identityExport;

    @BeforeEach
    void exportAlice() throws Exception {
        alice = new AccountNode("alice", root);
        alice.create(PASSWORD);
        alice.contacts.add("0123456789abcdef0123456789abcdef", "bob",
                "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", List.of());
        alice.messenger.send("0123456789abcdef0123456789abcdef", "hello");
        Path exported = root.resolve("alice.account");
        alice.accounts.exportAccount(exported, PASSWORD.toCharArray());
        file = Files.readAllBytes(exported);
        Path identityOnly = root.resolve("alice.identity-export");
        alice.identity.exportAccount(identityOnly, PASSWORD.toCharArray());
        identityExport = Files.readAllBytes(identityOnly);
        fresh = new AccountNode("fresh", root);
    }

    @AfterEach
    void stop() {
        alice.close();
        fresh.close();
    }

    private AccountException refused(byte[] bytes, String password) throws Exception {
        Path p = Files.createTempFile(root, "import", ".account");
        Files.write(p, bytes);
        try {
            fresh.accounts.importAccount(p, password.toCharArray());
        } catch (AccountException e) {
            assertThat(fresh.identity.status().state()).as(e.getMessage()).isEqualTo(IdentityState.NONE);
            assertThat(AccountRoundTripTest.files(fresh.dataDir)).as(e.getMessage()).isEmpty();
            return e;
        }
        throw new AssertionError("imported, but should have been refused");
    }

    @Test
    void aWrongPasswordIsRefusedBeforeAnythingIsWritten() throws Exception {
        AccountException e = refused(file, "not the password");
        assertThat(e.reason()).isEqualTo(AccountException.Reason.WRONG_PASSWORD);
        assertThat(e).hasMessage("wrong password");
    }

    @Test
    void everyTruncationIsRefused() throws Exception {
        int header = AccountFile.headerLength(AccountFile.SALT_LENGTH);
        for (int cut : new int[] {0, 5, header - 1, header, header + 3, header + 20, file.length / 2, file.length - 1}) {
            AccountException e = refused(Arrays.copyOf(file, cut), PASSWORD);
            assertThat(e.reason()).as("cut at " + cut).isEqualTo(AccountException.Reason.CORRUPTED);
            assertThat(e.getMessage()).as("cut at " + cut).startsWith("account file is");
        }
    }

    @Test
    void aModifiedByteAnywhereAfterTheHeaderIsRefused() throws Exception {
        int header = AccountFile.headerLength(AccountFile.SALT_LENGTH);
        for (int at : new int[] {header, header + 1, header + 5, header + 40, file.length / 2, file.length - 1}) {
            byte[] modified = file.clone();
            modified[at] ^= 0x01;
            AccountException e = refused(modified, PASSWORD);
            assertThat(e.reason()).as("byte " + at).isEqualTo(AccountException.Reason.CORRUPTED);
        }
        byte[] appended = Arrays.copyOf(file, file.length + 1);
        assertThat(refused(appended, PASSWORD)).hasMessageContaining("bytes after the last chunk");
        byte[] salt = file.clone();
        salt[30] ^= 0x01;
        // The header feeds the key: a changed salt or cost cannot be told from a wrong password.
        assertThat(refused(salt, PASSWORD).reason()).isEqualTo(AccountException.Reason.WRONG_PASSWORD);
    }

    @Test
    void oversizedLengthsAndCostsAreRefusedWithoutTheWork() throws Exception {
        int header = AccountFile.headerLength(AccountFile.SALT_LENGTH);
        byte[] chunk = file.clone();
        ByteBuffer.wrap(chunk, header + 1, 4).putInt(Integer.MAX_VALUE);
        assertThat(refused(chunk, PASSWORD)).hasMessageContaining("chunk 0 has length 2147483647");
        byte[] memory = file.clone();
        ByteBuffer.wrap(memory, 11, 4).putInt(-1);
        assertThat(refused(memory, PASSWORD)).hasMessageContaining("Argon2id cost above");
        byte[] magic = file.clone();
        magic[0] = 'X';
        assertThat(refused(magic, PASSWORD)).hasMessageContaining("not an account file");
        byte[] record = content(w -> {
            w.identity(identityExport);
        }, out -> out.write(new byte[] {(byte) AccountContent.ROW, 0x7f, 0, 0, 0}));
        assertThat(refused(record, PASSWORD)).hasMessageContaining("a record of 2130706432 bytes");
    }

    @Test
    void tablesOrVersionsThisDaemonDoesNotHaveAreRefusedAndTheInstalledIdentityIsUndone() throws Exception {
        Map<String, Integer> versions = alice.store.read(StoreTables::schemaVersions);
        byte[] unknownTable = content(w -> {
            w.identity(identityExport);
            versions.forEach((m, v) -> schema(w, m, v));
            w.table("NO_SUCH_TABLE", List.of(new AccountContent.Column("X", AccountContent.Type.INTEGER)));
            w.row(new Object[] {1L});
            w.end();
        }, null);
        AccountException e = refused(unknownTable, PASSWORD);
        assertThat(e.reason()).isEqualTo(AccountException.Reason.INCOMPATIBLE);
        assertThat(e).hasMessageContaining("NO_SUCH_TABLE");

        byte[] newerSchema = content(w -> {
            w.identity(identityExport);
            versions.forEach((m, v) -> schema(w, m, m.equals("messaging") ? v + 7 : v));
            w.end();
        }, null);
        e = refused(newerSchema, PASSWORD);
        assertThat(e.reason()).isEqualTo(AccountException.Reason.INCOMPATIBLE);
        assertThat(e).hasMessageContaining("messaging v" + (versions.get("messaging") + 7));

        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Object[] contact = {"0123456789abcdef0123456789abcdef", "bob",
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", "0".repeat(64), "", false, false, now};
        byte[] duplicateKey = content(w -> {
            w.identity(identityExport);
            versions.forEach((m, v) -> schema(w, m, v));
            w.table("CONTACT", List.of(col("UID", "TEXT"), col("USERNAME", "TEXT"), col("PUBLIC_KEY", "TEXT"),
                    col("FINGERPRINT", "TEXT"), col("ENDPOINTS", "TEXT"), col("VERIFIED", "BOOLEAN"),
                    col("KEY_CHANGED", "BOOLEAN"), col("ADDED_AT", "TIMESTAMP")));
            w.row(contact);
            w.row(contact);
            w.end();
        }, null);
        e = refused(duplicateKey, PASSWORD);
        assertThat(e.reason()).isEqualTo(AccountException.Reason.CORRUPTED);
        assertThat(e).hasMessageContaining("table CONTACT");
    }

    @Test
    void anExistingAccountIsNeverReplaced() throws Exception {
        Map<String, List<String>> before = alice.dump();
        Path p = root.resolve("again.account");
        Files.write(p, file);
        assertThatThrownBy(() -> alice.accounts.importAccount(p, PASSWORD.toCharArray()))
                .isInstanceOf(AccountException.class).extracting(e -> ((AccountException) e).reason())
                .isEqualTo(AccountException.Reason.ALREADY_EXISTS);
        assertThat(alice.dump()).isEqualTo(before);
        assertThatThrownBy(() -> alice.accounts.exportAccount(p, PASSWORD.toCharArray()))
                .isInstanceOf(AccountException.class).hasMessageContaining("already exists");
        assertThat(Files.readAllBytes(p)).isEqualTo(file);
    }

    @Test
    void anIdentityOnlyExportStillImports() throws Exception {
        Path p = root.resolve("identity-only");
        Files.write(p, identityExport);
        AccountReport report = fresh.accounts.importAccount(p, PASSWORD.toCharArray());
        assertThat(report.identity().uid()).isEqualTo(alice.uid());
        assertThat(report.contacts()).isZero();
        assertThat(fresh.contacts.list()).isEmpty();
    }

    @Test
    void exportNeedsTheAccountPasswordAndAnUnlockedAccount() throws Exception {
        Path p = root.resolve("x.account");
        assertThatThrownBy(() -> alice.accounts.exportAccount(p, "guess".toCharArray()))
                .isInstanceOf(AccountException.class).extracting(e -> ((AccountException) e).reason())
                .isEqualTo(AccountException.Reason.WRONG_PASSWORD);
        assertThat(p).doesNotExist();
        alice.identity.lock();
        assertThatThrownBy(() -> alice.accounts.exportAccount(p, PASSWORD.toCharArray()))
                .isInstanceOf(AccountException.class).extracting(e -> ((AccountException) e).reason())
                .isEqualTo(AccountException.Reason.LOCKED);
        assertThat(p).doesNotExist();
        assertThat(AccountRoundTripTest.files(root).stream().filter(f -> f.endsWith(".tmp"))).isEmpty();
    }

    // --- crafting files ---

    @FunctionalInterface
    interface Body {
        void write(AccountContent.Writer w) throws Exception;
    }

    @FunctionalInterface
    interface Raw {
        void write(java.io.OutputStream out) throws Exception;
    }

    /** An account file under {@link #PASSWORD} with the records {@code body} writes, then {@code raw} bytes. */
    static byte[] content(Body body, Raw raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AccountFile.Writer encrypted = new AccountFile.Writer(out, PASSWORD.toCharArray(),
                IdentityHarness.TEST_COST, new SecureRandom())) {
            AccountContent.Writer w = new AccountContent.Writer(encrypted);
            body.write(w);
            if (raw != null) {
                raw.write(encrypted);
            }
        }
        return out.toByteArray();
    }

    private static void schema(AccountContent.Writer w, String module, int version) {
        try {
            w.schema(module, version);
        } catch (AccountException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AccountContent.Column col(String name, String type) {
        return new AccountContent.Column(name, AccountContent.Type.valueOf(type));
    }
}
