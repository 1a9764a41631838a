package jarvis.tui.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.BorderLayout;
import com.googlecode.lanterna.gui2.Borders;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;

/**
 * The main screen: banner; contacts and groups on the left with their dots and unread badges and the
 * status line under them; the conversation on the right with the input line below it; the keys at the
 * bottom. The input line always has the focus; the screen's keys are in {@link KeyMap}.
 */
final class MainScreen extends BasicWindow {

    static final int PAGE = 100;
    /** A typing notice lasts this long unless renewed (peers send one every few seconds while typing). */
    static final Duration TYPING_SHOWN = Duration.ofSeconds(5);
    /** We tell a contact we type at most this often. */
    static final Duration TYPING_SENT = Duration.ofSeconds(3);

    private final App app;
    private final Roster roster;
    private final Banner banner = new Banner();
    private final Label identityLine = new TextLabel("");
    private final ConversationList list = new ConversationList();
    private final StatusLine status = new StatusLine();
    private final Label chatHeader = new TextLabel("");
    private final ChatView chat;
    private final MessageInput input = new MessageInput();
    private final Runnable tick = this::tick;
    private String ownName = "";
    private Instant typingUntil;
    private Instant typingSent = Instant.EPOCH;
    private boolean loadingOlder;

    MainScreen(App app) {
        this.app = app;
        this.roster = app.roster();
        this.chat = new ChatView(app::now, app.options().zone());
        setHints(List.of(Hint.FULL_SCREEN, Hint.NO_DECORATIONS));

        Panel left = new Panel(new BorderLayout());
        left.addComponent(list, BorderLayout.Location.CENTER);
        left.addComponent(status, BorderLayout.Location.BOTTOM);

        Panel right = new Panel(new BorderLayout());
        chatHeader.addStyle(SGR.BOLD);
        right.addComponent(chatHeader, BorderLayout.Location.TOP);
        right.addComponent(chat, BorderLayout.Location.CENTER);
        right.addComponent(input, BorderLayout.Location.BOTTOM);

        Panel top = new Panel(new LinearLayout(Direction.VERTICAL));
        top.addComponent(banner, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill));
        identityLine.setForegroundColor(Palette.GREY);
        top.addComponent(identityLine);

        Label keys = new TextLabel("^N Add contact  ^G Group  ^S Settings  Tab Info  ^D Delete  ^L Lock  ^Q Quit  F1 Help");
        keys.setForegroundColor(Palette.GREY);

        Panel root = new Panel(new BorderLayout());
        root.addComponent(top, BorderLayout.Location.TOP);
        root.addComponent(left.withBorder(Borders.singleLine("Contacts & Groups")), BorderLayout.Location.LEFT);
        root.addComponent(right.withBorder(Borders.singleLine()), BorderLayout.Location.CENTER);
        root.addComponent(keys, BorderLayout.Location.BOTTOM);
        setComponent(root);

