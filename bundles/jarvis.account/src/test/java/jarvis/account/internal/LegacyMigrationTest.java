package jarvis.account.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jarvis.api.Contact;
import jarvis.api.DeliveryState;
import jarvis.api.Endpoint;
import jarvis.api.Message;
import jarvis.api.account.AccountException;
import jarvis.api.account.AccountReport;
import jarvis.api.groups.Group;
import jarvis.api.groups.GroupState;
import jarvis.api.identity.IdentityState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration of a Jarvis 1.x data directory built from the 1.x vectors into a fresh account, on the real identity
 * service, store and domain components: identity (uid, name, key, fingerprint kept), contacts, groups and history,
 * the 1.x folder untouched byte for byte and time for time; malformed files refused with their name, changing
 * nothing; a second run refused.
 */
class LegacyMigrationTest {

    @TempDir
    Path root;

    private Path jarvis1;
    private AccountNode node;

    @BeforeEach
    void folder() throws Exception {
        jarvis1 = root.resolve("dot-jarvis");
        Jarvis1Folder.write(jarvis1);
        node = new AccountNode("migrated", root);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** Content and modification time of every file of the folder. */
    private Map<String, String> snapshot() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(jarvis1)) {
            for (Path p : s.sorted().toList()) {
                FileTime t = Files.getLastModifiedTime(p);
                out.put(jarvis1.relativize(p).toString(), t.toString() + " " + (Files.isRegularFile(p)
                        ? java.util.HexFormat.of().formatHex(Files.readAllBytes(p)) : "dir"));
            }
        }
        return out;
    }

    @Test
    void everythingArrivesAndTheFolderIsUntouched() throws Exception {
        Map<String, String> before = snapshot();
        AccountReport report = node.accounts.importLegacy(jarvis1, Jarvis1Folder.PASSWORD.toCharArray());

        assertThat(snapshot()).isEqualTo(before);
        assertThat(report.identity().uid()).isEqualTo(Jarvis1Folder.UID);
        assertThat(report.identity().username()).isEqualTo(Jarvis1Folder.USERNAME);
        assertThat(report.identity().fingerprint()).isEqualTo(Jarvis1Folder.A_FINGERPRINT);
        assertThat(report.identity().unlocked()).isTrue();
        assertThat(node.publicKeyHex()).isEqualTo(Jarvis1Folder.A_PUBLIC);
        assertThat(report.contacts()).isEqualTo(2);
        assertThat(report.groups()).isEqualTo(1);
        assertThat(report.messages()).isEqualTo(5);

        Contact bob = node.contacts.byUid(Jarvis1Folder.BOB_UID).orElseThrow();
        assertThat(bob.username()).isEqualTo("bob");
        assertThat(bob.publicKey()).isEqualTo(Jarvis1Folder.B_PUBLIC);
        assertThat(bob.fingerprint()).isEqualTo(Jarvis1Folder.B_FINGERPRINT);
        assertThat(bob.verified()).isTrue();
        assertThat(bob.legacy()).as("a 1.x contact keeps the permission to use the 1.x protocol").isTrue();
        assertThat(bob.endpoints()).containsExactly(Endpoint.tcp("203.0.113.7", 5000));
        Contact carol = node.contacts.byUid(Jarvis1Folder.CAROL_UID).orElseThrow();
        assertThat(carol.username()).isEqualTo("carol[2J");
        assertThat(carol.verified()).isFalse();
        assertThat(carol.endpoints()).as("localhost means no address").isEmpty();

        List<Message> direct = new java.util.ArrayList<>(node.messenger.history(Jarvis1Folder.BOB_UID, null, 100));
        java.util.Collections.reverse(direct); // history pages are newest first
        assertThat(direct).extracting(Message::text).containsExactly("hi bob", "hi alice",
                "are you there? \u00fc\ud83c\udf38");
        assertThat(direct).extracting(Message::senderUid).containsExactly(Jarvis1Folder.UID, Jarvis1Folder.BOB_UID,
                Jarvis1Folder.BOB_UID);
        assertThat(direct).extracting(Message::state).containsExactly(DeliveryState.SENT, DeliveryState.READ,
                DeliveryState.DELIVERED);
        assertThat(direct.get(0).timestamp()).isEqualTo(java.time.Instant.parse("2025-03-15T10:00:00.000Z"));
        assertThat(direct.get(1).timestamp()).as("a naive 1.x time is read as UTC")
                .isEqualTo(java.time.Instant.parse("2025-03-15T10:00:05Z"));
        assertThat(node.messenger.unreadCount(Jarvis1Folder.BOB_UID)).isEqualTo(1);

        Group group = node.groups.group(Jarvis1Folder.GROUP_ID).orElseThrow();
        assertThat(group.name()).isEqualTo("friends");
        assertThat(group.creatorUid()).isEqualTo(Jarvis1Folder.UID);
        assertThat(group.state()).isEqualTo(GroupState.JOINED);
        assertThat(group.members()).extracting(m -> m.uid() + " " + m.admin()).containsExactly(
                Jarvis1Folder.UID + " true", Jarvis1Folder.BOB_UID + " false");
        assertThat(node.messenger.history(Jarvis1Folder.GROUP_ID, null, 100)).extracting(Message::text)
                .containsExactly("hello from bob", "hello friends");
        assertThat(node.messenger.unreadCount(Jarvis1Folder.GROUP_ID)).isEqualTo(1);
        assertThat(node.messenger.totalUnread()).isEqualTo(2);

        // The 1.x password is the account password now.
        node.identity.lock();
        assertThat(node.identity.unlock(Jarvis1Folder.PASSWORD.toCharArray()).uid()).isEqualTo(Jarvis1Folder.UID);

        // A second run changes nothing.
        Map<String, List<String>> tables = node.dump();
        assertThatThrownBy(() -> node.accounts.importLegacy(jarvis1, Jarvis1Folder.PASSWORD.toCharArray()))
                .isInstanceOf(AccountException.class).extracting(e -> ((AccountException) e).reason())
                .isEqualTo(AccountException.Reason.ALREADY_EXISTS);
        assertThat(node.dump()).isEqualTo(tables);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void theIdentityFileItselfNamesTheFolderToo() throws Exception {
        AccountReport report = node.accounts.importLegacy(jarvis1.resolve("identity.enc"),
                Jarvis1Folder.PASSWORD.toCharArray());
        assertThat(report.messages()).isEqualTo(5);
    }

    @Test
    void aFolderWithOnlyTheIdentityMigratesTheIdentity() throws Exception {
        for (String f : List.of("contacts.json", "groups.json", "messages.json")) {
            Files.delete(jarvis1.resolve(f));
        }
        AccountReport report = node.accounts.importLegacy(jarvis1, Jarvis1Folder.PASSWORD.toCharArray());
        assertThat(report.identity().uid()).isEqualTo(Jarvis1Folder.UID);
        assertThat(report.contacts() + report.groups() + report.messages()).isZero();
    }

    private void refused(AccountException.Reason reason, String message) throws Exception {
        Map<String, String> before = snapshot();
        assertThatThrownBy(() -> node.accounts.importLegacy(jarvis1, Jarvis1Folder.PASSWORD.toCharArray()))
                .isInstanceOf(AccountException.class).hasMessageContaining(message)
                .extracting(e -> ((AccountException) e).reason()).isEqualTo(reason);
        assertThat(node.identity.status().state()).isEqualTo(IdentityState.NONE);
        assertThat(AccountRoundTripTest.files(node.dataDir)).isEmpty();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void malformedFilesAreRefusedByNameAndChangeNothing() throws Exception {
        Path contacts = jarvis1.resolve("contacts.json");
        Path groups = jarvis1.resolve("groups.json");
        Path messages = jarvis1.resolve("messages.json");
        String good = Files.readString(contacts);

        Files.writeString(contacts, "{\"uid\": ");
        refused(AccountException.Reason.CORRUPTED, "Jarvis 1.x contacts.json is malformed: not JSON");
        Files.writeString(contacts, good.replace(Jarvis1Folder.B_FINGERPRINT, "0".repeat(64)));
        refused(AccountException.Reason.CORRUPTED, "its fingerprint is not the SHA-256 of its public key");
        Files.writeString(contacts, good.replace("\"port\": 5000", "\"port\": 70000"));
        refused(AccountException.Reason.CORRUPTED, "port must be 1..65535");
        Files.writeString(contacts, "[]");
        refused(AccountException.Reason.CORRUPTED, "not an object of contacts by uid");
        Files.writeString(contacts, good);

        Files.writeString(groups, Jarvis1Folder.groupsJson().replace("\"group_id\": \"g", "\"group_id\": \"x"));
        refused(AccountException.Reason.CORRUPTED, "groups.json is malformed");
        Files.writeString(groups, Jarvis1Folder.groupsJson());

        Files.writeString(messages, Jarvis1Folder.messagesJson().replace("\"2025-03-15T10:00:05\"", "\"yesterday\""));
        refused(AccountException.Reason.CORRUPTED, "'yesterday' is not an ISO-8601 time");
        Files.writeString(messages, "[" + Jarvis1Folder.message("big", Jarvis1Folder.BOB_UID, "x".repeat(70_000), true,
                "2025-03-15T10:00:00+00:00", false, true, null, Jarvis1Folder.UID) + "]");
        refused(AccountException.Reason.CORRUPTED, "longer than 64 KiB");
        Files.writeString(messages, "[" + "[".repeat(100) + "]".repeat(100) + "]");
        refused(AccountException.Reason.CORRUPTED, "messages.json is malformed");
        Files.writeString(messages, Jarvis1Folder.messagesJson());

        // The data files are checked before the password: a wrong one is found last, still changing nothing.
        Map<String, String> before = snapshot();
        assertThatThrownBy(() -> node.accounts.importLegacy(jarvis1, "wrong".toCharArray()))
                .isInstanceOf(AccountException.class).extracting(e -> ((AccountException) e).reason())
                .isEqualTo(AccountException.Reason.WRONG_PASSWORD);
        assertThat(AccountRoundTripTest.files(node.dataDir)).isEmpty();
        assertThat(snapshot()).isEqualTo(before);

        assertThatThrownBy(() -> node.accounts.importLegacy(root.resolve("nowhere"), "x".toCharArray()))
                .isInstanceOf(AccountException.class).hasMessageContaining("no such file or directory");
        assertThatThrownBy(() -> node.accounts.importLegacy(root, "x".toCharArray()))
                .isInstanceOf(AccountException.class).hasMessageContaining("not a Jarvis 1.x data directory");
    }
}
