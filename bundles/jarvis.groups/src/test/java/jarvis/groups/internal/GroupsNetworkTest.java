package jarvis.groups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import jarvis.api.DeliveryState;
import jarvis.api.Message;
import jarvis.api.groups.Group;
import jarvis.api.groups.GroupException;
import jarvis.api.groups.GroupMember;
import jarvis.api.groups.GroupState;
import jarvis.api.messaging.MessagingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes on loopback TCP: A knows B and C, B and C do not know each other. Groups must make every member
 * learn the group and its members, introduce members to each other, and fan messages out to everyone.
 */
class GroupsNetworkTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path root;
    private GroupNode a;
    private GroupNode b;
    private GroupNode c;

    @BeforeEach
    void threeNodes() throws Exception {
        a = new GroupNode("alice", root).start();
        b = new GroupNode("bob", root).start();
        c = new GroupNode("carol", root).start();
        a.know(b);
        a.know(c);
        b.know(a);
        c.know(a);
        await().atMost(WAIT).until(() -> a.online(b) && a.online(c));
    }

    @AfterEach
    void stop() {
        for (GroupNode n : new GroupNode[] {a, b, c}) {
            if (n != null) {
                n.close();
            }
        }
    }

    /** A creates a group with B and C; both accept; everyone ends with the same version and both joined. */
    private String teamJoined() throws Exception {
        Group created = a.groups.create("Team", List.of(b.uid(), c.uid()));
        String id = created.id();
        assertThat(id).matches("g[0-9a-f]{31}");
        assertThat(created.state()).isEqualTo(GroupState.JOINED);
        assertThat(created.isAdmin(a.uid())).isTrue();
        for (GroupNode n : List.of(b, c)) {
            await().atMost(WAIT).until(() -> n.group(id) != null);
            Group invited = n.group(id);
            assertThat(invited.state()).isEqualTo(GroupState.INVITED);
            assertThat(invited.name()).isEqualTo("Team");
            assertThat(invited.members()).extracting(GroupMember::uid).containsExactly(a.uid(), b.uid(), c.uid());
            assertThat(invited.isAdmin(a.uid())).isTrue();
        }
        assertThat(b.groups.accept(id).state()).isEqualTo(GroupState.JOINED);
        assertThat(c.groups.accept(id).state()).isEqualTo(GroupState.JOINED);
        for (GroupNode n : List.of(a, b, c)) {
            await().atMost(WAIT).until(() -> n.group(id).version() == 3
                    && n.group(id).members().stream().allMatch(GroupMember::joined));
        }
        return id;
    }

    @Test
    void invitationReachesEveryMemberIntroducesThemAndMessagesFanOut() throws Exception {
        String id = teamJoined();
        // B and C never exchanged codes: the group introduced them, and they reach each other directly.
        await().atMost(WAIT).until(() -> b.online(c) && c.online(b));
        assertThat(b.contacts.byUid(c.uid()).orElseThrow().verified()).isFalse();

        Message hello = a.messenger.sendToGroup(id, "hello team");
        assertThat(hello.conversationId()).isEqualTo(id);
        await().atMost(WAIT).until(() -> b.groupTexts(id).size() == 1 && c.groupTexts(id).size() == 1);
        assertThat(b.groupTexts(id)).containsExactly("alice:hello team");
        assertThat(c.groupTexts(id)).containsExactly("alice:hello team");
        await().atMost(WAIT).until(() -> a.state(hello.id()) == DeliveryState.DELIVERED);

        b.messenger.sendToGroup(id, "hi from bob");
        await().atMost(WAIT).until(() -> a.groupTexts(id).size() == 1 && c.groupTexts(id).size() == 2);
        assertThat(a.groupTexts(id)).containsExactly("bob:hi from bob");
        assertThat(c.groupTexts(id)).containsExactly("alice:hello team", "bob:hi from bob");

        assertThat(c.messenger.unreadCount(id)).isEqualTo(2);
        assertThat(c.messenger.history(id, null, 10)).extracting(Message::text).containsExactly("hi from bob", "hello team");
        assertThat(c.messenger.markRead(id)).isEqualTo(2);
        assertThat(c.messenger.unreadCount(id)).isZero();
        // Nothing arrived twice, and nothing went to the one-to-one conversations.
        assertThat(b.messenger.history(a.uid(), null, 10)).isEmpty();
        assertThat(c.received).hasSize(2);
    }

    @Test
    void adminChangesReachEveryMemberAndOnlyAdminsMayMakeThem() throws Exception {
        String id = teamJoined();
        assertThatThrownBy(() -> b.groups.rename(id, "Bob's")).isInstanceOf(GroupException.class)
                .hasMessageContaining("only an admin");
        assertThatThrownBy(() -> b.groups.removeMember(id, c.uid())).isInstanceOf(GroupException.class);

        a.groups.rename(id, "Team 2");
        for (GroupNode n : List.of(b, c)) {
            await().atMost(WAIT).until(() -> n.group(id).name().equals("Team 2"));
        }
        a.groups.removeMember(id, c.uid());
        await().atMost(WAIT).until(() -> c.group(id).state() == GroupState.REMOVED);
        await().atMost(WAIT).until(() -> b.group(id).member(c.uid()).isEmpty());
        assertThatThrownBy(() -> c.messenger.sendToGroup(id, "still here?")).isInstanceOf(MessagingException.class)
                .hasMessageContaining("no longer a member");

        Message after = a.messenger.sendToGroup(id, "without carol");
        await().atMost(WAIT).until(() -> b.groupTexts(id).contains("alice:without carol"));
        await().atMost(WAIT).until(() -> a.state(after.id()) == DeliveryState.DELIVERED);
        assertThat(c.groupTexts(id)).isEmpty();

        // Invalid requests change nothing.
        assertThatThrownBy(() -> a.groups.create(" ", List.of())).isInstanceOf(GroupException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> a.groups.create("x".repeat(101), List.of())).isInstanceOf(GroupException.class);
        assertThatThrownBy(() -> a.groups.create("Strangers", List.of("0123456789abcdef0123456789abcdef")))
                .isInstanceOf(GroupException.class).hasMessageContaining("unknown contact");
        assertThatThrownBy(() -> a.groups.invite(id, List.of(b.uid()))).isInstanceOf(GroupException.class)
                .hasMessageContaining("member already");
        assertThat(a.groups.groups()).hasSize(1);
    }

    @Test
    void anOfflineMemberGetsGroupMessagesOnceWhenItComesBack() throws Exception {
        String id = teamJoined();
        await().atMost(WAIT).until(() -> b.online(c));
        c.stop();
        Message m1 = a.messenger.sendToGroup(id, "while carol was away");
        Message m2 = b.messenger.sendToGroup(id, "bob too");
        await().atMost(WAIT).until(() -> b.groupTexts(id).size() == 1 && a.groupTexts(id).size() == 1);
        assertThat(a.state(m1.id())).isNotEqualTo(DeliveryState.DELIVERED); // carol has not got it yet
        c.start();
        await().atMost(WAIT).until(() -> c.groupTexts(id).size() == 2);
        assertThat(c.groupTexts(id)).containsExactlyInAnyOrder("alice:while carol was away", "bob:bob too");
        await().atMost(WAIT).until(() -> a.state(m1.id()) == DeliveryState.DELIVERED
                && b.state(m2.id()) == DeliveryState.DELIVERED);
        assertThat(c.messenger.history(id, null, 10)).hasSize(2);
    }

    @Test
    void leavingAndHandingOverTheAdminRole() throws Exception {
        String id = teamJoined();
        c.groups.leave(id);
        await().atMost(WAIT).until(() -> a.group(id).member(c.uid()).isEmpty() && b.group(id).member(c.uid()).isEmpty());
        assertThat(c.group(id).state()).isEqualTo(GroupState.LEFT);

        // The admin leaves: bob, the earliest joined member, becomes admin and can change the group.
        a.groups.leave(id);
        await().atMost(WAIT).until(() -> b.group(id).isAdmin(b.uid()) && b.group(id).member(a.uid()).isEmpty());
        assertThat(a.group(id).state()).isEqualTo(GroupState.LEFT);
        Group renamed = b.groups.rename(id, "Bob's team");
        assertThat(renamed.version()).isEqualTo(b.group(id).version()).isGreaterThan(4);
        assertThat(renamed.members()).extracting(GroupMember::uid).containsExactly(b.uid());
    }

    @Test
    void onlyMembersPostAndTheSenderIsTheAuthenticatedPeer() throws Exception {
        String id = teamJoined();
        try (GroupNode d = new GroupNode("dave", root).start()) {
            d.know(b);
            b.know(d);
            await().atMost(WAIT).until(() -> d.online(b));
            // Dave is not a member: his group message (bytes as docs/protocol.md M.2 gives them) is not stored.
            d.core.send(b.uid(), 16, groupMessage("00000000000a0000000000000000000a", id, "let me in"));
            d.messenger.send(b.uid(), "direct after");
            await().atMost(WAIT).until(() -> b.received.stream().anyMatch(m -> m.text().equals("direct after")));
            assertThat(b.groupTexts(id)).isEmpty();
            assertThat(b.messenger.history(id, null, 10)).isEmpty();
        }
        // Carol is a member: whatever her payload says, the message is hers.
        await().atMost(WAIT).until(() -> c.online(b));
        c.core.send(b.uid(), 16, groupMessage("00000000000b0000000000000000000b", id, "from carol"));
        await().atMost(WAIT).until(() -> b.groupTexts(id).contains("carol:from carol"));
        assertThat(b.messenger.message("00000000000b0000000000000000000b").orElseThrow().senderUid()).isEqualTo(c.uid());
    }

    private static byte[] groupMessage(String id, String groupId, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 16 + 1 + 16 + 4 + utf8.length).put((byte) 1)
                .put(HexFormat.of().parseHex(id)).put((byte) 0x02).put(HexFormat.of().parseHex("0" + groupId.substring(1)))
                .putInt(utf8.length).put(utf8).array();
    }
}
