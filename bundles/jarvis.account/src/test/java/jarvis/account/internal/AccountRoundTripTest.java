package jarvis.account.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jarvis.api.DeliveryState;
import jarvis.api.Message;
import jarvis.api.account.AccountException;
import jarvis.api.account.AccountReport;
import jarvis.api.groups.Group;
import jarvis.api.groups.GroupState;
import jarvis.api.identity.IdentityState;
import jarvis.crypto.X25519KeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An account with real traffic (two nodes over loopback TCP: messages both ways in every state, a verified contact,
 * an offline contact with a queued message, groups with owed protocol items, a deleted message) is exported and
 * imported into a fresh data directory: every row of every table, the schema versions and the sequences come back
 * identical, and the services show the same account.
 */
class AccountRoundTripTest {

    static final String PASSWORD = "alice's password";

    @TempDir
    Path root;

    private AccountNode alice;
    private AccountNode bob;
    private AccountNode copy;

    @BeforeEach
    void start() throws Exception {
        alice = new AccountNode("alice", root);
        bob = new AccountNode("bob", root);
        alice.create(PASSWORD);
        bob.create("bob's password");
    }

    @AfterEach
    void stop() {
        for (AccountNode n : new AccountNode[] {alice, bob, copy}) {
            if (n != null) {
                n.close();
            }
        }
    }

    @Test
    void everythingComesBackIdenticalInAFreshDataDirectory() throws Exception {
        alice.know(bob);
        bob.know(alice);
        await().atMost(Duration.ofSeconds(20)).until(() -> alice.online(bob) && bob.online(alice));

        Message a1 = alice.messenger.send(bob.uid(), "hello bob");
        Message a2 = alice.messenger.send(bob.uid(), "second, with ünïcödé and 🌸");
        bob.messenger.send(alice.uid(), "hi alice");
        bob.messenger.send(alice.uid(), "unread by alice");
        await().atMost(Duration.ofSeconds(20)).until(() -> bob.received.size() == 2 && alice.received.size() == 2);
        bob.messenger.markRead(alice.uid());
        await().atMost(Duration.ofSeconds(20)).until(() -> alice.state(a2.id()) == DeliveryState.READ);
        alice.contacts.verify(bob.uid());

        // An offline contact: its message and its group invitation stay owed.
        String daveKey = HexFormat.of().formatHex(X25519KeyPair.generate(new SecureRandom()).publicKey());
        String daveUid = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        alice.contacts.add(daveUid, "dave", daveKey, List.of());
        Message queued = alice.messenger.send(daveUid, "for dave, when he comes online");

        Group group = alice.groups.create("friends", List.of(bob.uid(), daveUid));
        await().atMost(Duration.ofSeconds(20)).until(() -> bob.groups.group(group.id()).isPresent());
        bob.groups.accept(group.id());
        await().atMost(Duration.ofSeconds(20)).until(() -> alice.groups.group(group.id()).orElseThrow().members()
                .stream().anyMatch(m -> m.uid().equals(bob.uid()) && m.joined()));
        alice.messenger.sendToGroup(group.id(), "hello group");
        bob.messenger.sendToGroup(group.id(), "hello from bob in the group");
        await().atMost(Duration.ofSeconds(20)).until(() -> alice.received.size() == 3);
        // A deleted received message leaves a tombstone.
        alice.messenger.delete(alice.received.get(0).id());

        bob.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> !alice.online(bob));

        Map<String, List<String>> before = alice.dump();
        assertThat(before.get("MESSAGE")).hasSize(6);
        assertThat(before.get("MESSAGE_TOMBSTONE")).hasSize(1);
        assertThat(before.get("OUTBOX")).isNotEmpty();
        assertThat(before.get("GRP_PENDING")).isNotEmpty();
        assertThat(before.get("CONTACT")).hasSize(2);
        List<Message> historyBefore = alice.messenger.history(bob.uid(), null, 100);
        List<Message> groupBefore = alice.messenger.history(group.id(), null, 100);
        int unreadBefore = alice.messenger.totalUnread();
        assertThat(unreadBefore).isEqualTo(2);

