package jarvis.tui.internal;

import java.util.Arrays;

import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;

/**
 * First start: a user name and a password typed twice, with a strength hint while typing. Argon2id
 * runs in the daemon when it creates the identity; a spinner shows it works.
 */
final class CreateIdentityScreen extends WelcomeScreen {

    private final TextBox username = new TextBox(Dialog.field(32));
    private final SecretField password = new SecretField(32);
    private final SecretField confirmation = new SecretField(32);
    private final Label strength = new TextLabel("");
    private final Spinner status = new Spinner();
    private final Button create = new Button("Create identity", this::create);

    CreateIdentityScreen(App app) {
        super(app, "Welcome to Jarvis: create your identity");
        Panel grid = new Panel(new GridLayout(2));
        grid.addComponent(new TextLabel("User name"));
        grid.addComponent(username);
        grid.addComponent(new TextLabel("Password"));
        grid.addComponent(password);
        grid.addComponent(new TextLabel(""));
        grid.addComponent(strength);
        grid.addComponent(new TextLabel("Repeat password"));
        grid.addComponent(confirmation);
        form.addComponent(grid);
        form.addComponent(status);
        Panel buttons = new Panel(new GridLayout(2));
        buttons.addComponent(create);
        buttons.addComponent(new Button("Quit", app::quit));
        form.addComponent(buttons);
        password.onEdit(this::showStrength);
        password.onEnter(confirmation::takeFocus);
        confirmation.onEnter(this::create);
        strength.setForegroundColor(Palette.GREY);
        username.takeFocus();
    }

    private void showStrength() {
        char[] typed = password.peek();
        try {
            PasswordStrength s = PasswordStrength.of(typed, typed.length);
            strength.setText(s.hint());
            strength.setForegroundColor(s == PasswordStrength.WEAK ? Palette.AMBER
                    : s == PasswordStrength.EMPTY ? Palette.GREY : Palette.GREEN);
        } finally {
            Arrays.fill(typed, '\0');
        }
    }

    @Override
    protected void onTick() {
        status.tick();
    }

    private void create() {
        if (status.spinning()) {
            return;
        }
        String name = username.getText().trim();
        if (name.isEmpty()) {
            status.stop("Choose a user name: it is what your contacts see.");
            username.takeFocus();
            return;
        }
        if (password.length() == 0) {
            status.stop("Choose a password.");
            password.takeFocus();
            return;
        }
        if (!password.sameAs(confirmation)) {
            confirmation.clear();
            status.stop("The passwords differ; type the password again.");
            confirmation.takeFocus();
            return;
        }
        confirmation.clear();
        status.start("Creating your identity (Argon2id)…");
        app.after(app.daemon().createIdentity(name, password.take()), identity -> app.showMainInstead(this), e -> {
            status.stop("Could not create the identity: " + Daemon.reason(e));
            password.takeFocus();
        });
    }
}
