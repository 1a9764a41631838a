package jarvis.ipc.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jarvis.api.Contact;
import jarvis.api.Message;
import jarvis.api.contacts.ContactException;
import jarvis.api.messaging.MessageService;
import jarvis.api.messaging.MessagingException;

/**
 * One-to-one messages: the 1.x commands ({@code send_message}, {@code get_messages},
 * {@code mark_messages_read}, {@code get_unread_count}, {@code get_total_unread_count}) and ours
 * (paging, single message state, search, delete, typing). A contact may be named by uid or name.
 */
final class MessageCommands {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 500;

    private final DaemonServices services;

    MessageCommands(DaemonServices services) {
        this.services = services;
    }

    void register(CommandTable table) {
        table.add("send_message", false, this::send)
                .add("get_messages", false, this::history)
                .add("get_message", false, this::message)
                .add("mark_messages_read", false, this::markRead)
                .add("get_unread_count", false, this::unread)
                .add("get_total_unread_count", false, this::totalUnread)
                .add("search_messages", false, this::search)
                .add("delete_message", false, this::delete)
                .add("delete_conversation", false, this::deleteConversation)
                .add("typing", false, this::typing);
    }

    private ObjectNode send(Request r) throws CommandFailure {
        MessageService messages = services.messages();
        String uid = contactUid(r.text("uid"));
        String text = r.text("message");
        Message sent = call(() -> messages.send(uid, text));
        return Views.object().put("message_id", sent.id()).put("state", sent.state().name())
                .put("timestamp", sent.timestamp().toString());
    }

    /** A page of a conversation, oldest first like 1.x; {@code before} pages further back. */
    private ObjectNode history(Request r) throws CommandFailure {
        MessageService messages = services.messages();
        String uid = contactUid(r.text("uid"));
        String before = r.optionalText("before").orElse(null);
        int limit = r.optionalInt("limit", 1, MAX_PAGE).orElse(DEFAULT_PAGE);
        List<Message> page = new ArrayList<>(call(() -> messages.history(uid, before, limit)));
        Collections.reverse(page);
        ObjectNode result = Views.object();
        ArrayNode list = result.putArray("messages");
        page.forEach(m -> list.add(Views.historyEntry(m)));
        result.put("more", page.size() == limit);
        return result;
    }

    private ObjectNode message(Request r) throws CommandFailure {
        MessageService messages = services.messages();
        String id = r.text("message_id");
        Message m = call(() -> messages.message(id)).orElseThrow(() -> new CommandFailure("Message not found"));
        ObjectNode result = Views.object();
        result.set("message", Views.historyEntry(m));
        return result;
    }

    private ObjectNode markRead(Request r) throws CommandFailure {
        MessageService messages = services.messages();
        String uid = contactUid(r.text("uid"));
        return Views.object().put("marked", call(() -> messages.markRead(uid)));
    }

    private ObjectNode unread(Request r) throws CommandFailure {
        MessageService messages = services.messages();
        String uid = contactUid(r.text("uid"));
        return Views.object().put("count", call(() -> messages.unreadCount(uid)));
    }

    private ObjectNode totalUnread(Request r) throws CommandFailure {
        MessageService messages = services.messages();
        return Views.object().put("count", call(messages::totalUnread));
    }

    private ObjectNode search(Request r) throws CommandFailure {
        MessageService messages = services.messages();
        String text = r.text("text");
        int limit = r.optionalInt("limit", 1, MAX_PAGE).orElse(DEFAULT_PAGE);
        ObjectNode result = Views.object();
        ArrayNode list = result.putArray("messages");
        call(() -> messages.search(text, limit)).forEach(m -> list.add(Views.historyEntry(m)));
        return result;
    }

    private ObjectNode delete(Request r) throws CommandFailure {
        MessageService messages = services.messages();
        String id = r.text("message_id");
        if (!call(() -> messages.delete(id))) {
            throw new CommandFailure("Message not found");
        }
        return Views.object();
    }

    private ObjectNode deleteConversation(Request r) throws CommandFailure {
        MessageService messages = services.messages();
        String uid = contactUid(r.text("uid"));
        return Views.object().put("deleted", call(() -> messages.deleteConversation(uid)));
    }

    private ObjectNode typing(Request r) throws CommandFailure {
        MessageService messages = services.messages();
        String uid = contactUid(r.text("uid"));
        return Views.object().put("delivered", call(() -> messages.typing(uid)));
    }

    /** A contact named by uid or by a name only one contact has. */
    private String contactUid(String uidOrName) throws CommandFailure {
        try {
            return services.contacts().find(uidOrName).map(Contact::uid)
                    .orElseThrow(() -> new CommandFailure("Contact not found"));
        } catch (ContactException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    @FunctionalInterface
    private interface MessagingCall<T> {
        T run() throws MessagingException;
    }

    private static <T> T call(MessagingCall<T> call) throws CommandFailure {
        try {
            return call.run();
        } catch (MessagingException e) {
            throw new CommandFailure(e.getMessage());
        }
    }
}
