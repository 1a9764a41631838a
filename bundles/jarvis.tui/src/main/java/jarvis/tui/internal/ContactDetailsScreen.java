package jarvis.tui.internal;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;

/**
 * Contact details (Ctrl+I / Tab): name, uid, fingerprint, endpoints, connection state and session
 * health; verify; remove. A changed key is an alert in red at the top, with what to do about it.
 */
final class ContactDetailsScreen extends Dialog {

    private final Contact contact;
    private final Label health = new TextLabel("…");

    ContactDetailsScreen(App app, Contact contact, boolean focusRemove) {
        super(app, "Contact " + contact.username());
        this.contact = contact;
        if (contact.keyChanged()) {
            Label alert = paragraph("KEY CHANGED: " + contact.username() + " presented a different key. Messages to "
                    + "them are held. Compare the new fingerprint out of band before you verify it.", 64);
            alert.setForegroundColor(Palette.RED);
            add(blank());
        }
        Panel grid = new Panel(new GridLayout(2));
        row(grid, "User name", contact.username());
        row(grid, "UID", contact.uid());
        row(grid, "Fingerprint", contact.groupedFingerprint());
        row(grid, "Endpoints", contact.endpoints().isEmpty() ? "(none known)" : String.join("\n", contact.endpoints()));
        row(grid, "Status", app.roster().daemonAway() ? "unknown (daemon away)" : app.roster().state(contact.uid()));
        grid.addComponent(new TextLabel("Health"));
        grid.addComponent(health);
        row(grid, "Protocol", contact.legacy() ? "jarvis/2, or Jarvis 1.x: " + Contact.LEGACY_LABEL : "jarvis/2");
        row(grid, "Verified", contact.verified() ? "yes" : "no" + (contact.keyChanged() ? " (key changed)" : ""));
        add(grid);
        add(blank());
        Button verify = new Button(contact.verified() && !contact.keyChanged() ? "Verified" : "Verify…", this::verify);
        Button remove = new Button("Remove contact", this::remove);
        Button close = new Button("Close", this::close);
        buttons(verify, remove, close);
        (focusRemove ? remove : close).takeFocus();
        app.after(app.daemon().peer(contact.uid()), this::showHealth, e -> health.setText(Daemon.reason(e)));
    }

    private static void row(Panel grid, String name, String value) {
        grid.addComponent(new TextLabel(name));
        grid.addComponent(new TextLabel(value));
    }

    private void showHealth(JsonNode peer) {
        if (peer.isMissingNode()) {
            health.setText("no session");
            return;
        }
        StringBuilder b = new StringBuilder(peer.path("state").asText());
        if (peer.hasNonNull("remote")) {
            b.append(" via ").append(SafeText.line(peer.path("remote").asText()));
        }
        if (peer.path("rtt_micros").asLong() > 0) {
            b.append(String.format(", rtt %.1f ms", peer.path("rtt_micros").asLong() / 1000.0));
        }
        if (peer.hasNonNull("since")) {
            try {
                b.append(", since ").append(RelativeTime.describe(Instant.parse(peer.path("since").asText()), app.now(),
                        app.options().zone()));
            } catch (RuntimeException e) {
                // An unparsable time is left out rather than shown raw.
            }
        }
        b.append(", reconnects ").append(peer.path("reconnects").asLong());
        health.setText(b.toString());
    }

    private void verify() {
        close();
        new VerifyPrompt(app, contact).open();
    }

    private void remove() {
        Dialog.confirm(app, "Remove " + contact.username(), "Remove " + contact.username() + " from your contacts? "
                + "The conversation stays in the history; adding them again needs their link code.", "Remove", () ->
                        app.after(app.daemon().removeContact(contact.uid()), r -> {
                            app.roster().removeContact(contact.uid());
                            if (app.main() != null) {
                                app.main().refresh();
                            }
                            close();
                        }, "Remove contact"));
    }
}
