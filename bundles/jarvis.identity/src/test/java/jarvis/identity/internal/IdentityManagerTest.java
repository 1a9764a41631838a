package jarvis.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jarvis.api.IdentitySummary;
import jarvis.api.Ids;
import jarvis.api.identity.IdentityException;
import jarvis.api.identity.IdentityException.Reason;
import jarvis.api.identity.IdentityListener;
import jarvis.api.identity.IdentityState;
import jarvis.api.identity.IdentityStatus;
import jarvis.api.identity.UnlockedIdentity;
import jarvis.crypto.Argon2id;
import jarvis.crypto.Fingerprint;
import jarvis.crypto.X25519KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityManagerTest {

    /** Most tests use a cheap Argon2 cost (files record it); {@link #createUnlockLockUnlockAtTheRealCost} does not. */
    static final Argon2id.Cost CHEAP = Argon2id.Cost.of(256, 1, 1);

    @TempDir
    Path data;

    private IdentityManager service() {
        return new IdentityManager(data, CHEAP, new SecureRandom());
    }

    static char[] pw(String s) {
        return s.toCharArray();
    }

    @Test
    void createUnlockLockUnlockAtTheRealCost() throws Exception {
        IdentityManager service = IdentityManager.forDataDirectory(data);
        assertThat(service.status().state()).isEqualTo(IdentityState.NONE);

        IdentitySummary created = service.create("alice", pw("correct horse"));
        assertThat(created.username()).isEqualTo("alice");
        assertThat(Ids.isUid(created.uid())).isTrue();
        assertThat(created.unlocked()).isTrue();
        UnlockedIdentity first = service.unlocked().orElseThrow();
        assertThat(created.fingerprint()).isEqualTo(Fingerprint.of(first.publicKey()).hex());
        byte[] storeKey = first.storeKey();
        assertThat(storeKey).hasSize(32);

        KeyFile onDisk = KeyFile.parse(Files.readAllBytes(service.file()), KeyFile.Kind.IDENTITY);
        assertThat(onDisk.cost().memoryKiB()).isEqualTo(65536);
        assertThat(onDisk.cost().iterations()).isEqualTo(3);
        assertThat(onDisk.cost().parallelism()).isEqualTo(1);

        service.lock();
        assertThat(service.status().state()).isEqualTo(IdentityState.LOCKED);
        assertThat(service.status().summary()).hasValueSatisfying(s -> {
            assertThat(s.uid()).isEqualTo(created.uid());
            assertThat(s.unlocked()).isFalse();
        });
        assertThat(service.unlocked()).isEmpty();
        assertThat(first.isUnlocked()).isFalse();

        // A fresh service (a daemon restart) unlocks the same identity with the same derived keys.
        IdentityManager restarted = IdentityManager.forDataDirectory(data);
        assertThat(restarted.status()).isEqualTo(new IdentityStatus(IdentityState.LOCKED, java.util.Optional.empty()));
        IdentitySummary again = restarted.unlock(pw("correct horse"));
        assertThat(again).isEqualTo(created);
        assertThat(restarted.unlocked().orElseThrow().storeKey()).isEqualTo(storeKey);
        restarted.lock();
        assertThat(restarted.unlock(pw("correct horse")).uid()).isEqualTo(created.uid());
    }

    @Test
    void cheapFileIsUnlockedAtTheCostItRecordsNotTheServiceCost() throws Exception {
        service().create("bob", pw("pw"));
        KeyFile onDisk = KeyFile.parse(Files.readAllBytes(data.resolve("identity/identity.jkf")), KeyFile.Kind.IDENTITY);
        assertThat(onDisk.cost().memoryKiB()).isEqualTo(CHEAP.memoryKiB());
        // Were the service's own (real) cost used, the key-encryption key would differ and this would fail.
        IdentityManager real = IdentityManager.forDataDirectory(data);
        assertThat(real.unlock(pw("pw")).username()).isEqualTo("bob");
    }

    @Test
    void passwordArraysAreWipedOnSuccessAndFailure() throws Exception {
        IdentityManager service = service();
        char[] password = pw("secret");
        service.create("alice", password);
        assertThat(password).containsOnly('\0');
        char[] wrong = pw("nope");
        assertThatThrownBy(() -> service.unlock(wrong)).isInstanceOf(IdentityException.class);
        assertThat(wrong).containsOnly('\0');
        char[] oldPw = pw("secret");
        char[] newPw = pw("other");
        service.changePassword(oldPw, newPw);
        assertThat(oldPw).containsOnly('\0');
        assertThat(newPw).containsOnly('\0');
    }

    @Test
    void wrongPasswordLeavesFileByteIdenticalAndStateUnchanged() throws Exception {
        IdentityManager service = service();
        service.create("alice", pw("right"));
        service.lock();
        byte[] before = Files.readAllBytes(service.file());

        assertThatThrownBy(() -> service.unlock(pw("wrong")))
                .isInstanceOfSatisfying(IdentityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD);
                    assertThat(e.getMessage()).isEqualTo("wrong password");
                });
        assertThatThrownBy(() -> service.changePassword(pw("wrong"), pw("new")))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD));
        assertThatThrownBy(() -> service.delete(pw("wrong")))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD));
        assertThatThrownBy(() -> service.exportAccount(data.resolve("out.jkf"), pw("wrong")))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD));

        assertThat(Files.readAllBytes(service.file())).isEqualTo(before);
        assertThat(Files.exists(data.resolve("out.jkf"))).isFalse();
        assertThat(service.status().state()).isEqualTo(IdentityState.LOCKED);
        assertThat(service.unlock(pw("right")).username()).isEqualTo("alice");
    }

    @Test
    void truncatedFileIsReportedCorruptedAndLeftUntouched() throws Exception {
        IdentityManager service = service();
        service.create("alice", pw("pw"));
        service.lock();
        byte[] good = Files.readAllBytes(service.file());
        for (int length : new int[] {0, 7, 20, good.length / 2, good.length - 33, good.length - 1}) {
            byte[] truncated = java.util.Arrays.copyOf(good, length);
            Files.write(service.file(), truncated);
            assertThatThrownBy(() -> service().unlock(pw("pw")))
                    .as("truncated to %d bytes", length)
                    .isInstanceOfSatisfying(IdentityException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.CORRUPTED);
                        assertThat(e.getMessage()).startsWith("identity file is corrupted: ");
                    });
            assertThat(Files.readAllBytes(service.file())).isEqualTo(truncated);
        }
    }

    @Test
    void bitFlipAnywhereIsReportedCorruptedNotWrongPasswordAndLeftUntouched() throws Exception {
        IdentityManager service = service();
        service.create("alice", pw("pw"));
        service.lock();
        byte[] good = Files.readAllBytes(service.file());
        // Every byte of the file: magic, header, salt, wrapped key, body, checksum.
        for (int i = 0; i < good.length; i++) {
            byte[] flipped = good.clone();
            flipped[i] ^= 0x10;
            Files.write(service.file(), flipped);
            int at = i;
            assertThatThrownBy(() -> service.unlock(pw("pw")))
                    .as("bit flipped in byte %d", at)
                    .isInstanceOfSatisfying(IdentityException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.CORRUPTED);
                        assertThat(e.getMessage()).startsWith("identity file is corrupted: ");
                    });
            assertThat(Files.readAllBytes(service.file())).isEqualTo(flipped);
        }
        assertThat(service.status().state()).isEqualTo(IdentityState.LOCKED);
        Files.write(service.file(), good);
        assertThat(service.unlock(pw("pw")).username()).isEqualTo("alice");
    }

    @Test
    void changedPasswordRewrapsOnlyTheMasterKey() throws Exception {
        IdentityManager service = service();
        service.create("alice", pw("old"));
        byte[] storeKey = service.unlocked().orElseThrow().storeKey();
        byte[] before = Files.readAllBytes(service.file());

        service.changePassword(pw("old"), pw("new"));

        byte[] after = Files.readAllBytes(service.file());
        KeyFile b = KeyFile.parse(before, KeyFile.Kind.IDENTITY);
        KeyFile a = KeyFile.parse(after, KeyFile.Kind.IDENTITY);
        assertThat(java.util.Arrays.copyOfRange(after, a.bodyStart(), after.length - KeyFile.CHECKSUM_LENGTH))
                .as("encrypted identity record kept byte for byte")
                .isEqualTo(java.util.Arrays.copyOfRange(before, b.bodyStart(), before.length - KeyFile.CHECKSUM_LENGTH));
        assertThat(java.util.Arrays.copyOf(after, a.bodyStart()))
                .as("new salt and wrap").isNotEqualTo(java.util.Arrays.copyOf(before, b.bodyStart()));
        assertThat(service.status().state()).as("state kept").isEqualTo(IdentityState.UNLOCKED);

        service.lock();
        assertThatThrownBy(() -> service.unlock(pw("old")))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD));
        service.unlock(pw("new"));
        assertThat(service.unlocked().orElseThrow().storeKey()).as("same master key").isEqualTo(storeKey);
    }

    @Test
    void exportDeleteImportRestoresTheSameIdentity() throws Exception {
        IdentityManager service = service();
        IdentitySummary original = service.create("alice", pw("pw"));
        byte[] publicKey = service.unlocked().orElseThrow().publicKey();
        byte[] privateKey = service.unlocked().orElseThrow().privateKey();
        byte[] storeKey = service.unlocked().orElseThrow().storeKey();
        Path export = data.resolve("alice.jexport");

        service.exportAccount(export, pw("pw"));
        assertThat(Files.getPosixFilePermissions(export)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> service.exportAccount(export, pw("pw")))
                .as("never overwrites").isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
        assertThatThrownBy(() -> service.importAccount(export, pw("pw")))
                .isInstanceOfSatisfying(IdentityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS);
                    assertThat(e.getMessage()).isEqualTo("an identity already exists");
                });

        service.delete(pw("pw"));
        assertThat(service.status()).isEqualTo(new IdentityStatus(IdentityState.NONE, java.util.Optional.empty()));
        assertThat(Files.exists(service.file())).isFalse();
        assertThatThrownBy(() -> service.unlock(pw("pw")))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.getMessage()).isEqualTo("no identity"));

        assertThatThrownBy(() -> service.importAccount(export, pw("bad")))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD));
        assertThat(service.status().state()).isEqualTo(IdentityState.NONE);

        IdentitySummary imported = service.importAccount(export, pw("pw"));
        assertThat(imported).isEqualTo(original);
        UnlockedIdentity keys = service.unlocked().orElseThrow();
        assertThat(keys.publicKey()).isEqualTo(publicKey);
        assertThat(keys.privateKey()).isEqualTo(privateKey);
        assertThat(keys.storeKey()).as("an import starts a fresh master key").isNotEqualTo(storeKey);
        service.lock();
        assertThat(service.unlock(pw("pw"))).isEqualTo(original);
    }

    @Test
    void exportIsNotAnIdentityFileAndViceVersa() throws Exception {
        IdentityManager service = service();
        service.create("alice", pw("pw"));
        Path export = data.resolve("x.jexport");
        service.exportAccount(export, pw("pw"));
        assertThatThrownBy(() -> KeyFile.parse(Files.readAllBytes(export), KeyFile.Kind.IDENTITY))
                .hasMessageContaining("it is not an identity file");
        service.delete(pw("pw"));
        assertThatThrownBy(() -> service().importAccount(data.resolve("elsewhere"), pw("pw")))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
        byte[] exportBytes = Files.readAllBytes(export);
        exportBytes[exportBytes.length - 1] ^= 1;
        Path damaged = data.resolve("damaged.jexport");
        Files.write(damaged, exportBytes);
        assertThatThrownBy(() -> service.importAccount(damaged, pw("pw")))
                .isInstanceOfSatisfying(IdentityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CORRUPTED);
                    assertThat(e.getMessage()).startsWith("account export is corrupted: ");
                });
        assertThat(service.status().state()).isEqualTo(IdentityState.NONE);
    }

    @Test
    void filesAre0600AndDirectory0700() throws Exception {
        IdentityManager service = service();
        service.create("alice", pw("pw"));
        assertThat(Files.getPosixFilePermissions(data.resolve("identity")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(service.file()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        service.changePassword(pw("pw"), pw("pw2"));
        assertThat(Files.getPosixFilePermissions(service.file()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (var names = Files.list(data.resolve("identity"))) {
            assertThat(names.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactly("identity.jkf");
        }
    }

    @Test
    void staleTemporaryFileFromACrashIsRemovedAtStart() throws Exception {
        service().create("alice", pw("pw"));
        Path stale = data.resolve("identity/.identity.jkf.1234abcd.tmp");
        Files.write(stale, new byte[] {1, 2, 3});
        IdentityManager restarted = service();
        assertThat(stale).doesNotExist();
        assertThat(restarted.status().state()).isEqualTo(IdentityState.LOCKED);
    }

    @Test
    void lockedServiceRefusesKeyAccess() throws Exception {
        IdentityManager service = service();
        service.create("alice", pw("pw"));
        UnlockedIdentity handle = service.unlocked().orElseThrow();
        byte[] publicKey = handle.publicKey();
        service.lock();

        assertThat(service.unlocked()).isEmpty();
        assertThat(handle.isUnlocked()).isFalse();
        assertThat(handle.summary().unlocked()).isFalse();
        assertThat(handle.publicKey()).as("public data stays readable").isEqualTo(publicKey);
        X25519KeyPair peer = X25519KeyPair.generate(new SecureRandom());
        for (ThrowingCall call : List.<ThrowingCall>of(handle::storeKey, handle::privateKey,
                () -> handle.agree(peer.publicKey()))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(IdentityException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.LOCKED);
                assertThat(e.getMessage()).isEqualTo("identity is locked");
            });
        }
    }

    @Test
    void agreeMatchesThePeersViewAndRefusesLowOrderKeys() throws Exception {
        IdentityManager service = service();
        service.create("alice", pw("pw"));
        UnlockedIdentity me = service.unlocked().orElseThrow();
        X25519KeyPair peer = X25519KeyPair.generate(new SecureRandom());
        assertThat(me.agree(peer.publicKey())).isEqualTo(peer.agree(me.publicKey()));
        assertThatThrownBy(() -> me.agree(new byte[32]))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
    }

    @Test
    void createRefusesSecondIdentityBadNamesAndEmptyPasswords() throws Exception {
        IdentityManager service = service();
        assertThatThrownBy(() -> service.create("alice", new char[0]))
                .isInstanceOfSatisfying(IdentityException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
        for (String bad : new String[] {"", "   ", "a\u001b[2Jb", "x".repeat(129)}) {
            assertThatThrownBy(() -> service.create(bad, pw("pw")))
                    .as("user name %s", bad)
                    .isInstanceOfSatisfying(IdentityException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
        }
        assertThat(service.status().state()).isEqualTo(IdentityState.NONE);
        IdentitySummary first = service.create("Zoë 🦊", pw("pw"));
        assertThat(first.username()).isEqualTo("Zoë 🦊");
        byte[] file = Files.readAllBytes(service.file());
        assertThatThrownBy(() -> service.create("mallory", pw("pw")))
                .isInstanceOfSatisfying(IdentityException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS);
                    assertThat(e.getMessage()).isEqualTo("an identity already exists");
                });
        assertThat(Files.readAllBytes(service.file())).isEqualTo(file);
        assertThat(service.unlocked().orElseThrow().summary()).isEqualTo(first);
    }

    @Test
    void listenersHearUnlockLockDeleteInOrderAndLateListenersLearnTheState() throws Exception {
        IdentityManager service = service();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        service.addListener(new RecordingListener("early", events));
        service.create("alice", pw("pw"));
        service.addListener(new RecordingListener("late", events));
        service.lock();
        service.unlock(pw("pw"));
        service.unlock(pw("pw"));
        service.delete(pw("pw"));
        assertThat(events).containsExactly(
                "early unlocked true", "late unlocked true",
                "early locked", "late locked",
                "early unlocked true", "late unlocked true",
                "early deleted", "late deleted");
    }

    @Test
    void listenerFailureDoesNotBreakTheService() throws Exception {
        IdentityManager service = service();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        service.addListener(new IdentityListener() {
            @Override
            public void identityUnlocked(UnlockedIdentity identity) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void identityLocked(IdentitySummary identity) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void identityDeleted(IdentitySummary identity) {
                throw new IllegalStateException("boom");
            }
        });
        service.addListener(new RecordingListener("other", events));
        service.create("alice", pw("pw"));
        service.lock();
        assertThat(events).containsExactly("other unlocked true", "other locked");
        assertThat(service.status().state()).isEqualTo(IdentityState.LOCKED);
    }

    @Test
    void concurrentUnlockAndLockNeverLeaveHalfState() throws Exception {
        IdentityManager service = service();
        service.create("alice", pw("pw"));
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        service.addListener(new RecordingListener("l", events));
        List<UnlockedIdentity> handles = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            boolean unlocker = t % 2 == 0;
            tasks.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 100; i++) {
                    if (unlocker) {
                        service.unlock(pw("pw"));
                        service.unlocked().ifPresent(handles::add);
                    } else {
                        service.lock();
                    }
                    IdentityStatus status = service.status();
                    assertThat(status.state()).isIn(IdentityState.LOCKED, IdentityState.UNLOCKED);
                    assertThat(status.summary()).isPresent();
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : tasks) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        // Quiescent now: exactly one handle may be live, and only if the state says unlocked.
        long live = handles.stream().distinct().filter(UnlockedIdentity::isUnlocked).count();
        if (service.status().state() == IdentityState.UNLOCKED) {
            assertThat(live).isEqualTo(1);
            assertThat(service.unlocked().orElseThrow().isUnlocked()).isTrue();
            assertThat(service.unlocked().orElseThrow().storeKey()).hasSize(32);
        } else {
            assertThat(live).isZero();
            assertThat(service.unlocked()).isEmpty();
        }
        // Events strictly alternate: the listener never sees two unlocks (or two locks) in a row.
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).split(" ")[1]).as("event %d of %s", i, events)
                    .isNotEqualTo(events.get(i - 1).split(" ")[1]);
        }
        assertThat(events.size()).isGreaterThan(2);
    }

    @Test
    void statusNeverCarriesKeyMaterial() throws Exception {
        IdentityManager service = service();
        service.create("alice", pw("pw"));
        UnlockedIdentity keys = service.unlocked().orElseThrow();
        String text = service.status().toString() + keys.summary() + keys;
        assertThat(text).doesNotContain(hex(keys.privateKey())).doesNotContain(hex(keys.storeKey()));
    }

    private static String hex(byte[] b) {
        return Hex.encode(b);
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    /** Writes "name event" lines; the unlocked event says whether the handle still works. */
    static final class RecordingListener implements IdentityListener {
        private final String name;
        private final List<String> events;

        RecordingListener(String name, List<String> events) {
            this.name = name;
            this.events = events;
        }

        @Override
        public void identityUnlocked(UnlockedIdentity identity) {
            events.add(name + " unlocked " + (identity.summary().uid() != null));
        }

        @Override
        public void identityLocked(IdentitySummary identity) {
            events.add(name + " locked");
        }

        @Override
        public void identityDeleted(IdentitySummary identity) {
            events.add(name + " deleted");
        }
    }
}
