package jarvis.tui.internal;

import java.io.File;
import java.util.List;

import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.dialogs.FileDialogBuilder;

/**
 * Add Contact (Ctrl+N): paste a link code (ours {@code jarvis2:} or a 1.x {@code jarvis://} one), import
 * a contact card chosen in a file chooser, or enter the contact by hand. The daemon checks every form
 * (a mistyped code, a fingerprint that does not match the key); afterwards the contact's fingerprint
 * is shown with the prompt to verify it, because a link code alone does not defeat a man in the middle.
 */
final class AddContactScreen extends Dialog {

    private final TextBox code = new TextBox(field(60));
    private final TextBox username = new TextBox(field(40));
    private final TextBox uid = new TextBox(field(40));
    private final TextBox publicKey = new TextBox(field(64));
    private final TextBox fingerprint = new TextBox(field(64));
    private final TextBox endpoint = new TextBox(field(40));
    private final Label status = new TextLabel("");
    private File folder;

    AddContactScreen(App app) {
        super(app, "Add contact");
        folder = app.options().home().toFile();
        text("Paste the link code your contact gave you (jarvis2:… or jarvis://…):");
        add(code);
        buttons(new Button("Add from link code", this::addByCode), new Button("Import contact card…", this::importCard));
        add(blank());
        text("Or by hand (the fingerprint, if you have it, is checked against the key):");
        Panel grid = new Panel(new GridLayout(2));
        grid.addComponent(new TextLabel("User name"));
        grid.addComponent(username);
        grid.addComponent(new TextLabel("UID (32 hex)"));
        grid.addComponent(uid);
        grid.addComponent(new TextLabel("Public key (64 hex)"));
        grid.addComponent(publicKey);
        grid.addComponent(new TextLabel("Fingerprint"));
        grid.addComponent(fingerprint);
        grid.addComponent(new TextLabel("Endpoint"));
        grid.addComponent(endpoint);
        add(grid);
        buttons(new Button("Add by hand", this::addByHand), new Button("Cancel", this::close));
        status.setForegroundColor(Palette.ACCENT);
        add(status);
        endpoint.setText("tcp://");
        code.takeFocus();
    }

    private void addByCode() {
        String text = code.getText().strip().replace("\n", "");
        if (text.isEmpty()) {
            status.setText("Paste a link code first.");
            code.takeFocus();
            return;
        }
        status.setText("Adding…");
        app.after(app.daemon().addByLinkCode(text), this::added, e -> status.setText("Not added: " + Daemon.reason(e)));
    }

    private void importCard() {
        File chosen = new FileDialogBuilder().setTitle("Import contact card").setActionLabel("Import")
                .setSelectedFile(folder).build().showDialog(app.gui());
        if (chosen == null) {
            return;
        }
        folder = chosen.getAbsoluteFile().getParentFile(); // a second try starts where the first one was made
        status.setText("Importing…");
        app.after(app.daemon().importCard(chosen.getAbsolutePath()), this::added,
                e -> status.setText("Not imported: " + Daemon.reason(e)));
    }

    private void addByHand() {
        String ep = endpoint.getText().strip();
        List<String> endpoints = ep.isEmpty() || ep.equals("tcp://") ? List.of() : List.of(ep);
        status.setText("Adding…");
        app.after(app.daemon().addByHand(uid.getText().strip(), username.getText().strip(), publicKey.getText().strip(),
                fingerprint.getText().strip(), endpoints), this::added, e -> status.setText("Not added: " + Daemon.reason(e)));
    }

    private void added(Contact contact) {
        close();
        app.roster().putContact(contact);
        if (app.main() != null) {
            app.main().refresh();
            app.main().select(contact.uid());
        }
        new VerifyPrompt(app, contact).open();
    }
}
