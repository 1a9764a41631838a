package jarvis.account.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import jarvis.api.account.AccountException;
import org.junit.jupiter.api.Test;

/** The 1.x data files' parser on its own: the shapes 1.x wrote that the folder test does not cover. */
class LegacyDataTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aGroupMessageWithItsGroupOnlyInContactUidLandsInTheGroup() throws Exception {
        String json = "[" + Jarvis1Folder.message("g1", Jarvis1Folder.GROUP_ID, "to the group", false,
                "2025-03-16T09:00:00+00:00", false, false, null, Jarvis1Folder.BOB_UID) + "]";
        LegacyData data = LegacyData.parse(null, null, utf8(json));
        assertThat(data.messages).singleElement().satisfies(m -> {
            assertThat(m.conversationId()).isEqualTo(Jarvis1Folder.GROUP_ID);
            assertThat(m.senderUid()).isEqualTo(Jarvis1Folder.BOB_UID);
        });
        String noSender = json.replace("\"sender_uid\": \"" + Jarvis1Folder.BOB_UID + "\"", "\"sender_uid\": null");
        assertThatThrownBy(() -> LegacyData.parse(null, null, utf8(noSender))).isInstanceOf(AccountException.class)
                .hasMessageContaining("the sender of a received message must be a uid");
    }

    @Test
    void theSameMessageStoredTwiceIsKeptOnceAndIdsFollowTime() throws Exception {
        LegacyData data = LegacyData.parse(null, null, utf8(Jarvis1Folder.messagesJson()));
        assertThat(data.messages).hasSize(5);
        assertThat(data.messages.stream().map(LegacyData::messageId).distinct()).hasSize(5);
        for (int i = 1; i < data.messages.size(); i++) {
            LegacyData.Message a = data.messages.get(i - 1);
            LegacyData.Message b = data.messages.get(i);
            if (a.at() < b.at()) {
                assertThat(LegacyData.messageId(a)).isLessThan(LegacyData.messageId(b));
            }
        }
        assertThat(LegacyData.messageId(data.messages.get(0))).isEqualTo(LegacyData.messageId(
                LegacyData.parse(null, null, utf8(Jarvis1Folder.messagesJson())).messages.get(0)));
    }
}
