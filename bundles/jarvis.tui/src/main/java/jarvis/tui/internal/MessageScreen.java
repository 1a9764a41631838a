package jarvis.tui.internal;

import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Label;

/** A full-screen message when the UI cannot go on (no identity service, the daemon does not answer). */
final class MessageScreen extends WelcomeScreen {

    MessageScreen(App app, String message) {
        super(app, "Jarvis");
        form.addComponent(new TextLabel(String.join("\n", TextWrap.wrap(message, 60))));
        form.addComponent(new Button("Quit", app::quit));
    }
}
