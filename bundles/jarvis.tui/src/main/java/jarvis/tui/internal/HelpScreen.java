package jarvis.tui.internal;

import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;

/** F1 or '?': every key of the main screen, from {@link KeyMap} itself so the two never disagree. */
final class HelpScreen extends Dialog {

    HelpScreen(App app) {
        super(app, "Keys");
        Panel grid = new Panel(new GridLayout(2));
        for (KeyMap.Binding b : KeyMap.bindings()) {
            Label keys = new TextLabel(b.keys());
            keys.setForegroundColor(Palette.ACCENT);
            grid.addComponent(keys);
            grid.addComponent(new TextLabel(b.description()));
        }
        add(grid);
        add(blank());
        paragraph("Ctrl+C also leaves the UI, as in any terminal program. Tab is the byte terminals send for Ctrl+I.", 70);
        Button close = new Button("Close", this::close);
        buttons(close);
        close.takeFocus();
    }
}
