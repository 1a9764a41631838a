package jarvis.tui.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

/**
 * A modal window over the main screen. Escape closes it (the lock screen is not a dialog and ignores
 * Escape). Subclasses fill {@link #body} and call {@link #open}.
 */
public class Dialog extends BasicWindow {

    protected final App app;
    protected final Panel body = new Panel(new LinearLayout(Direction.VERTICAL));
    private Runnable onClose = () -> { };

    public Dialog(App app, String title) {
        super(title);
        this.app = app;
        setHints(List.of(Hint.MODAL, Hint.CENTERED));
        setComponent(body);
        addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window window, KeyStroke key, AtomicBoolean deliver) {
                if (key.getKeyType() == KeyType.Escape) {
                    deliver.set(false);
                    close();
                } else if (key.getKeyType() == KeyType.Character && key.isCtrlDown()
                        && Character.toLowerCase(key.getCharacter()) == 'c') {
                    deliver.set(false);
                    app.quit(); // Ctrl+C leaves the program from anywhere, as in every terminal program
                }
            }
        });
    }

    /** Runs after the dialog closed, however it closed. */
    public Dialog whenClosed(Runnable action) {
        onClose = action;
        return this;
    }

    public void open() {
        app.gui().addWindow(this);
        app.gui().setActiveWindow(this);
    }

    @Override
    public void close() {
        if (getTextGUI() != null) {
            super.close();
            onClose.run();
        }
    }

    protected Label text(String text) {
        Label label = new TextLabel(text);
        body.addComponent(label);
        return label;
    }

    /** A label whose text wraps at {@code columns}. */
    protected Label paragraph(String text, int columns) {
        Label label = new TextLabel(String.join("\n", TextWrap.wrap(text, columns)));
        body.addComponent(label);
        return label;
    }

    protected Panel buttons(Button... buttons) {
        Panel row = new Panel(new LinearLayout(Direction.HORIZONTAL));
        for (Button b : buttons) {
            row.addComponent(b);
        }
        body.addComponent(row);
        return row;
    }

    protected void add(Component c) {
        body.addComponent(c);
    }

    protected static Label blank() {
        return new TextLabel("");
    }

    protected static TerminalSize field(int columns) {
        return new TerminalSize(columns, 1);
    }

    /** A message with OK, for results and errors. */
    public static void notice(App app, String title, String message) {
        Dialog d = new Dialog(app, title);
        d.paragraph(message, 60);
        d.add(blank());
        Button ok = new Button("OK", d::close);
        d.buttons(ok);
        d.open();
        ok.takeFocus(); // Enter dismisses it, as the button promises
    }

    /** Yes runs {@code action}; No (or Escape) just closes. */
    public static void confirm(App app, String title, String question, String yes, Runnable action) {
        Dialog d = new Dialog(app, title);
        d.paragraph(question, 60);
        d.add(blank());
        Button no = new Button("Cancel", d::close);
        d.buttons(new Button(yes, () -> {
            d.close();
            action.run();
        }), no);
        d.open();
        no.takeFocus();
    }
}
