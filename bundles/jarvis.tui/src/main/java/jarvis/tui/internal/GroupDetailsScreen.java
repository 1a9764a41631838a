package jarvis.tui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.ActionListBox;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.CheckBoxList;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.TextBox;

/**
 * Group details (Tab on a group; Ctrl+D focuses Leave): the members with their role and status;
 * accept or decline an invitation; invite contacts; as admin remove a member (Enter on them) and
 * rename; leave.
 */
final class GroupDetailsScreen extends Dialog {

    private final MainScreen main;
    private final Group group;
    private final Label status = new TextLabel("");

    GroupDetailsScreen(App app, MainScreen main, Group group, boolean focusLeave) {
        super(app, "Group " + group.name());
        this.main = main;
        this.group = group;
        text("Group id  " + group.groupId());
        text("You       " + (group.admin() ? "admin" : "member") + ", " + group.state());
        add(blank());
        text("Members" + (group.admin() ? " (Enter on one to remove it)" : ""));
        ActionListBox members = new ActionListBox(new TerminalSize(50, Math.max(1, Math.min(10, group.members().size()))));
        for (Group.Member m : group.members()) {
            String line = m.username() + (m.admin() ? "  admin" : "") + ("invited".equals(m.status()) ? "  (invited)" : "")
                    + (m.uid().equals(app.roster().ownUid()) ? "  (you)" : "");
            members.addItem(line, () -> removeMember(m));
        }
        add(members);
        add(blank());
        status.setForegroundColor(Palette.ACCENT);
        Button first;
        if (group.invited()) {
            first = new Button("Accept invitation", () -> update(app.groups().accept(group.groupId())));
            buttons(first, new Button("Decline", () -> update(app.groups().decline(group.groupId()))),
                    new Button("Close", this::close));
        } else {
            Button leave = new Button("Leave group", this::leave);
            Button invite = new Button("Invite…", this::invite);
            if (group.admin()) {
                buttons(invite, new Button("Rename…", this::rename), leave, new Button("Close", this::close));
            } else {
                buttons(invite, leave, new Button("Close", this::close));
            }
            first = focusLeave ? leave : invite;
        }
        add(status);
        first.takeFocus();
    }

    private void update(CompletableFuture<Group> change) {
        status.setText("…");
        app.after(change, g -> {
            app.roster().putGroup(g);
            main.refresh();
            close();
            if (g.listed()) {
                main.select(g.groupId());
            }
        }, e -> status.setText(Daemon.reason(e)));
    }

    private void removeMember(Group.Member m) {
        if (!group.admin() || m.uid().equals(app.roster().ownUid())) {
            return;
        }
        Dialog.confirm(app, "Remove member", "Remove " + m.username() + " from " + group.name() + "?", "Remove",
                () -> update(app.groups().removeMember(group.groupId(), m.uid())));
    }

    private void leave() {
        Dialog.confirm(app, "Leave group", "Leave " + group.name() + "? You will not receive its messages any more.",
                "Leave", () -> update(app.groups().leave(group.groupId())));
    }

    private void rename() {
        Dialog d = new Dialog(app, "Rename group");
        TextBox name = new TextBox(field(40), group.name());
        d.add(name);
        d.buttons(new Button("Rename", () -> {
            d.close();
            update(app.groups().rename(group.groupId(), name.getText().strip()));
        }), new Button("Cancel", d::close));
        d.open();
        name.takeFocus();
    }

    private void invite() {
        List<Contact> candidates = new ArrayList<>();
        for (Contact c : app.roster().contacts()) {
            if (group.memberName(c.uid()) == null) {
                candidates.add(c);
            }
        }
        if (candidates.isEmpty()) {
            status.setText("Every contact is in the group already.");
            return;
        }
        Dialog d = new Dialog(app, "Invite to " + group.name());
        CheckBoxList<NewGroupScreen.Choice> list = new CheckBoxList<>(new TerminalSize(40, Math.min(10, candidates.size())));
        candidates.forEach(c -> list.addItem(new NewGroupScreen.Choice(c)));
        d.text("Contacts to invite (Space ticks)");
        d.add(list);
        d.buttons(new Button("Invite", () -> {
            List<String> uids = new ArrayList<>();
            list.getCheckedItems().forEach(c -> uids.add(c.contact().uid()));
            d.close();
            if (!uids.isEmpty()) {
                update(app.groups().invite(group.groupId(), uids));
            }
        }), new Button("Cancel", d::close));
        d.open();
        list.takeFocus();
    }
}
