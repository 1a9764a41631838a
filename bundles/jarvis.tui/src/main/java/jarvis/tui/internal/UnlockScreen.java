package jarvis.tui.internal;


import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;

/**
 * The unlock screen, which is also the lock screen: nothing of the conversations is on it or behind
 * it (the main screen is closed), Escape does nothing, and it goes only when the daemon accepts the
 * password (see {@link WelcomeScreen}). The daemon checks the password by Argon2id, which takes a moment: a spinner shows it.
 */
final class UnlockScreen extends WelcomeScreen {

    private final SecretField password = new SecretField(32);
    private final Spinner status = new Spinner();
    private int attempts;

    UnlockScreen(App app) {
        super(app, "Jarvis is locked");
        Panel grid = new Panel(new GridLayout(2));
        grid.addComponent(new TextLabel("Password"));
        grid.addComponent(password);
        form.addComponent(grid);
        form.addComponent(status);
        Panel buttons = new Panel(new GridLayout(2));
        buttons.addComponent(new Button("Unlock", this::unlock));
        buttons.addComponent(new Button("Quit", app::quit));
        form.addComponent(buttons);
        password.onEnter(this::unlock);
        status.setForegroundColor(Palette.TEXT);
        password.takeFocus();
    }

    @Override
    protected void onTick() {
        status.tick();
    }

    private void unlock() {
        if (status.spinning()) {
            return;
        }
        if (password.length() == 0) {
            status.stop("Type your password, then Enter.");
            return;
        }
        status.setForegroundColor(Palette.TEXT);
        status.start("Unlocking (Argon2id)…");
        app.after(app.daemon().unlock(password.take()), identity -> app.showMain(), e -> {
            attempts++;
            status.setForegroundColor(Palette.ACCENT);
            if ("WRONG_PASSWORD".equals(Daemon.reasonCode(e))) {
                status.stop("Wrong password, try again (attempt " + attempts + ").");
            } else {
                status.stop("Could not unlock: " + Daemon.reason(e));
            }
            password.takeFocus();
        });
    }
}
