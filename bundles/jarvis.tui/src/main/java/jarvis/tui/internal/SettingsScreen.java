package jarvis.tui.internal;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.CheckBox;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;

/**
 * Settings (Ctrl+S): who we are (name, uid, fingerprint), our link code with its QR code and a copy to
 * the clipboard, the exports, the password, deleting the account, and two switches the daemon reads
 * from its data directory: desktop notifications and read receipts.
 */
final class SettingsScreen extends Dialog {

    private final Label name = new TextLabel("…");
    private final Label uid = new TextLabel("…");
    private final Label fingerprint = new TextLabel("…");
    private final Label link = new TextLabel("…");
    private final Label status = new TextLabel("");
    private String linkCode;

    SettingsScreen(App app) {
        super(app, "Settings");
        Panel grid = new Panel(new GridLayout(2));
        grid.addComponent(new TextLabel("User name"));
        grid.addComponent(name);
        grid.addComponent(new TextLabel("UID"));
        grid.addComponent(uid);
        grid.addComponent(new TextLabel("Fingerprint"));
        grid.addComponent(fingerprint);
        grid.addComponent(new TextLabel("Link code"));
        grid.addComponent(link);
        add(grid);
        buttons(new Button("Show QR code", () -> {
            if (linkCode != null) {
                new QrScreen(app, linkCode).open();
            }
        }), new Button("Copy link code", this::copy));
        add(blank());

        DaemonSettings files = app.settings();
        CheckBox notifications = new CheckBox("Desktop notifications");
        notifications.setChecked(files.get(DaemonSettings.NOTIFY_PID, DaemonSettings.NOTIFY_KEY, true));
        notifications.addListener(on -> write(DaemonSettings.NOTIFY_PID, DaemonSettings.NOTIFY_KEY, on,
                "Desktop notifications for new messages (set from the terminal UI's settings)."));
        CheckBox receipts = new CheckBox("Send read receipts");
        receipts.setChecked(files.get(DaemonSettings.MESSAGING_PID, DaemonSettings.RECEIPTS_KEY, true));
        receipts.addListener(on -> write(DaemonSettings.MESSAGING_PID, DaemonSettings.RECEIPTS_KEY, on,
                "Tell contacts when their messages were read here (set from the terminal UI's settings)."));
        add(notifications);
        add(receipts);
        add(blank());

        buttons(new Button("Export contact card…", this::exportCard), new Button("Export account…", this::exportAccount));
        buttons(new Button("Change password…", () -> new ChangePasswordScreen(app).open()),
                new Button("Delete account…", this::deleteAccount));
        add(blank());
        status.setForegroundColor(Palette.GREEN);
        add(status);
        Button close = new Button("Close", this::close);
        buttons(close);
        close.takeFocus();

        app.after(app.daemon().identity(), this::showIdentity, e -> status.setText(Daemon.reason(e)));
        app.after(app.daemon().linkCode(), code -> {
            linkCode = code;
            link.setText(String.join("\n", TextWrap.wrap(code, 64)));
        }, e -> link.setText(Daemon.reason(e)));
    }

    private void showIdentity(JsonNode id) {
        name.setText(SafeText.line(id.path("username").asText()));
        uid.setText(id.path("uid").asText());
        fingerprint.setText(Fingerprints.grouped(id.path("fingerprint").asText()));
    }

    private void copy() {
        if (linkCode == null) {
            return;
        }
        boolean sent = app.options().clipboard().copy(linkCode);
        status.setText(sent ? "Link code copied (if your terminal allows OSC 52 clipboard access)."
                : "The link code is too long for the terminal clipboard.");
    }

    private void write(String pid, String key, boolean on, String comment) {
        try {
            app.settings().set(pid, key, on, comment);
            status.setText("Saved; the daemon applies it within seconds.");
        } catch (IOException e) {
            status.setText("Could not save: " + e.getMessage());
        }
    }

    private String home(String file) {
        return app.options().home().resolve(file).toString();
    }

    private String safeName() {
        String shown = name.getText();
        if (shown.isEmpty() || shown.equals("…")) {
            return "jarvis"; // the identity has not arrived yet
        }
        return shown.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private void exportCard() {
        new PathPrompt(app, "Export contact card", "Where to write your contact card (a new file; it holds your "
                + "public key and link code, nothing secret):", home(safeName() + ".jcard"), path -> app.after(
                        app.daemon().exportCard(path), r -> status.setText("Contact card written to " + path),
                        "Export contact card")).open();
    }

    private void exportAccount() {
        new PathPrompt(app, "Export account", "Where to write the account export (a new file, encrypted under your "
                + "password; it holds your private key):", home(safeName() + ".jexport"), path ->
                        new PasswordPrompt(app, "Export account", "Your account password, to confirm the export:",
                                "Export", (password, prompt) -> app.after(app.daemon().exportAccount(path, password), r -> {
                                    prompt.close();
                                    status.setText("Account exported to " + path);
                                }, prompt::failed)).open()).open();
    }

    private void deleteAccount() {
        new PasswordPrompt(app, "Delete account", "This deletes your identity (its keys), your contacts, groups and "
                + "every message from this daemon, for good. Contacts cannot reach this account again. Type your "
                + "password to delete it:", "Delete everything", (password, prompt) ->
                        app.after(app.daemon().deleteAccount(password), r -> app.showCreate(), prompt::failed)).open();
    }
}
