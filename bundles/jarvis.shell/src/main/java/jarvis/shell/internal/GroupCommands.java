package jarvis.shell.internal;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jarvis.api.Contact;
import jarvis.api.Ids;
import jarvis.api.Message;
import jarvis.api.contacts.ContactException;
import jarvis.api.contacts.ContactService;
import jarvis.api.groups.Group;
import jarvis.api.groups.GroupException;
import jarvis.api.groups.GroupMember;
import jarvis.api.groups.GroupService;
import jarvis.api.messaging.MessageService;
import jarvis.api.messaging.MessagingException;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Groups on the console: {@code jarvis:groups} lists them; {@code jarvis:group ACTION GROUP ...} does the rest
 * (one function with sub-commands, because Gogo names a function after its method and {@code group-create}
 * cannot be one). GROUP is a group id or a name only one group has; members are contact uids or names.
 * Failures are answered with their message, never thrown.
 */
@Component(service = GroupCommands.class, property = {
        "osgi.command.scope=jarvis",
        "osgi.command.function=groups",
        "osgi.command.function=group"})
public final class GroupCommands {

    static final String USAGE = String.join("\n",
            "usage: jarvis:group ACTION ...",
            "  create NAME [MEMBER...]   create a group (you are its admin) and invite contacts",
            "  members GROUP             show the members and where you stand",
            "  invite GROUP MEMBER...    (admin) invite more contacts",
            "  remove GROUP MEMBER       (admin) remove a member",
            "  rename GROUP NAME...      (admin) rename the group",
            "  accept GROUP | decline GROUP | leave GROUP",
            "  send GROUP TEXT...        send a message to every member",
            "  history GROUP             the latest " + MessageCommands.DEFAULT_LIMIT + " messages, oldest first",
            "  read GROUP                mark the group's messages read",
            "  delete GROUP              leave the group and forget it and its messages here",
            "GROUP is a group id or a name only one group has; MEMBER a contact uid or name.");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GroupService groups;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile MessageService messages;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ContactService contacts;

    ZoneId zone = ZoneId.systemDefault();

    @Descriptor("lists the groups: name, id, where you stand, members, unread messages")
    public String groups() {
        return run((g, m, c) -> {
            List<Group> list = g.groups();
            if (list.isEmpty()) {
                return "no groups yet (jarvis:group create NAME MEMBER... makes one)";
            }
            List<String[]> rows = new ArrayList<>();
            for (Group group : list) {
                rows.add(new String[] {ConsoleText.printable(group.name()), group.id(), state(group),
                        Integer.toString(group.members().size()), Integer.toString(m.unreadCount(group.id()))});
            }
            return Table.render(List.of("GROUP", "ID", "STATE", "MEMBERS", "UNREAD"), rows);
        });
    }

