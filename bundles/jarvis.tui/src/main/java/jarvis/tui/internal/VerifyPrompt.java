package jarvis.tui.internal;

import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Label;

/**
 * The fingerprint of a contact with the prompt to compare it out of band (in person, on a call) before
 * marking it verified: that comparison, not the link code, is what defeats a man in the middle.
 */
final class VerifyPrompt extends Dialog {

    VerifyPrompt(App app, Contact contact) {
        super(app, "Verify " + contact.username());
        text("Added " + contact.username() + ". Their fingerprint:");
        Label fp = text("  " + contact.groupedFingerprint());
        fp.setForegroundColor(Palette.WHITE);
        add(blank());
        paragraph("Ask " + contact.username() + " to read their fingerprint to you over a channel you trust. Only "
                + "if every group matches, mark them verified.", 64);
        add(blank());
        Button later = new Button("Later", this::close);
        buttons(new Button("It matches: verified", () -> app.after(app.daemon().verify(contact.uid()), c -> {
            app.roster().putContact(c);
            if (app.main() != null) {
                app.main().refresh();
            }
            close();
        }, "Verify")), later);
        later.takeFocus();
    }
}
