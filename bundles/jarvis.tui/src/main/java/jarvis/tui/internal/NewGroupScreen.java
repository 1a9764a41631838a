package jarvis.tui.internal;

import java.util.ArrayList;
import java.util.List;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.CheckBoxList;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.TextBox;

/**
 * New group (Ctrl+G): a name and the members, chosen from the contacts with Space; the daemon creates
 * the group with us as admin and invites them. (In 1.x the member list was decoration and the group
 * was created with only its creator.)
 */
final class NewGroupScreen extends Dialog {

    /** A contact in the member list; the list shows {@link #toString}. */
    record Choice(Contact contact) {
        @Override
        public String toString() {
            return contact.username() + (contact.verified() ? "" : " (not verified)")
                    + (contact.legacy() ? " " + Contact.LEGACY_LABEL : "");
        }
    }

    private final MainScreen main;
    private final TextBox name = new TextBox(field(40));
    private final CheckBoxList<Choice> members;
    private final Label status = new TextLabel("");

    NewGroupScreen(App app, MainScreen main) {
        super(app, "New group");
        this.main = main;
        List<Contact> contacts = app.roster().contacts();
        members = new CheckBoxList<>(new TerminalSize(40, Math.max(1, Math.min(10, contacts.size()))));
        contacts.forEach(c -> members.addItem(new Choice(c)));
        text("Group name");
        add(name);
        add(blank());
        text(contacts.isEmpty() ? "No contacts to invite yet (Ctrl+N adds one)." : "Members (Space ticks, Tab moves on)");
        if (!contacts.isEmpty()) {
            add(members);
        }
        add(blank());
        status.setForegroundColor(Palette.ACCENT);
        add(status);
        buttons(new Button("Create group", this::create), new Button("Cancel", this::close));
        name.takeFocus();
    }

    private void create() {
        String groupName = name.getText().strip();
        if (groupName.isEmpty()) {
            status.setText("Give the group a name.");
            name.takeFocus();
            return;
        }
        List<String> uids = new ArrayList<>();
        members.getCheckedItems().forEach(c -> uids.add(c.contact().uid()));
        status.setText("Creating…");
        app.after(app.groups().create(groupName, uids), group -> {
            close();
            app.roster().putGroup(group);
            main.refresh();
            main.select(group.groupId());
        }, e -> status.setText("Not created: " + Daemon.reason(e)));
    }
}
