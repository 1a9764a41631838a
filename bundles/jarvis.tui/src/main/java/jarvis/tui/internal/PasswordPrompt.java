package jarvis.tui.internal;

import java.util.function.BiConsumer;

import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Label;

/** Asks for the account password for one action (export, delete); the password goes to the action as {@code char[]}. */
final class PasswordPrompt extends Dialog {

    private final SecretField password = new SecretField(32);
    private final Spinner status = new Spinner();
    private final Runnable tick = status::tick;

    /**
     * @param action gets the password (it owns and wipes it) and this prompt, to report on with
     *               {@link #failed} or close
     */
    PasswordPrompt(App app, String title, String explanation, String button, BiConsumer<char[], PasswordPrompt> action) {
        super(app, title);
        paragraph(explanation, 60);
        add(blank());
        add(new TextLabel("Password"));
        add(password);
        add(status);
        Runnable go = () -> {
            if (password.length() == 0 || status.spinning()) {
                return;
            }
            status.start("Checking (Argon2id)…");
            action.accept(password.take(), this);
        };
        password.onEnter(go);
        buttons(new Button(button, go), new Button("Cancel", this::close));
        app.onTick(tick);
        whenClosed(() -> app.removeTick(tick));
        password.takeFocus();
    }

    void failed(Throwable e) {
        status.setForegroundColor(Palette.ACCENT);
        status.stop(Daemon.reason(e));
        password.takeFocus();
    }
}
