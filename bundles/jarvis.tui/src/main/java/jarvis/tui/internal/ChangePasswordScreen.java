package jarvis.tui.internal;

import java.util.Arrays;

import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;

/** The current password, then the new one twice with the strength hint; the daemon re-wraps the keys. */
final class ChangePasswordScreen extends Dialog {

    private final SecretField current = new SecretField(32);
    private final SecretField next = new SecretField(32);
    private final SecretField again = new SecretField(32);
    private final Label strength = new TextLabel("");
    private final Spinner status = new Spinner();
    private final Runnable tick = status::tick;

    ChangePasswordScreen(App app) {
        super(app, "Change password");
        Panel grid = new Panel(new GridLayout(2));
        grid.addComponent(new TextLabel("Current password"));
        grid.addComponent(current);
        grid.addComponent(new TextLabel("New password"));
        grid.addComponent(next);
        grid.addComponent(new TextLabel(""));
        grid.addComponent(strength);
        grid.addComponent(new TextLabel("Repeat new password"));
        grid.addComponent(again);
        add(grid);
        add(status);
        buttons(new Button("Change", this::change), new Button("Cancel", this::close));
        current.onEnter(next::takeFocus);
        next.onEnter(again::takeFocus);
        again.onEnter(this::change);
        next.onEdit(() -> {
            char[] typed = next.peek();
            strength.setText(PasswordStrength.of(typed, typed.length).hint());
            Arrays.fill(typed, '\0');
        });
        app.onTick(tick);
        whenClosed(() -> app.removeTick(tick));
        current.takeFocus();
    }

    private void change() {
        if (status.spinning()) {
            return;
        }
        if (current.length() == 0 || next.length() == 0) {
            status.stop("Type the current and the new password.");
            return;
        }
        if (!next.sameAs(again)) {
            again.clear();
            status.stop("The new passwords differ; type it again.");
            again.takeFocus();
            return;
        }
        again.clear();
        status.start("Changing (Argon2id)…");
        app.after(app.daemon().changePassword(current.take(), next.take()), r -> {
            close();
            Dialog.notice(app, "Change password", "The password is changed.");
        }, e -> {
            status.setForegroundColor(Palette.ACCENT);
            status.stop(Daemon.reason(e));
            current.takeFocus();
        });
    }
}