        chat.setNames(roster::senderName);
        chat.onTopReached(this::loadOlder);
        input.onEdit(this::typed);
        input.takeFocus();
        addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window window, KeyStroke key, AtomicBoolean deliver) {
                KeyMap.mainScreen(key, input.isEmpty()).ifPresent(action -> {
                    deliver.set(false);
                    act(action);
                });
            }
        });
        app.onTick(tick);
        refresh();
    }

    @Override
    public void close() {
        app.removeTick(tick);
        super.close();
    }

    // --- loading ---

    /** Everything afresh from the daemon: after unlock, and after the daemon came back. */
    void reload() {
        Daemon d = app.daemon();
        app.after(d.identity(), id -> {
            roster.setOwnUid(id.path("uid").asText());
            ownName = SafeText.line(id.path("username").asText());
            identityLine.setText("  " + ownName + "  ·  " + Fingerprints.grouped(id.path("fingerprint").asText()));
        }, e -> { });
        app.after(d.contacts(), contacts -> {
            roster.replaceContacts(contacts);
            refresh();
            for (Contact c : contacts) {
                app.after(d.unreadCount(c.uid()), n -> {
                    roster.setUnread(c.uid(), c.uid().equals(list.selected()) ? 0 : n);
                    refresh();
                }, e -> { });
            }
            if (list.selected() == null && !contacts.isEmpty()) {
                select(roster.entries().get(0).id());
            } else if (list.selected() != null) {
                select(list.selected());
            }
        }, e -> { });
        app.after(d.connectionStates(), states -> {
            roster.replaceStates(states);
            refresh();
        }, e -> { });
        reloadGroups();
    }

    void reloadGroups() {
        Groups g = app.groups();
        app.after(g.list(), groups -> {
            app.setGroupsAvailable(true);
            roster.replaceGroups(groups);
            refresh();
            for (Group group : groups) {
                if (group.joined()) {
                    app.after(g.unreadCount(group.groupId()), n -> {
                        roster.setUnread(group.groupId(), group.groupId().equals(list.selected()) ? 0 : n);
                        refresh();
                    }, e -> { });
                }
            }
        }, e -> {
            if (Daemon.unavailable(e)) {
                app.setGroupsAvailable(false);
            }
        });
    }

    /** The left panel and status line from the roster. */
    void refresh() {
        list.setEntries(roster.entries());
        status.show(roster.summary());
        String selected = list.selected();
        if (selected != null && !roster.has(selected)) {
            list.select(null);
            chat.clear("Select a contact or group to start chatting");
            chatHeader.setText("");
        } else if (selected != null) {
            chatHeader.setText(title(selected));
        }
    }

    private String title(String id) {
        Group g = roster.group(id);
        if (g != null) {
            return "Group " + g.name() + " (" + g.members().size() + " members" + (g.invited() ? ", invited: Tab to answer" : "") + ")";
        }
        Contact c = roster.contact(id);
        if (c == null) {
            return "";
        }
        String state = roster.daemonAway() ? "daemon away" : roster.state(id).toLowerCase(java.util.Locale.ROOT);
        return "Chat with " + c.username() + " (" + state + (c.verified() ? ", verified" : ", not verified")
                + (c.keyChanged() ? ", KEY CHANGED" : "") + (c.legacy() ? ", " + Contact.LEGACY_LABEL : "") + ")";
    }

    /** Shows a conversation: loads its last page, marks it read, and dials the contact if it is not online. */
    void select(String id) {
        if (id == null) {
            return;
        }
        boolean same = id.equals(list.selected());
        list.select(id);
        chatHeader.setText(title(id));
        if (!same) {
            chat.clear("Loading…");
            input.clear();
        }
        typingUntil = null;
        chat.setTyping(null);
        Group g = roster.group(id);
        if (g != null) {
            if (g.invited()) {
                chat.clear("You are invited to this group: Tab (Info) to accept or decline.");
                return;
            }
            app.after(app.groups().messages(id, null, PAGE), page -> shown(id, page), e -> chat.clear(Daemon.reason(e)));
        } else {
            app.after(app.daemon().messages(id, null, PAGE), page -> shown(id, page), e -> chat.clear(Daemon.reason(e)));
            if (!roster.online(id) && !roster.daemonAway()) {
                app.daemon().connect(id).exceptionally(e -> null);
            }
        }
    }

    private void shown(String id, Daemon.Page page) {
        if (!id.equals(list.selected())) {
            return; // the user moved on meanwhile
        }
        chat.show(page.messages(), page.more());
        chat.setIdleText("No messages yet. Say hello!");
        markRead(id);
    }

    private void markRead(String id) {
        if (roster.unread(id) > 0 || !Groups.isGroupId(id)) {
            roster.setUnread(id, 0);
            refresh();
        }
        if (Groups.isGroupId(id)) {
            app.groups().markRead(id).exceptionally(e -> null);
        } else {
            app.daemon().markRead(id).exceptionally(e -> null);
        }
    }

    private void loadOlder() {
        String id = list.selected();
        String before = chat.oldestId();
        if (id == null || before == null || loadingOlder) {
            return;
        }
        loadingOlder = true;
        var older = Groups.isGroupId(id) ? app.groups().messages(id, before, PAGE) : app.daemon().messages(id, before, PAGE);
        app.after(older, page -> {
            loadingOlder = false;
            if (id.equals(list.selected())) {
                chat.prepend(page.messages(), page.more());
            }
        }, e -> loadingOlder = false);
    }

    // --- keys ---

    private void act(KeyMap.Action action) {
        switch (action) {
            case ADD_CONTACT -> new AddContactScreen(app).open();
            case NEW_GROUP -> {
                if (app.groupsAvailable()) {
                    new NewGroupScreen(app, this).open();
                } else {
                    Dialog.notice(app, "New group", "Groups are not available in this daemon.");
                }
            }
            case SETTINGS -> new SettingsScreen(app).open();
            case INFO -> info(false);
            case DELETE -> info(true);
            case LOCK -> app.lockNow();
            case QUIT -> app.quit();
            case HELP -> new HelpScreen(app).open();
            case SEND -> send();
            case CLOSE -> { }
            case PREVIOUS_CONVERSATION -> select(list.neighbour(-1));
            case NEXT_CONVERSATION -> select(list.neighbour(1));
            case PAGE_UP -> chat.pageUp();
            case PAGE_DOWN -> chat.pageDown();
            default -> { }
        }
    }

    /** Details of the selected entry; {@code delete} puts the focus on its remove or leave button. */
    private void info(boolean delete) {
        String id = list.selected();
        if (id == null) {
            Dialog.notice(app, "Details", "Select a contact or group first (Up and Down).");
        } else if (roster.group(id) != null) {
            new GroupDetailsScreen(app, this, roster.group(id), delete).open();
        } else if (roster.contact(id) != null) {
            new ContactDetailsScreen(app, roster.contact(id), delete).open();
        }
    }

    private void send() {
        String id = list.selected();
        String text = input.text();
        if (id == null || text.isBlank()) {
            return;
        }
        input.clear();
        if (Groups.isGroupId(id)) {
            app.after(app.groups().send(id, text), r -> {
                if (id.equals(list.selected())) {
                    chat.append(ChatMessage.from(r.path("message")));
                }
            }, e -> failed(id, text, e));
        } else {
            app.after(app.daemon().send(id, text), r -> {
                if (id.equals(list.selected())) {
                    chat.append(new ChatMessage(r.path("message_id").asText(), id, roster.ownUid(), SafeText.message(text),
                            Instant.parse(r.path("timestamp").asText()), true, DeliveryMark.of(r.path("state").asText())));
                }
            }, e -> failed(id, text, e));
        }
    }

    /** The daemon refused: the text comes back to the input line, nothing typed is lost. */
    private void failed(String id, String text, Throwable e) {
        if (id.equals(list.selected()) && input.isEmpty()) {
            input.restore(text);
        }
        Dialog.notice(app, "Not sent", Daemon.reason(e));
    }

    private void typed() {
        String id = list.selected();
        Instant now = app.now();
        if (id != null && !Groups.isGroupId(id) && !input.isEmpty()
                && Duration.between(typingSent, now).compareTo(TYPING_SENT) >= 0 && roster.online(id)) {
            typingSent = now;
            app.daemon().typing(id).exceptionally(e -> null);
        }
    }

    // --- the daemon's events ---

    void handle(String event, JsonNode data) {
        switch (event) {
            case "message_received", "group_message_received" -> received(ChatMessage.from(data));
            case "message_state_changed" -> chat.updateMark(data.path("message_id").asText(),
                    DeliveryMark.of(data.path("state").asText()));
            case "connection_state_changed" -> {
                roster.setState(data.path("uid").asText(), data.path("state").asText());
                refresh();
            }
            case "contact_added" -> {
                roster.putContact(Contact.from(data.path("contact")));
                refresh();
                if (list.selected() == null) {
                    select(data.path("contact").path("uid").asText());
                }
            }
            case "contact_changed" -> {
                Contact now = Contact.from(data.path("contact"));
                Contact before = roster.contact(now.uid());
                roster.putContact(now);
                refresh();
                if (now.keyChanged() && (before == null || !before.keyChanged())) {
                    keyChanged(now);
                }
            }
            case "contact_removed" -> {
                roster.removeContact(data.path("contact").path("uid").asText());
                refresh();
            }
            case "security_alert" -> {
                if ("KEY_MISMATCH".equals(data.path("kind").asText())) {
                    Contact c = roster.contact(data.path("uid").asText());
                    if (c != null) {
                        keyChanged(c);
                    }
                }
            }
            case "typing" -> {
                String uid = data.path("uid").asText();
                if (uid.equals(list.selected()) && roster.contact(uid) != null) {
                    typingUntil = app.now().plus(TYPING_SHOWN);
                    chat.setTyping(roster.contact(uid).username() + " is typing…");
                }
            }
            case "group_changed" -> {
                Group g = Group.from(data.path("group"));
                roster.putGroup(g);
                refresh();
            }
            default -> { }
        }
    }

    private void received(ChatMessage m) {
        String conversation = m.conversationId();
        if (Groups.isGroupId(conversation) && roster.group(conversation) == null) {
            reloadGroups(); // a group we have not heard of yet: its message is counted when it loads
            return;
        }
        if (conversation.equals(list.selected())) {
            chat.append(m);
            if (!m.outgoing()) {
                typingUntil = null;
                chat.setTyping(null);
                markRead(conversation);
            }
        } else if (!m.outgoing()) {
            roster.addUnread(conversation);
            refresh();
        }
    }

    /** A contact presented another key: the alert stays until the user looks (messages are held meanwhile). */
    private void keyChanged(Contact c) {
        Dialog.confirm(app, "Security alert", c.username() + " presented a different key than the one you "
                + "verified. Someone may be impersonating them; messages to them are held. Compare fingerprints "
                + "over a channel you trust before you verify the new key.", "Details", () ->
                        new ContactDetailsScreen(app, roster.contact(c.uid()) == null ? c : roster.contact(c.uid()), false)
                                .open());
    }

    private void tick() {
        if (app.bannerTick()) {
            banner.tick();
        }
        if (typingUntil != null && app.now().isAfter(typingUntil)) {
            typingUntil = null;
            chat.setTyping(null);
        }
    }

    /** Every ten seconds: relative times move on. */
    void minute() {
        chat.tick();
    }

    String selected() {
        return list.selected();
    }
}
