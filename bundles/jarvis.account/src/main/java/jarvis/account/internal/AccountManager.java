package jarvis.account.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import jarvis.api.IdentitySummary;
import jarvis.api.account.AccountException;
import jarvis.api.account.AccountReport;
import jarvis.api.account.AccountService;
import jarvis.api.identity.IdentityException;
import jarvis.api.identity.IdentityService;
import jarvis.api.identity.IdentityState;
import jarvis.api.identity.IdentityStatus;
import jarvis.api.store.Store;
import jarvis.api.store.StoreException;
import jarvis.crypto.Argon2id;
import jarvis.crypto.Secrets;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Account export, import and 1.x migration (docs/storage.md "Account file", docs/migration.md).
 *
 * <p>The identity goes through the identity service (its own export format, nested in the account file), the data
 * through the store's tables. An import first reads and checks everything, then installs the identity (which opens
 * a new, empty store), writes every row in one store transaction, and finally locks and unlocks the identity so
 * that every component starts again from the imported data. When anything fails after the identity was installed,
 * the identity is deleted again (which deletes the store): the data directory is as fresh as before.
 */
@Component(service = AccountService.class)
public final class AccountManager implements AccountService {

    /** Framework property: the daemon's data directory (set by the launcher). */
    static final String DATA_DIR = "jarvis.data";
    /** How long an import waits for the store and every module's tables after installing the identity. */
    static final Duration STORE_WAIT = Duration.ofSeconds(30);
    static final String STAGING_PREFIX = ".account-";
    /** The domain modules whose tables a 1.x migration fills (docs/storage.md), at the versions it writes for. */
    static final Map<String, Integer> LEGACY_MODULES = Map.of("contacts", 2, "messaging", 1, "groups", 1);

    private static final System.Logger LOG = System.getLogger(AccountManager.class.getName());

    /** Where the open store comes from: the service registry in OSGi, a test harness outside. */
    interface Stores {
        /** The open store, waiting at most {@code timeout} for it; null if it did not come. */
        Store await(Duration timeout) throws InterruptedException;
    }

    private final Path dataDir;
    private final IdentityService identity;
    private final Stores stores;
    private final Argon2id.Cost cost;
    private final SecureRandom random = new SecureRandom();
    private final Object lock = new Object();

    private final Object storeMonitor = new Object();
    private volatile Store store;

    @Activate
    public AccountManager(BundleContext context, @Reference IdentityService identity) {
        this.dataDir = Paths.get(requireDataDir(context.getProperty(DATA_DIR)));
        this.identity = identity;
        this.stores = this::registeredStore;
        this.cost = Argon2id.Cost.JARVIS;
        removeStaging();
    }

    /** Outside OSGi (tests, tools). */
    AccountManager(Path dataDir, IdentityService identity, Stores stores, Argon2id.Cost cost) {
        this.dataDir = dataDir;
        this.identity = identity;
        this.stores = stores;
        this.cost = cost;
        removeStaging();
    }

    private static String requireDataDir(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("framework property " + DATA_DIR + " is not set; the launcher sets it");
        }
        return value;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(Store s) {
        synchronized (storeMonitor) {
            store = s;
            storeMonitor.notifyAll();
        }
    }

    void unbindStore(Store s) {
        synchronized (storeMonitor) {
            if (store == s) {
                store = null;
            }
        }
    }

    private Store registeredStore(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (storeMonitor) {
            while (store == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                storeMonitor.wait(Math.max(1, left / 1_000_000));
            }
            return store;
        }
    }

    // --- export ---

