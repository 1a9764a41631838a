package jarvis.identity.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.stream.Stream;

import jarvis.api.IdentitySummary;
import jarvis.api.identity.IdentityException;
import jarvis.api.identity.IdentityListener;
import jarvis.api.identity.IdentityService;
import jarvis.api.identity.IdentityState;
import jarvis.api.identity.IdentityStatus;
import jarvis.api.identity.UnlockedIdentity;
import jarvis.crypto.Argon2id;
import jarvis.crypto.AuthenticationFailedException;
import jarvis.crypto.CryptoException;
import jarvis.crypto.LegacyJarvis1Crypto;
import jarvis.crypto.Secrets;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The local identity, kept in {@code <data>/identity/identity.jkf} (format in {@code docs/storage.md}).
 *
 * <p>One lock serialises every operation that reads or writes the file or the keys, Argon2 included, so
 * an unlock racing with a lock ends in one state or the other, never in between. {@link #status()} reads
 * a volatile snapshot and never waits. Listeners are called after the lock is released, in the order the
 * state changed (a queue drained under a second lock), so a slow listener never holds up the keys and a
 * listener calling back into the service cannot deadlock.
 */
@Component(service = IdentityService.class, immediate = true)
public final class IdentityManager implements IdentityService {

    /** Framework property: the daemon's data directory (set by the launcher). */
    static final String DATA_DIR = "jarvis.data";
    static final String DIRECTORY = "identity";
    static final String FILE_NAME = "identity.jkf";
    /** A Jarvis 1.x identity.enc is a few hundred bytes; anything far larger is not one. */
    static final long MAX_LEGACY_FILE_LENGTH = 64 * 1024;

    private static final System.Logger LOG = System.getLogger(IdentityManager.class.getName());

    private final Path directory;
    private final Path file;
    private final Argon2id.Cost cost;
    private final SecureRandom random;

    private final Object lock = new Object();
    private final Object dispatch = new Object();
    /** Guarded by {@link #lock}. */
    private final List<IdentityListener> listeners = new ArrayList<>();
    /** Guarded by {@link #lock}: events in state order, delivered by {@link #deliverEvents()}. */
    private final Queue<Runnable> events = new ArrayDeque<>();
    /** The keys while unlocked; written under {@link #lock}. */
    private volatile UnlockedKeys current;
    /** What is known about the identity while locked (unlocked = false); written under {@link #lock}. */
    private volatile IdentitySummary known;

    /** The OSGi component: the data directory comes from the framework property {@value #DATA_DIR}. */
    @Activate
    public IdentityManager(BundleContext context) {
        this(Paths.get(requireDataDir(context.getProperty(DATA_DIR))), Argon2id.Cost.JARVIS, new SecureRandom());
    }

    /**
     * Outside OSGi (benchmarks, tools): the identity of the data directory {@code dataDir} at the real cost.
     * A factory rather than a second constructor, so that SCR only ever sees the {@code @Activate} one.
     */
    public static IdentityManager forDataDirectory(Path dataDir) {
        return new IdentityManager(dataDir, Argon2id.Cost.JARVIS, new SecureRandom());
    }

    /** With another Argon2id cost for new files (tests); files keep the cost they were written with. */
    IdentityManager(Path dataDir, Argon2id.Cost cost, SecureRandom random) {
        this.directory = dataDir.resolve(DIRECTORY);
        this.file = directory.resolve(FILE_NAME);
        this.cost = Objects.requireNonNull(cost, "cost");
        this.random = Objects.requireNonNull(random, "random");
        removeStaleTemporaryFiles();
    }

    private static String requireDataDir(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("framework property " + DATA_DIR + " is not set; the launcher sets it");
        }
        return value;
    }

    private void removeStaleTemporaryFiles() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> leftovers = Files.list(directory)) {
            for (Path p : (Iterable<Path>) leftovers::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith("." + FILE_NAME + ".") && name.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot clean temporary files in " + directory + ": " + e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        lock();
    }

    @Reference(service = IdentityListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addListener(IdentityListener listener) {
        synchronized (lock) {
            listeners.add(listener);
            UnlockedKeys keys = current;
            if (keys != null) {
                // A listener that arrives late still learns that the keys are available.
                events.add(() -> notify(List.of(listener), l -> l.identityUnlocked(keys)));
            }
        }
        deliverEvents();
    }

    void removeListener(IdentityListener listener) {
        synchronized (lock) {
            listeners.removeIf(l -> l == listener);
        }
    }

    /** The identity file (for tests and docs). */
    Path file() {
        return file;
    }

    @Override
    public IdentityStatus status() {
        UnlockedKeys keys = current;
        if (keys != null) {
            IdentitySummary summary = keys.summary();
            if (summary.unlocked()) {
                return new IdentityStatus(IdentityState.UNLOCKED, Optional.of(summary));
            }
        }
        if (!Files.exists(file)) {
            return new IdentityStatus(IdentityState.NONE, Optional.empty());
        }
        return new IdentityStatus(IdentityState.LOCKED, Optional.ofNullable(known));
    }

    @Override
    public Optional<UnlockedIdentity> unlocked() {
        UnlockedKeys keys = current;
        return keys != null && keys.isUnlocked() ? Optional.of(keys) : Optional.empty();
    }

    @Override
    public IdentitySummary create(String username, char[] password) throws IdentityException {
        try {
            IdentityRecord.checkUsername(username);
            checkNewPassword(password);
            synchronized (lock) {
                refuseIfExists();
                IdentityRecord record = IdentityRecord.generate(username, random);
                IdentitySummary summary = store(record, password);
                LOG.log(Level.INFO, "identity " + summary.uid() + " created");
                return summary;
            }
        } finally {
            Secrets.wipe(password);
            deliverEvents();
        }
    }

    @Override
    public IdentitySummary unlock(char[] password) throws IdentityException {
        Objects.requireNonNull(password, "password");
        try {
            synchronized (lock) {
                KeyFile keyFile = KeyFile.parse(readIdentityFile(), KeyFile.Kind.IDENTITY);
                byte[] masterKey = unwrap(keyFile, password, "unlock");
                try {
                    IdentityRecord record = readRecord(keyFile, masterKey);
                    UnlockedKeys keys = current;
                    if (keys != null && keys.isUnlocked() && keys.uid().equals(record.uid())) {
                        record.destroy();
                        return keys.summary();
                    }
                    IdentitySummary summary = install(record, masterKey);
                    LOG.log(Level.INFO, "identity " + summary.uid() + " unlocked");
                    return summary;
                } finally {
                    Secrets.wipe(masterKey);
                }
            }
        } finally {
            Secrets.wipe(password);
            deliverEvents();
        }
    }

    @Override
    public void lock() {
        synchronized (lock) {
            UnlockedKeys keys = current;
            if (keys != null) {
                current = null;
                keys.destroy();
                IdentitySummary summary = keys.summary();
                known = summary;
                List<IdentityListener> snapshot = List.copyOf(listeners);
                events.add(() -> notify(snapshot, l -> l.identityLocked(summary)));
                LOG.log(Level.INFO, "identity " + summary.uid() + " locked");
            }
        }
        deliverEvents();
    }

    @Override
    public void changePassword(char[] oldPassword, char[] newPassword) throws IdentityException {
        Objects.requireNonNull(oldPassword, "oldPassword");
        try {
            checkNewPassword(newPassword);
            synchronized (lock) {
                KeyFile keyFile = KeyFile.parse(readIdentityFile(), KeyFile.Kind.IDENTITY);
                byte[] masterKey = unwrap(keyFile, oldPassword, "password change");
                try {
                    // Never rewrap a key whose content would not open: the file would stay broken.
                    readRecord(keyFile, masterKey).destroy();
                    write(file, keyFile.rewrap(cost, newPassword, masterKey, random), true);
                } finally {
                    Secrets.wipe(masterKey);
                }
                LOG.log(Level.INFO, "identity password changed");
            }
        } finally {
            Secrets.wipe(oldPassword);
            Secrets.wipe(newPassword);
        }
    }

    @Override
    public void exportAccount(Path target, char[] password) throws IdentityException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(password, "password");
        try {
            synchronized (lock) {
                if (Files.exists(target)) {
                    throw Failures.invalid("export target already exists: " + target);
                }
                KeyFile keyFile = KeyFile.parse(readIdentityFile(), KeyFile.Kind.IDENTITY);
                byte[] masterKey = unwrap(keyFile, password, "export");
                byte[] content = null;
                byte[] exportKey = new byte[KeyFile.MASTER_KEY_LENGTH];
                try {
                    content = keyFile.openBody(masterKey);
                    // Check the content before it leaves; later sections (contacts, groups) join the same list.
                    List<Sections.Section> sections = Sections.decode(content, KeyFile.Kind.IDENTITY.label);
                    Sections.identity(sections, KeyFile.Kind.IDENTITY.label).destroy();
                    Sections.wipe(sections);
                    random.nextBytes(exportKey);
                    write(target, KeyFile.seal(KeyFile.Kind.EXPORT, cost, password, exportKey, content, random),
                            false);
                } finally {
                    Secrets.wipe(masterKey, content, exportKey);
                }
                LOG.log(Level.INFO, "account exported to " + target);
            }
        } finally {
            Secrets.wipe(password);
        }
    }

    @Override
    public IdentitySummary importAccount(Path source, char[] password) throws IdentityException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(password, "password");
        try {
            synchronized (lock) {
                refuseIfExists();
                KeyFile keyFile = KeyFile.parse(read(source, KeyFile.MAX_FILE_LENGTH), KeyFile.Kind.EXPORT);
                byte[] exportKey = unwrap(keyFile, password, "import");
                byte[] content = null;
                List<Sections.Section> sections = List.of();
                try {
                    content = keyFile.openBody(exportKey);
                    sections = Sections.decode(content, KeyFile.Kind.EXPORT.label);
                    IdentityRecord record = Sections.identity(sections, KeyFile.Kind.EXPORT.label);
                    for (Sections.Section s : sections) {
                        if (s.type() != Sections.IDENTITY) {
                            LOG.log(Level.INFO, "account import: section type " + s.type() + " not handled, skipped");
                        }
                    }
                    IdentitySummary summary = store(record, password);
                    LOG.log(Level.INFO, "identity " + summary.uid() + " imported from " + source);
                    return summary;
                } finally {
                    Sections.wipe(sections);
                    Secrets.wipe(exportKey, content);
                }
            }
        } finally {
            Secrets.wipe(password);
            deliverEvents();
        }
    }

    @Override
    public IdentitySummary importLegacy(Path jarvis1IdentityEnc, char[] password) throws IdentityException {
        Objects.requireNonNull(jarvis1IdentityEnc, "jarvis1IdentityEnc");
        Objects.requireNonNull(password, "password");
        try {
            synchronized (lock) {
                refuseIfExists();
                byte[] bytes = read(jarvis1IdentityEnc, MAX_LEGACY_FILE_LENGTH);
                LegacyJarvis1Crypto.IdentityEnvelope envelope;
                try {
                    envelope = LegacyJarvis1Crypto.IdentityEnvelope.fromJson(new String(bytes, StandardCharsets.UTF_8));
                } catch (CryptoException e) {
                    throw Failures.corrupted(LegacyIdentity.LABEL, e.getMessage());
                }
                byte[] plaintext;
                try {
                    plaintext = LegacyJarvis1Crypto.openIdentity(password, envelope);
                } catch (AuthenticationFailedException e) {
                    // 1.x has no checksum: a modified file and a wrong password look the same.
                    LOG.log(Level.INFO, "legacy import failed: wrong password or modified file");
                    throw new IdentityException(IdentityException.Reason.WRONG_PASSWORD,
                            "wrong password (or the Jarvis 1.x file was modified)");
                } catch (CryptoException e) {
                    throw Failures.corrupted(LegacyIdentity.LABEL, e.getMessage());
                }
                try {
                    IdentitySummary summary = store(LegacyIdentity.parse(plaintext), password);
                    LOG.log(Level.INFO, "identity " + summary.uid() + " imported from Jarvis 1.x file "
                            + jarvis1IdentityEnc);
                    return summary;
                } finally {
                    Secrets.wipe(plaintext);
                }
            }
        } finally {
            Secrets.wipe(password);
            deliverEvents();
        }
    }

    @Override
    public void delete(char[] password) throws IdentityException {
        Objects.requireNonNull(password, "password");
        try {
            synchronized (lock) {
                KeyFile keyFile = KeyFile.parse(readIdentityFile(), KeyFile.Kind.IDENTITY);
                byte[] masterKey = unwrap(keyFile, password, "delete");
                IdentitySummary summary;
                try {
                    IdentityRecord record = readRecord(keyFile, masterKey);
                    summary = record.summary(false);
                    record.destroy();
                } finally {
                    Secrets.wipe(masterKey);
                }
                UnlockedKeys keys = current;
                current = null;
                if (keys != null) {
                    keys.destroy();
                }
                try {
                    PrivateFiles.delete(file);
                } catch (IOException e) {
                    throw Failures.io("delete", file, e);
                }
                known = null;
                List<IdentityListener> snapshot = List.copyOf(listeners);
                events.add(() -> notify(snapshot, l -> l.identityDeleted(summary)));
                LOG.log(Level.INFO, "identity " + summary.uid() + " deleted");
            }
        } finally {
            Secrets.wipe(password);
            deliverEvents();
        }
    }

    /**
     * Seals {@code record} under a fresh master key into a new identity file and unlocks it. Guarded by
     * {@link #lock}; takes ownership of {@code record}.
     */
    private IdentitySummary store(IdentityRecord record, char[] password) throws IdentityException {
        byte[] masterKey = new byte[KeyFile.MASTER_KEY_LENGTH];
        random.nextBytes(masterKey);
        byte[] section = record.encode();
        byte[] content = Sections.encode(List.of(new Sections.Section(Sections.IDENTITY, section)));
        try {
            ensureDirectory();
            write(file, KeyFile.seal(KeyFile.Kind.IDENTITY, cost, password, masterKey, content, random), false);
            return install(record, masterKey);
        } catch (IdentityException | RuntimeException e) {
            record.destroy();
            throw e;
        } finally {
            Secrets.wipe(masterKey, section, content);
        }
    }

    /** Makes {@code record} the unlocked identity; guarded by {@link #lock}; takes ownership of it. */
    private IdentitySummary install(IdentityRecord record, byte[] masterKey) {
        UnlockedKeys previous = current;
        if (previous != null) {
            // Only reachable if the file vanished under an unlocked identity: its keys must not linger.
            previous.destroy();
            IdentitySummary old = previous.summary();
            List<IdentityListener> snapshot = List.copyOf(listeners);
            events.add(() -> notify(snapshot, l -> l.identityLocked(old)));
        }
        UnlockedKeys keys = new UnlockedKeys(record, KeyFile.storeKey(masterKey));
        current = keys;
        known = record.summary(false);
        List<IdentityListener> snapshot = List.copyOf(listeners);
        events.add(() -> notify(snapshot, l -> l.identityUnlocked(keys)));
        return keys.summary();
    }

    private IdentityRecord readRecord(KeyFile keyFile, byte[] masterKey) throws IdentityException {
        byte[] content = keyFile.openBody(masterKey);
        List<Sections.Section> sections = List.of();
        try {
            sections = Sections.decode(content, KeyFile.Kind.IDENTITY.label);
            return Sections.identity(sections, KeyFile.Kind.IDENTITY.label);
        } finally {
            Sections.wipe(sections);
            Secrets.wipe(content);
        }
    }

    private static byte[] unwrap(KeyFile keyFile, char[] password, String operation) throws IdentityException {
        try {
            return keyFile.unwrapMasterKey(password);
        } catch (IdentityException e) {
            LOG.log(Level.INFO, operation + " refused: " + e.getMessage());
            throw e;
        }
    }

    private void refuseIfExists() throws IdentityException {
        if (Files.exists(file)) {
            throw Failures.alreadyExists();
        }
    }

    private static void checkNewPassword(char[] password) throws IdentityException {
        Objects.requireNonNull(password, "password");
        if (password.length == 0) {
            throw Failures.invalid("the password must not be empty");
        }
    }

    private byte[] readIdentityFile() throws IdentityException {
        if (!Files.exists(file)) {
            throw Failures.noIdentity();
        }
        try {
            return PrivateFiles.read(file, KeyFile.MAX_FILE_LENGTH);
        } catch (NoSuchFileException e) {
            throw Failures.noIdentity();
        } catch (IOException e) {
            throw Failures.io("read", file, e);
        }
    }

    private static byte[] read(Path source, long maxLength) throws IdentityException {
        try {
            return PrivateFiles.read(source, maxLength);
        } catch (NoSuchFileException e) {
            throw Failures.invalid("no such file: " + source);
        } catch (IOException e) {
            throw Failures.io("read", source, e);
        }
    }

    private void ensureDirectory() throws IdentityException {
        try {
            PrivateFiles.ensureDirectory(directory);
        } catch (IOException e) {
            throw Failures.io("create", directory, e);
        }
    }

    private void write(Path target, byte[] bytes, boolean replace) throws IdentityException {
        try {
            PrivateFiles.write(target, bytes, replace, random);
        } catch (FileAlreadyExistsException e) {
            throw target.equals(file) ? Failures.alreadyExists() : Failures.invalid("file already exists: " + target);
        } catch (IOException e) {
            throw Failures.io("write", target, e);
        }
    }

    /** Delivers queued events one at a time in order; never called with {@link #lock} held. */
    private void deliverEvents() {
        synchronized (dispatch) {
            while (true) {
                Runnable event;
                synchronized (lock) {
                    event = events.poll();
                }
                if (event == null) {
                    return;
                }
                event.run();
            }
        }
    }

    private static void notify(List<IdentityListener> targets, Consumer<IdentityListener> call) {
        for (IdentityListener l : targets) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "identity listener " + l.getClass().getName() + " failed", e);
            }
        }
    }
}
