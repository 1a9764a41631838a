package jarvis.shell.internal;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jarvis.api.Contact;
import jarvis.api.Message;
import jarvis.api.contacts.ContactException;
import jarvis.api.contacts.ContactService;
import jarvis.api.messaging.MessageService;
import jarvis.api.messaging.MessagingException;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Messages on the console: {@code jarvis:send CONTACT TEXT...}, {@code jarvis:history [--limit N] CONTACT},
 * {@code jarvis:unread}, {@code jarvis:read CONTACT}, {@code jarvis:search TEXT...}. CONTACT is a uid or a
 * name only one contact has.
 *
 * <p>The message store and the contact list exist only while the identity is unlocked, so both services are
 * optional: the commands stay available and say so. {@link MessagingException} and {@link ContactException}
 * are answered with their message (written for the user), not thrown (Gogo would print a stack trace).
 * Message texts and names come from peers and are printed through {@link ConsoleText#printable}, line by line.
 */
@Component(service = MessageCommands.class, property = {
        "osgi.command.scope=jarvis",
        "osgi.command.function=send",
        "osgi.command.function=history",
        "osgi.command.function=unread",
        "osgi.command.function=read",
        "osgi.command.function=search"})
public final class MessageCommands {

    static final String LOCKED = PeerCommands.LOCKED;

    /** Messages {@code jarvis:history} shows without {@code --limit}. */
    static final int DEFAULT_LIMIT = 20;

    /** Matches {@code jarvis:search} shows at most. */
    static final int SEARCH_LIMIT = 100;

    /** What the console calls the user as a sender. */
    static final String ME = "me";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile MessageService messages;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ContactService contacts;

    /** Zone the console shows times in. */
    ZoneId zone = ZoneId.systemDefault();

    @Descriptor("sends a message to a contact; it is queued until the contact is reachable")
    public String send(@Descriptor("contact uid or name") String contact,
            @Descriptor("the text; the words are joined by single spaces (quote it to keep spacing)")
            String... words) {
        if (words.length == 0) {
            return "usage: jarvis:send CONTACT TEXT...";
        }
        String text = String.join(" ", words);
        return run((store, book) -> withContact(book, contact, c -> {
            Message sent = store.send(c.uid(), text);
            return "message to " + ConsoleText.printable(c.username()) + " " + state(sent) + " (id " + sent.id() + ")";
        }));
    }

    @Descriptor("shows the latest messages with a contact, oldest first")
    public String history(
            @Descriptor("how many messages (1 to 500, default 20)")
            @Parameter(names = {"-n", "--limit"}, absentValue = "20") int limit,
            @Descriptor("contact uid or name") String contact) {
        if (limit < 1 || limit > MessageService.MAX_PAGE) {
            return "the limit is 1 to " + MessageService.MAX_PAGE;
        }
        return run((store, book) -> withContact(book, contact, c -> {
            List<Message> page = store.history(c.uid(), null, limit);
            if (page.isEmpty()) {
                return "no messages with " + ConsoleText.printable(c.username()) + " yet";
            }
            String text = historyText(page, c.username(), zone);
            return page.size() == limit
                    ? text + "\n(the last " + limit + " messages; --limit N shows more, up to "
                            + MessageService.MAX_PAGE + ")"
                    : text;
        }));
    }

    @Descriptor("counts the unread messages per contact and in total")
    public String unread() {
        return run((store, book) -> {
            List<Contact> list = book.list();
            Map<String, Integer> counts = new HashMap<>();
            for (Contact c : list) {
                counts.put(c.uid(), store.unreadCount(c.uid()));
            }
            return unreadText(list, counts, store.totalUnread());
        });
    }

    @Descriptor("marks the messages of a contact read (and tells the contact, unless read receipts are off)")
    public String read(@Descriptor("contact uid or name") String contact) {
        return run((store, book) -> withContact(book, contact, c -> {
            int changed = store.markRead(c.uid());
            return changed + (changed == 1 ? " message" : " messages") + " from "
                    + ConsoleText.printable(c.username()) + " marked read";
        }));
    }

    @Descriptor("finds the messages containing a text (ignoring case), newest first; reads the whole store")
    public String search(@Descriptor("the text; the words are joined by single spaces") String... words) {
        if (words.length == 0) {
            return "usage: jarvis:search TEXT...";
        }
        String text = String.join(" ", words);
        return run((store, book) -> {
            List<Message> found = store.search(text, SEARCH_LIMIT);
            if (found.isEmpty()) {
                return "no message contains '" + ConsoleText.printable(text) + "'";
            }
            String lines = searchText(found, names(book.list()), zone);
            return found.size() == SEARCH_LIMIT
                    ? lines + "\n(the newest " + SEARCH_LIMIT + " matches; narrow the text to see older ones)"
                    : lines;
        });
    }

    /** One command's work on the store and the contact list. */
    @FunctionalInterface
    interface Action {
        String run(MessageService store, ContactService book) throws MessagingException, ContactException;
    }

    /** One command's work on one contact. */
    @FunctionalInterface
    interface ContactAction {
        String run(Contact contact) throws MessagingException, ContactException;
    }

    /** Runs {@code action} if both services are there; a failure is answered with its message. */
    String run(Action action) {
        MessageService store = messages;
        ContactService book = contacts;
        if (store == null || book == null) {
            return LOCKED;
        }
        try {
            return action.run(store, book);
        } catch (MessagingException | ContactException e) {
            return ConsoleText.message(e);
        }
    }

    private static String withContact(ContactService book, String contact, ContactAction action)
            throws MessagingException, ContactException {
        Optional<Contact> found = book.find(contact);
        if (found.isEmpty()) {
            return ContactCommands.unknown(contact);
        }
        return action.run(found.get());
    }

    static Map<String, String> names(List<Contact> list) {
        Map<String, String> names = new HashMap<>();
        for (Contact c : list) {
            names.put(c.uid(), c.username());
        }
        return names;
    }

    /**
     * A conversation page as {@code jarvis:history} prints it: oldest first (the service gives newest
     * first), one message per line: time, sender ({@value #ME} or the contact's name), text and, for ours,
     * the delivery state. Lines of a multi-line text are indented under the first.
     */
    static String historyText(List<Message> newestFirst, String contactName, ZoneId zone) {
        List<Message> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        List<String[]> prefixes = new ArrayList<>();
        for (Message m : oldestFirst) {
            prefixes.add(new String[] {ConsoleText.time(m.timestamp(), zone),
                    m.outgoing() ? ME : ConsoleText.printable(contactName)});
        }
        return render(prefixes, oldestFirst);
    }

    /**
     * Search results as {@code jarvis:search} prints them, in the service's order (newest first): time,
     * conversation (the contact's name, or its uid if it is no longer a contact), sender, text, state.
     */
    static String searchText(List<Message> newestFirst, Map<String, String> names, ZoneId zone) {
        List<String[]> prefixes = new ArrayList<>();
        for (Message m : newestFirst) {
            String conversation = ConsoleText.printable(names.getOrDefault(m.conversationId(), m.conversationId()));
            String sender = m.outgoing() ? ME
                    : ConsoleText.printable(names.getOrDefault(m.senderUid(), m.senderUid()));
            prefixes.add(new String[] {ConsoleText.time(m.timestamp(), zone), conversation, sender});
        }
        return render(prefixes, newestFirst);
    }

    /** The answer of {@code jarvis:unread}: contacts with unread messages, by name, then the total. */
    static String unreadText(List<Contact> contacts, Map<String, Integer> counts, int total) {
        if (total == 0) {
            return "no unread messages";
        }
        List<String[]> rows = new ArrayList<>();
        for (Contact c : contacts) {
            int n = counts.getOrDefault(c.uid(), 0);
            if (n > 0) {
                rows.add(new String[] {ConsoleText.printable(c.username()), c.uid(), Integer.toString(n)});
            }
        }
        String totalLine = "total: " + total + " unread";
        return rows.isEmpty() ? totalLine
                : Table.render(List.of("CONTACT", "UID", "UNREAD"), rows) + "\n" + totalLine;
    }

    /** Lines of messages after their prefix columns, each column padded to its widest cell. */
    static String render(List<String[]> prefixes, List<Message> messages) {
        int columns = prefixes.isEmpty() ? 0 : prefixes.get(0).length;
        int[] width = new int[columns];
        for (String[] p : prefixes) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], p[i].length());
            }
        }
        int indent = 0;
        for (int w : width) {
            indent += w + 2;
        }
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < messages.size(); k++) {
            Message m = messages.get(k);
            StringBuilder line = new StringBuilder();
            String[] p = prefixes.get(k);
            for (int i = 0; i < columns; i++) {
                line.append(p[i]).append(" ".repeat(width[i] - p[i].length() + 2));
            }
            String[] textLines = m.text().split("\\R", -1);
            for (int i = 0; i < textLines.length; i++) {
                if (i > 0) {
                    line.append('\n').append(" ".repeat(indent));
                }
                line.append(ConsoleText.printable(textLines[i]));
            }
            if (m.outgoing()) {
                line.append("  [").append(state(m)).append(']');
            }
            out.append(line).append('\n');
        }
        return out.toString().stripTrailing();
    }

    private static String state(Message m) {
        return m.state().name().toLowerCase(java.util.Locale.ROOT);
    }
}