    @Override
    public AccountReport exportAccount(Path target, char[] password) throws AccountException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(password, "password");
        return oneAtATime(password, () -> export(target, password));
    }

    private AccountReport export(Path target, char[] password) throws AccountException {
        if (!target.isAbsolute()) {
            throw invalid("the export target must be an absolute path: " + target);
        }
        if (Files.exists(target)) {
            throw invalid("export target already exists: " + target);
        }
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw invalid("no such directory: " + parent);
        }
        IdentityStatus status = identity.status();
        if (status.state() == IdentityState.NONE) {
            throw new AccountException(AccountException.Reason.NO_IDENTITY, "no identity");
        }
        if (status.state() != IdentityState.UNLOCKED) {
            throw new AccountException(AccountException.Reason.LOCKED,
                    "the account is locked: unlock it to export (the export includes the store)");
        }
        byte[] identityExport = identityExport(password);
        Store open = awaitStore();
        Path temp = parent.resolve("." + target.getFileName() + "." + Long.toHexString(random.nextLong()) + ".tmp");
        StoreTables.Counts counts;
        try {
            try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), privateFile(parent))) {
                OutputStream raw = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                AccountFile.Writer encrypted = new AccountFile.Writer(raw, password, cost, random);
                try {
                    AccountContent.Writer content = new AccountContent.Writer(encrypted);
                    content.identity(identityExport);
                    counts = snapshot(open, content);
                    content.end();
                } finally {
                    // Seals the last chunk and wipes the keys; after a failure the file is removed below anyway.
                    encrypted.close();
                }
                raw.flush();
                channel.force(true);
            }
            try {
                // A hard link never replaces an existing file: the target cannot be overwritten by a race.
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException e) {
                throw invalid("export target already exists: " + target);
            } catch (UnsupportedOperationException | IOException e) {
                Files.move(temp, target);
            }
        } catch (IOException e) {
            throw new AccountException(AccountException.Reason.IO, "cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            Secrets.wipe(identityExport);
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot remove " + temp + ": " + e.getMessage());
            }
        }
        IdentitySummary summary = status.summary().orElseThrow();
        LOG.log(Level.INFO, "account exported to " + target);
        return new AccountReport(summary, counts.of(StoreTables.CONTACTS), counts.of(StoreTables.GROUPS),
                counts.of(StoreTables.MESSAGES));
    }

    /** The identity service's own export of the identity, read back from a private staging file. */
    private byte[] identityExport(char[] password) throws AccountException {
        Path staging = staging();
        try {
            Path file = staging.resolve("identity.export");
            identity.exportAccount(file, password.clone());
            return Files.readAllBytes(file);
        } catch (IdentityException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new AccountException(AccountException.Reason.IO, "cannot read the identity export: "
                    + e.getMessage(), e);
        } finally {
            delete(staging);
        }
    }

    /** Every table in one consistent view (a repeatable-read transaction that writes nothing). */
    private static StoreTables.Counts snapshot(Store open, AccountContent.Sink out) throws AccountException {
        try {
            return open.write(c -> {
                int isolation = c.getTransactionIsolation();
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try {
                    return StoreTables.export(c, out);
                } catch (AccountException e) {
                    throw new Carrier(e);
                } finally {
                    c.setTransactionIsolation(isolation);
                }
            });
        } catch (StoreException e) {
            if (e.getCause() instanceof Carrier carrier) {
                throw carrier.account();
            }
            throw new AccountException(AccountException.Reason.IO, "cannot read the store: " + e.getMessage(), e);
        }
    }

    // --- import ---

    @Override
    public AccountReport importAccount(Path source, char[] password) throws AccountException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(password, "password");
        return oneAtATime(password, () -> importFile(source, password));
    }

    private AccountReport importFile(Path source, char[] password) throws AccountException {
        refuseIfIdentity();
        if (!Files.isRegularFile(source)) {
            throw invalid("no such file: " + source);
        }
        if (isIdentityOnlyExport(source)) {
            try {
                IdentitySummary summary = identity.importAccount(source, password.clone());
                return new AccountReport(summary, 0, 0, 0);
            } catch (IdentityException e) {
                throw translate(e);
            }
        }
        // First pass: decrypt, parse and check everything; nothing is written yet.
        Checked checked = new Checked();
        readFile(source, password, checked);
        installIdentity(checked.identityExport, password);
        Secrets.wipe(checked.identityExport);
        try {
            Store open = awaitSchemas(checked.schemas, false, AccountException.Reason.INCOMPATIBLE);
            // Second pass: the same content, now into the store, in one transaction.
            StoreTables.Counts counts = write(open, c -> {
                StoreTables.Inserter inserter = new StoreTables.Inserter(c);
                readFile(source, password, inserter);
                return inserter.counts();
            });
            IdentitySummary summary = reload(password);
            LOG.log(Level.INFO, "account " + summary.uid() + " imported from " + source);
            return new AccountReport(summary, counts.of(StoreTables.CONTACTS), counts.of(StoreTables.GROUPS),
                    counts.of(StoreTables.MESSAGES));
        } catch (AccountException | RuntimeException e) {
            undoIdentity(password, e);
            throw e;
        }
    }

    private static boolean isIdentityOnlyExport(Path source) throws AccountException {
        try (InputStream in = Files.newInputStream(source)) {
            byte[] magic = in.readNBytes(8);
            return Arrays.equals(magic, "JARVISKF".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new AccountException(AccountException.Reason.IO, "cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private static void readFile(Path source, char[] password, AccountContent.Sink sink) throws AccountException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(source), 1 << 16);
                AccountFile.Reader content = new AccountFile.Reader(in, password)) {
            AccountContent.read(content, sink);
        } catch (IOException e) {
            throw new AccountException(AccountException.Reason.IO, "cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /** The first pass: keeps the identity and the schema versions, checks the rest by reading it. */
    private static final class Checked implements AccountContent.Sink {
        byte[] identityExport;
        final Map<String, Integer> schemas = new HashMap<>();

        @Override
        public void identity(byte[] export) {
            identityExport = export;
        }

        @Override
        public void schema(String module, int version) {
            schemas.put(module, version);
        }

        @Override
        public void table(String name, List<AccountContent.Column> columns) {
        }

        @Override
        public void row(Object[] values) {
        }

        @Override
        public void sequence(String name, long next) {
        }

        @Override
        public void end(int tables, long rows) {
        }
    }

    private void installIdentity(byte[] identityExport, char[] password) throws AccountException {
        Path staging = staging();
        try {
            Path file = staging.resolve("identity.export");
            Files.write(file, identityExport, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            identity.importAccount(file, password.clone());
        } catch (IdentityException e) {
            if (e.reason() == IdentityException.Reason.CORRUPTED) {
                throw new AccountException(AccountException.Reason.CORRUPTED, "account file is corrupted: its "
                        + "identity does not open (" + e.getMessage() + ")", e);
            }
            throw translate(e);
        } catch (IOException e) {
            throw new AccountException(AccountException.Reason.IO, "cannot stage the identity: " + e.getMessage(), e);
        } finally {
            delete(staging);
        }
    }

    // --- 1.x ---

    @Override
    public AccountReport importLegacy(Path jarvis1, char[] password) throws AccountException {
        Objects.requireNonNull(jarvis1, "jarvis1");
        Objects.requireNonNull(password, "password");
        return oneAtATime(password, () -> migrate(jarvis1, password));
    }

    private AccountReport migrate(Path jarvis1, char[] password) throws AccountException {
        refuseIfIdentity();
        Path dir = LegacyData.directory(jarvis1);
        // Everything is read and checked before the identity is installed.
        LegacyData data = LegacyData.read(dir);
        IdentitySummary imported;
        try {
            imported = identity.importLegacy(dir.resolve(LegacyData.IDENTITY_FILE), password.clone());
        } catch (IdentityException e) {
            throw translate(e);
        }
        try {
            Store open = awaitSchemas(LEGACY_MODULES, true, AccountException.Reason.IO);
            StoreTables.Counts counts = write(open, c -> {
                StoreTables.Inserter inserter = new StoreTables.Inserter(c);
                data.rows(imported.uid(), inserter);
                inserter.end(0, 0);
                return inserter.counts();
            });
            IdentitySummary summary = reload(password);
            LOG.log(Level.INFO, "Jarvis 1.x account " + summary.uid() + " migrated from " + dir);
            return new AccountReport(summary, counts.of(StoreTables.CONTACTS), counts.of(StoreTables.GROUPS),
                    counts.of(StoreTables.MESSAGES));
        } catch (AccountException | RuntimeException e) {
            undoIdentity(password, e);
            throw e;
        }
    }

    // --- delete ---

    @Override
    public void deleteAccount(char[] password) throws AccountException {
        Objects.requireNonNull(password, "password");
        oneAtATime(password, () -> {
            removeAccount(password);
            return null;
        });
    }

    private void removeAccount(char[] password) throws AccountException {
        try {
            identity.delete(password.clone());
        } catch (IdentityException e) {
            throw translate(e);
        }
        // The identity file and the store are gone with the identity; what may remain are their empty
        // directories and a staging directory of an interrupted import.
        removeStaging();
        for (String dir : List.of("identity", "store")) {
            Path p = dataDir.resolve(dir);
            if (Files.isDirectory(p)) {
                delete(p);
            }
        }
        LOG.log(Level.INFO, "account deleted");
    }

    /** An account operation: one at a time (they move whole data directories), the password wiped after it. */
    private <T> T oneAtATime(char[] password, Operation<T> operation) throws AccountException {
        try {
            synchronized (lock) {
                return operation.run();
            }
        } finally {
            Secrets.wipe(password);
        }
    }

    private interface Operation<T> {
        T run() throws AccountException;
    }

    // --- shared steps ---

    private void refuseIfIdentity() throws AccountException {
        if (identity.status().state() != IdentityState.NONE) {
            throw new AccountException(AccountException.Reason.ALREADY_EXISTS, "an identity already exists: an import "
                    + "goes into a data directory without one (delete the account or use another --data-dir)");
        }
    }

    private Store awaitStore() throws AccountException {
        try {
            Store open = stores.await(STORE_WAIT);
            if (open == null) {
                throw new AccountException(AccountException.Reason.IO, "the store did not open within "
                        + STORE_WAIT.toSeconds() + " s");
            }
            return open;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AccountException(AccountException.Reason.IO, "interrupted while waiting for the store");
        }
    }

    /**
     * The store once every module of {@code wanted} has its tables at that version, or at least that version with
     * {@code atLeast} (each module migrates its tables when the store opens, so this waits a moment after an
     * unlock). A module already past an exact version fails at once: it will not go back.
     */
    private Store awaitSchemas(Map<String, Integer> wanted, boolean atLeast, AccountException.Reason mismatch)
            throws AccountException {
        long deadline = System.nanoTime() + STORE_WAIT.toNanos();
        Store open = awaitStore();
        while (true) {
            Map<String, Integer> differences;
            try {
                differences = open.read(c -> StoreTables.schemaDifferences(c, wanted, atLeast));
            } catch (StoreException e) {
                throw new AccountException(AccountException.Reason.IO, "cannot read the store: " + e.getMessage(), e);
            }
            if (differences.isEmpty()) {
                return open;
            }
            boolean newer = !atLeast && differences.entrySet().stream().anyMatch(e -> e.getValue() > wanted.get(e.getKey()));
            if (newer || System.nanoTime() > deadline) {
                StringBuilder b = new StringBuilder();
                differences.forEach((m, v) -> b.append(b.isEmpty() ? "" : ", ").append(m).append(" v")
                        .append(wanted.get(m)).append(" (this daemon: ").append(v == 0 ? "none" : "v" + v)
                        .append(')'));
                throw new AccountException(mismatch, "the data was written with other table versions than this"
                        + " daemon has: " + b);
            }
            synchronized (storeMonitor) {
                try {
                    // Woken early by a store (re)binding; otherwise a short pause between looks at the versions.
                    storeMonitor.wait(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AccountException(AccountException.Reason.IO, "interrupted while waiting for the store");
                }
            }
        }
    }

    @FunctionalInterface
    private interface Rows<T> {
        T run(Connection c) throws java.sql.SQLException, AccountException;
    }

    private static <T> T write(Store open, Rows<T> rows) throws AccountException {
        try {
            return open.write(c -> {
                try {
                    return rows.run(c);
                } catch (AccountException e) {
                    throw new Carrier(e);
                }
            });
        } catch (StoreException e) {
            if (e.getCause() instanceof Carrier carrier) {
                throw carrier.account();
            }
            throw new AccountException(AccountException.Reason.IO, "cannot write the store: " + e.getMessage(), e);
        }
    }

    /** Carries an {@link AccountException} out of a store transaction (which rolls back). */
    private static final class Carrier extends java.sql.SQLException {
        private static final long serialVersionUID = 1L;

        Carrier(AccountException cause) {
            super(cause.getMessage(), cause);
        }

        AccountException account() {
            return (AccountException) getCause();
        }
    }

    /** Lock and unlock: every component of the account starts again, reading the imported data. */
    private IdentitySummary reload(char[] password) throws AccountException {
        identity.lock();
        try {
            return identity.unlock(password.clone());
        } catch (IdentityException e) {
            throw translate(e);
        }
    }

    /** After a failed import: the identity (and with it the store) goes again, the data directory is fresh. */
    private void undoIdentity(char[] password, Exception cause) {
        try {
            identity.delete(password.clone());
            for (String dir : List.of("identity", "store")) {
                Path p = dataDir.resolve(dir);
                if (Files.isDirectory(p)) {
                    delete(p);
                }
            }
            LOG.log(Level.INFO, "import refused (" + cause.getMessage() + "); the identity it had installed is "
                    + "deleted again");
        } catch (IdentityException | RuntimeException e) {
            LOG.log(Level.ERROR, "import refused (" + cause.getMessage() + ") and the identity it had installed "
                    + "could not be deleted again: " + e.getMessage(), e);
        }
    }

    private Path staging() throws AccountException {
        try {
            Files.createDirectories(dataDir);
            Path dir = dataDir.resolve(STAGING_PREFIX + Long.toHexString(random.nextLong()));
            if (isPosix(dataDir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
            return dir;
        } catch (IOException e) {
            throw new AccountException(AccountException.Reason.IO, "cannot create a staging directory in " + dataDir
                    + ": " + e.getMessage(), e);
        }
    }

    /** Staging directories left by a crash in the middle of an export or import. */
    private void removeStaging() {
        if (!Files.isDirectory(dataDir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(STAGING_PREFIX)).toList()) {
                delete(p);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot look for staging directories in " + dataDir + ": " + e.getMessage());
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove " + dir + ": " + e.getMessage());
        }
    }

    private static FileAttribute<?>[] privateFile(Path dir) {
        return isPosix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }

    private static boolean isPosix(Path existing) {
        return Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
    }

    private static AccountException invalid(String message) {
        return new AccountException(AccountException.Reason.INVALID_ARGUMENT, message);
    }

    static AccountException translate(IdentityException e) {
        AccountException.Reason reason = switch (e.reason()) {
            case ALREADY_EXISTS -> AccountException.Reason.ALREADY_EXISTS;
            case NO_IDENTITY -> AccountException.Reason.NO_IDENTITY;
            case WRONG_PASSWORD -> AccountException.Reason.WRONG_PASSWORD;
            case CORRUPTED -> AccountException.Reason.CORRUPTED;
            case LOCKED -> AccountException.Reason.LOCKED;
            case INVALID_ARGUMENT -> AccountException.Reason.INVALID_ARGUMENT;
            case IO -> AccountException.Reason.IO;
        };
        return new AccountException(reason, e.getMessage(), e);
    }
}
