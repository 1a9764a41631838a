package jarvis.ipc.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jarvis.api.Contact;
import jarvis.api.Message;
import jarvis.api.contacts.ContactException;
import jarvis.api.groups.Group;
import jarvis.api.groups.GroupException;
import jarvis.api.groups.GroupService;
import jarvis.api.messaging.MessageService;
import jarvis.api.messaging.MessagingException;

/**
 * Groups: the 1.x commands ({@code create_group}, {@code get_groups}, {@code get_group}, {@code delete_group},
 * {@code send_group_message}, {@code get_group_messages}, {@code mark_group_messages_read},
 * {@code get_group_unread_count}) and the membership commands 1.x never had (invite, remove, rename, accept,
 * decline, leave). Members are named by contact uid or by a name only one contact has.
 */
final class GroupCommands {

    private final DaemonServices services;

    GroupCommands(DaemonServices services) {
        this.services = services;
    }

    void register(CommandTable table) {
        table.add("get_groups", false, r -> list())
                .add("get_group", false, r -> withGroup(find(r)))
                .add("create_group", false, this::create)
                .add("invite_to_group", false, r -> withGroup(call(() -> groups().invite(id(r), members(r)))))
                .add("remove_group_member", false,
                        r -> withGroup(call(() -> groups().removeMember(id(r), contactUid(r.text("uid"))))))
                .add("rename_group", false, r -> withGroup(call(() -> groups().rename(id(r), r.text("name")))))
                .add("accept_group", false, r -> withGroup(call(() -> groups().accept(id(r)))))
                .add("decline_group", false, r -> withGroup(call(() -> groups().decline(id(r)))))
                .add("leave_group", false, r -> withGroup(call(() -> groups().leave(id(r)))))
                .add("delete_group", false, this::delete)
                .add("send_group_message", false, this::send)
                .add("get_group_messages", false, this::history)
                .add("mark_group_messages_read", false,
                        r -> Views.object().put("marked", messaging(() -> messages().markRead(id(r)))))
                .add("get_group_unread_count", false,
                        r -> Views.object().put("count", messaging(() -> messages().unreadCount(id(r)))));
    }

    private ObjectNode list() throws CommandFailure {
        String self = selfUid();
        ObjectNode result = Views.object();
        ArrayNode list = result.putArray("groups");
        for (Group g : call(() -> groups().groups())) {
            list.add(Views.group(g, self));
        }
        return result;
    }

    private ObjectNode create(Request r) throws CommandFailure {
        String name = r.text("name");
        Set<String> members = members(r);
        Group g = call(() -> groups().create(name, members));
        ObjectNode result = withGroup(g);
        return result.put("group_id", g.id());
    }

    /** Leaves (or declines) the group, forgets it and deletes its messages here. */
    private ObjectNode delete(Request r) throws CommandFailure {
        String id = id(r);
        if (!call(() -> groups().delete(id))) {
            throw new CommandFailure("Group not found");
        }
        int deleted = messaging(() -> messages().deleteConversation(id));
        return Views.object().put("deleted_messages", deleted);
    }

    private ObjectNode send(Request r) throws CommandFailure {
        String id = id(r);
        String text = r.text("message");
        Message sent = messaging(() -> messages().sendToGroup(id, text));
        ObjectNode result = Views.object().put("message_id", sent.id()).put("state", sent.state().name())
                .put("timestamp", sent.timestamp().toString());
        result.set("message", Views.historyEntry(sent));
        return result;
    }

    /** A page of the group's conversation, oldest first like 1.x; {@code before} pages further back. */
    private ObjectNode history(Request r) throws CommandFailure {
        String id = id(r);
        String before = r.optionalText("before").orElse(null);
        int limit = r.optionalInt("limit", 1, MessageCommands.MAX_PAGE).orElse(MessageCommands.DEFAULT_PAGE);
        List<Message> page = new ArrayList<>(messaging(() -> messages().history(id, before, limit)));
        Collections.reverse(page);
        ObjectNode result = Views.object();
        ArrayNode list = result.putArray("messages");
        page.forEach(m -> list.add(Views.historyEntry(m).put("group_id", id)));
        return result.put("more", page.size() == limit);
    }

    private ObjectNode withGroup(Group g) throws CommandFailure {
        ObjectNode result = Views.object();
        result.set("group", Views.group(g, selfUid()));
        return result;
    }

    private Group find(Request r) throws CommandFailure {
        String id = id(r);
        return call(() -> groups().group(id)).orElseThrow(() -> new CommandFailure("Group not found"));
    }

    private static String id(Request r) throws CommandFailure {
        return r.text("group_id");
    }

    /** {@code member_uids}: a list of contact uids or names (may be empty or absent). */
    private Set<String> members(Request r) throws CommandFailure {
        JsonNode node = r.params().get("member_uids");
        Set<String> uids = new LinkedHashSet<>();
        if (node == null || node.isNull()) {
            return uids;
        }
        if (!node.isArray() || node.size() > GroupService.MAX_MEMBERS) {
            throw CommandFailure.invalid("member_uids", "must be a list of at most " + GroupService.MAX_MEMBERS
                    + " contact uids or names");
        }
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw CommandFailure.invalid("member_uids", "must be a list of strings");
            }
            uids.add(contactUid(n.textValue()));
        }
        return uids;
    }

    private String contactUid(String uidOrName) throws CommandFailure {
        try {
            return services.contacts().find(uidOrName).map(Contact::uid)
                    .orElseThrow(() -> new CommandFailure("Contact not found: " + uidOrName));
        } catch (ContactException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    private String selfUid() throws CommandFailure {
        return services.selfUid().orElseThrow(() -> new CommandFailure("the identity is locked"));
    }

    private GroupService groups() throws CommandFailure {
        return services.groups();
    }

    private MessageService messages() throws CommandFailure {
        return services.messages();
    }

    @FunctionalInterface
    private interface GroupCall<T> {
        T run() throws GroupException, CommandFailure;
    }

    private static <T> T call(GroupCall<T> call) throws CommandFailure {
        try {
            return call.run();
        } catch (GroupException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    @FunctionalInterface
    private interface MessagingCall<T> {
        T run() throws MessagingException, CommandFailure;
    }

    private static <T> T messaging(MessagingCall<T> call) throws CommandFailure {
        try {
            return call.run();
        } catch (MessagingException e) {
            throw new CommandFailure(e.getMessage());
        }
    }
}
