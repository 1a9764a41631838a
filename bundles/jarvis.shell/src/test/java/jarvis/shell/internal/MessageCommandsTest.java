package jarvis.shell.internal;

import static jarvis.shell.internal.ContactCommandsTest.BOB;
import static jarvis.shell.internal.ContactCommandsTest.BOB_UID;
import static jarvis.shell.internal.ContactCommandsTest.CAROL;
import static jarvis.shell.internal.ContactCommandsTest.CAROL_UID;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jarvis.api.DeliveryState;
import jarvis.api.Message;
import jarvis.api.contacts.ContactService;
import jarvis.api.messaging.MessageService;
import jarvis.api.messaging.MessagingException;
import org.junit.jupiter.api.Test;

class MessageCommandsTest {

    private static final String ME_UID = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final Instant T = Instant.parse("2025-03-14T09:26:53Z");

    private static Message in(String id, String from, String text, Instant at) {
        return new Message(id, from, from, text, at, false, DeliveryState.DELIVERED);
    }

    private static Message out(String id, String to, String text, Instant at, DeliveryState state) {
        return new Message(id, to, ME_UID, text, at, true, state);
    }

    @Test
    void historyIsOldestFirstWithSenderAndStateOfOurs() {
        List<Message> newestFirst = List.of(
                out("3", BOB_UID, "see you\nat 8", T.plusSeconds(120), DeliveryState.QUEUED),
                in("2", BOB_UID, "dinner?\u001b[31m", T.plusSeconds(60)),
                out("1", BOB_UID, "hi Bob", T, DeliveryState.READ));
        assertThat(MessageCommands.historyText(newestFirst, "Bob", ZoneOffset.UTC).lines()).containsExactly(
                "2025-03-14 09:26  me   hi Bob  [read]",
                "2025-03-14 09:27  Bob  dinner?\uFFFD[31m",
                "2025-03-14 09:28  me   see you",
                "                       at 8  [queued]");
    }

    @Test
    void searchShowsConversationAndSenderNewestFirst() {
        List<Message> found = List.of(
                in("2", CAROL_UID, "Lunch at noon", T.plusSeconds(3600)),
                out("1", BOB_UID, "lunch?", T, DeliveryState.FAILED));
        assertThat(MessageCommands.searchText(found, Map.of(BOB_UID, "Bob"), ZoneOffset.ofHours(2)).lines())
                .containsExactly(
                        "2025-03-14 12:26  " + CAROL_UID + "  " + CAROL_UID + "  Lunch at noon",
                        "2025-03-14 11:26  Bob                               me                                lunch?  [failed]");
    }

    @Test
    void unreadListsContactsWithUnreadMessagesAndTheTotal() {
        assertThat(MessageCommands.unreadText(List.of(BOB, CAROL), Map.of(BOB_UID, 3, CAROL_UID, 0), 5).lines())
                .containsExactly(
                        "CONTACT  UID                               UNREAD",
                        "Bob      " + BOB_UID + "  3",
                        "total: 5 unread");
        assertThat(MessageCommands.unreadText(List.of(BOB), Map.of(BOB_UID, 0), 0)).isEqualTo("no unread messages");
        assertThat(MessageCommands.unreadText(List.of(BOB), Map.of(), 2)).isEqualTo("total: 2 unread");
    }

    @Test
    void commandsSayWhenTheIdentityIsLocked() {
        MessageCommands commands = new MessageCommands();
        assertThat(List.of(commands.send("bob", "hi"), commands.history(20, "bob"), commands.unread(),
                commands.read("bob"), commands.search("hi"))).containsOnly(MessageCommands.LOCKED);
    }

    @Test
    void argumentsAreCheckedBeforeTheServices() {
        MessageCommands commands = new MessageCommands();
        assertThat(commands.send("bob")).isEqualTo("usage: jarvis:send CONTACT TEXT...");
        assertThat(commands.search()).isEqualTo("usage: jarvis:search TEXT...");
        assertThat(commands.history(0, "bob")).isEqualTo("the limit is 1 to 500");
        assertThat(commands.history(501, "bob")).isEqualTo("the limit is 1 to 500");
    }

    @Test
    void sendJoinsTheWordsAndErrorsComeBackAsTheirMessage() {
        List<String> sent = new ArrayList<>();
        MessageCommands commands = new MessageCommands();
        commands.contacts = Fakes.service(ContactService.class, (proxy, method, args) ->
                method.getName().equals("find") && args[0].equals("Bob") ? Optional.of(BOB) : Optional.empty());
        commands.messages = Fakes.service(MessageService.class, (proxy, method, args) -> {
            switch (method.getName()) {
                case "send" -> {
                    sent.add(args[0] + ":" + args[1]);
                    return out("0193b0c0ffee00000000000000000000", (String) args[0], (String) args[1], T,
                            DeliveryState.QUEUED);
                }
                case "markRead" -> throw new MessagingException("the store is closed");
                default -> throw new AssertionError("unexpected call " + method.getName());
            }
        });
        assertThat(commands.send("Bob", "see", "you", "at 8")).isEqualTo("message to Bob queued (id 0193b0c0ffee00000000000000000000)");
        assertThat(sent).containsExactly(BOB_UID + ":see you at 8");
        assertThat(commands.read("Bob")).isEqualTo("the store is closed");
        assertThat(commands.send("Dave", "hi")).startsWith("no contact 'Dave'");
        assertThat(sent).hasSize(1);
    }

    @Test
    void historyAsksForTheNewestPageAndSaysWhenThereMayBeMore() {
        List<Object[]> calls = new ArrayList<>();
        MessageCommands commands = new MessageCommands();
        commands.zone = ZoneOffset.UTC;
        commands.contacts = Fakes.service(ContactService.class, (proxy, method, args) -> Optional.of(BOB));
        commands.messages = Fakes.service(MessageService.class, (proxy, method, args) -> {
            calls.add(args);
            return List.of(in("2", BOB_UID, "two", T.plusSeconds(60)), in("1", BOB_UID, "one", T));
        });
        assertThat(commands.history(2, "Bob").lines()).containsExactly(
                "2025-03-14 09:26  Bob  one",
                "2025-03-14 09:27  Bob  two",
                "(the last 2 messages; --limit N shows more, up to 500)");
        assertThat(commands.history(5, "Bob")).doesNotContain("--limit");
        assertThat(calls.get(0)).containsExactly(BOB_UID, null, 2);
    }
}