        Path file = root.resolve("alice.jarvis-account");
        AccountReport exported = alice.accounts.exportAccount(file, PASSWORD.toCharArray());
        assertThat(exported.contacts()).isEqualTo(2);
        assertThat(exported.groups()).isEqualTo(1);
        assertThat(exported.messages()).isEqualTo(6);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        byte[] raw = Files.readAllBytes(file);
        assertThat(new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("hello bob")
                .doesNotContain("friends").doesNotContain(bob.uid());

        copy = new AccountNode("alice-copy", root);
        AccountReport imported = copy.accounts.importAccount(file, PASSWORD.toCharArray());
        assertThat(imported.identity().uid()).isEqualTo(alice.uid());
        assertThat(imported.identity().fingerprint()).isEqualTo(alice.identity.status().summary().orElseThrow()
                .fingerprint());
        assertThat(imported.identity().unlocked()).isTrue();
        assertThat(imported.contacts()).isEqualTo(2);
        assertThat(imported.groups()).isEqualTo(1);
        assertThat(imported.messages()).isEqualTo(6);

        Map<String, List<String>> after = copy.dump();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String table : before.keySet()) {
            assertThat(after.get(table)).as(table).isEqualTo(before.get(table));
        }
        assertThat(copy.publicKeyHex()).isEqualTo(alice.publicKeyHex());
        assertThat(copy.contacts.list()).isEqualTo(alice.contacts.list());
        assertThat(copy.contacts.byUid(bob.uid()).orElseThrow().verified()).isTrue();
        assertThat(copy.messenger.history(bob.uid(), null, 100)).isEqualTo(historyBefore);
        assertThat(copy.messenger.history(group.id(), null, 100)).isEqualTo(groupBefore);
        assertThat(copy.messenger.totalUnread()).isEqualTo(unreadBefore);
        assertThat(copy.messenger.message(a1.id()).orElseThrow().state()).isEqualTo(DeliveryState.READ);
        assertThat(copy.messenger.message(queued.id()).orElseThrow().state()).isEqualTo(DeliveryState.QUEUED);
        Group copied = copy.groups.group(group.id()).orElseThrow();
        assertThat(copied).isEqualTo(alice.groups.group(group.id()).orElseThrow());
        assertThat(copied.state()).isEqualTo(GroupState.JOINED);

        // The imported account's password is the file's; the store key is new (a new master key).
        copy.identity.lock();
        assertThat(copy.identity.unlock(PASSWORD.toCharArray()).uid()).isEqualTo(alice.uid());
    }

    @Test
    void deletingTheAccountLeavesNoFileOfIt() throws Exception {
        alice.contacts.add(bob.uid(), "bob", bob.publicKeyHex(), List.of());
        alice.messenger.send(bob.uid(), "queued");
        Path file = root.resolve("alice.jarvis-account");
        alice.accounts.exportAccount(file, PASSWORD.toCharArray());
        copy = new AccountNode("alice-copy", root);
        copy.accounts.importAccount(file, PASSWORD.toCharArray());
        assertThat(files(copy.dataDir)).isNotEmpty();

        assertThatThrownBy(() -> copy.accounts.deleteAccount("wrong".toCharArray()))
                .isInstanceOf(AccountException.class).extracting(e -> ((AccountException) e).reason())
                .isEqualTo(AccountException.Reason.WRONG_PASSWORD);
        assertThat(copy.identity.status().state()).isEqualTo(IdentityState.UNLOCKED);

        copy.accounts.deleteAccount(PASSWORD.toCharArray());
        assertThat(copy.identity.status().state()).isEqualTo(IdentityState.NONE);
        assertThat(copy.store).isNull();
        assertThat(files(copy.dataDir)).isEmpty();
        // The export is the user's: deleting the account does not reach it.
        assertThat(file).exists();
    }

    /** Every file and directory under {@code dir} (not {@code dir} itself). */
    static List<String> files(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
