package jarvis.tui.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Consumer;

import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.TextBox;

/** Asks where to write a new file; relative paths are taken from the home folder (the daemon needs absolute ones). */
final class PathPrompt extends Dialog {

    private final TextBox path = new TextBox(field(60));
    private final Label status = new TextLabel("");

    PathPrompt(App app, String title, String explanation, String suggested, Consumer<String> action) {
        super(app, title);
        paragraph(explanation, 60);
        add(path);
        add(status);
        path.setText(suggested);
        buttons(new Button("Write", () -> {
            String text = path.getText().strip();
            if (text.isEmpty()) {
                status.setText("Give a file name.");
                return;
            }
            if (text.startsWith("~/")) {
                text = app.options().home() + text.substring(1);
            }
            Path p;
            try {
                p = Paths.get(text);
            } catch (java.nio.file.InvalidPathException e) {
                status.setText("Not a valid path: " + SafeText.line(e.getReason()));
                return;
            }
            if (!p.isAbsolute()) {
                p = app.options().home().resolve(p);
            }
            close();
            action.accept(p.normalize().toString());
        }), new Button("Cancel", this::close));
        path.takeFocus();
    }
}