    @Descriptor("group actions: create, members, invite, remove, rename, accept, decline, leave, send, history, read, delete")
    public String group(@Descriptor("the action and its arguments (jarvis:group help lists them)") String... args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            return USAGE;
        }
        String action = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (action.equals("create")) {
            if (rest.isEmpty()) {
                return "usage: jarvis:group create NAME [MEMBER...]";
            }
            return run((g, m, c) -> {
                Group created = g.create(rest.get(0), members(c, rest.subList(1, rest.size())));
                return "created " + ConsoleText.printable(created.name()) + " (" + created.id() + "); invited "
                        + (created.members().size() - 1);
            });
        }
        if (rest.isEmpty()) {
            return USAGE;
        }
        List<String> more = rest.subList(1, rest.size());
        return run((g, m, c) -> {
            Group group = find(g, rest.get(0));
            if (group == null) {
                return "no group " + ConsoleText.printable(rest.get(0)) + " (jarvis:groups lists them)";
            }
            String id = group.id();
            return switch (action) {
                case "members" -> members(group, c);
                case "invite" -> more.isEmpty() ? "usage: jarvis:group invite GROUP MEMBER..."
                        : summary(g.invite(id, members(c, more)));
                case "remove" -> more.size() != 1 ? "usage: jarvis:group remove GROUP MEMBER"
                        : summary(g.removeMember(id, members(c, more).iterator().next()));
                case "rename" -> more.isEmpty() ? "usage: jarvis:group rename GROUP NAME..."
                        : summary(g.rename(id, String.join(" ", more)));
                case "accept" -> summary(g.accept(id));
                case "decline" -> summary(g.decline(id));
                case "leave" -> summary(g.leave(id));
                case "send" -> {
                    if (more.isEmpty()) {
                        yield "usage: jarvis:group send GROUP TEXT...";
                    }
                    Message sent = m.sendToGroup(id, String.join(" ", more));
                    yield "message to " + ConsoleText.printable(group.name()) + " " + sent.state().name().toLowerCase()
                            + " (id " + sent.id() + ")";
                }
                case "history" -> history(group, m.history(id, null, MessageCommands.DEFAULT_LIMIT), c);
                case "read" -> m.markRead(id) + " messages in " + ConsoleText.printable(group.name()) + " marked read";
                case "delete" -> {
                    g.delete(id);
                    int n = m.deleteConversation(id);
                    yield "deleted " + ConsoleText.printable(group.name()) + " and its " + n + " messages here";
                }
                default -> "unknown action " + ConsoleText.printable(action) + "\n" + USAGE;
            };
        });
    }

    private static Group find(GroupService g, String idOrName) throws GroupException {
        if (Ids.isGroupId(idOrName)) {
            return g.group(idOrName).orElse(null);
        }
        List<Group> named = g.groups().stream().filter(x -> x.name().equals(idOrName)).toList();
        return named.size() == 1 ? named.get(0) : null;
    }

    private static Set<String> members(ContactService c, List<String> names) throws ContactException, GroupException {
        Set<String> uids = new LinkedHashSet<>();
        for (String n : names) {
            uids.add(c.find(n).map(Contact::uid).orElseThrow(() -> new GroupException(ContactCommands.unknown(n))));
        }
        return uids;
    }

    private static String summary(Group g) {
        return ConsoleText.printable(g.name()) + " (" + g.id() + "): " + state(g) + ", version " + g.version() + ", "
                + g.members().size() + " members";
    }

    private static String state(Group g) {
        return g.state().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String members(Group g, ContactService c) {
        List<String[]> rows = new ArrayList<>();
        for (GroupMember m : g.members()) {
            rows.add(new String[] {ConsoleText.printable(m.username()), m.uid(), m.admin() ? "admin" : "member",
                    m.joined() ? "joined" : "invited"});
        }
        return summary(g) + "\n" + Table.render(List.of("MEMBER", "UID", "ROLE", "STATUS"), rows);
    }

    private String history(Group g, List<Message> newestFirst, ContactService c) throws ContactException {
        if (newestFirst.isEmpty()) {
            return "no messages in " + ConsoleText.printable(g.name()) + " yet";
        }
        Map<String, String> names = MessageCommands.names(c.list());
        g.members().forEach(m -> names.putIfAbsent(m.uid(), m.username()));
        List<Message> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        List<String[]> prefixes = new ArrayList<>();
        for (Message m : oldestFirst) {
            prefixes.add(new String[] {ConsoleText.time(m.timestamp(), zone), m.outgoing() ? MessageCommands.ME
                    : ConsoleText.printable(names.getOrDefault(m.senderUid(), m.senderUid()))});
        }
        return MessageCommands.render(prefixes, oldestFirst);
    }

    @FunctionalInterface
    private interface Action {
        String run(GroupService groups, MessageService messages, ContactService contacts)
                throws GroupException, MessagingException, ContactException;
    }

    private String run(Action action) {
        GroupService g = groups;
        MessageService m = messages;
        ContactService c = contacts;
        if (g == null || m == null || c == null) {
            return MessageCommands.LOCKED;
        }
        try {
            return action.run(g, m, c);
        } catch (GroupException | MessagingException | ContactException e) {
            return ConsoleText.message(e);
        }
    }
}
