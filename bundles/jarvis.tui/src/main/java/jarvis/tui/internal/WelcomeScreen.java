package jarvis.tui.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

/**
 * A full-screen page with the animated banner on top and a centred form below: the base of the
 * create, unlock/lock and message screens. Nothing of the main screen is on it; Escape does nothing
 * (a lock screen that Escape dismissed was 1.x's hole) and Ctrl+Q leaves the UI.
 */
abstract class WelcomeScreen extends BasicWindow {

    protected final App app;
    protected final Panel form = new Panel(new LinearLayout(Direction.VERTICAL));
    private final Banner banner = new Banner();
    private final Runnable tick = this::tick;

    WelcomeScreen(App app, String heading) {
        this.app = app;
        setHints(List.of(Hint.FULL_SCREEN, Hint.NO_DECORATIONS));
        Panel page = new Panel(new GridLayout(1));
        page.addComponent(new EmptySpace(), GridLayout.createHorizontallyFilledLayoutData(1));
        page.addComponent(banner, GridLayout.createHorizontallyFilledLayoutData(1));
        page.addComponent(new EmptySpace());
        Label title = new TextLabel(heading);
        title.setForegroundColor(Palette.ACCENT);
        page.addComponent(title, GridLayout.createLayoutData(GridLayout.Alignment.CENTER, GridLayout.Alignment.BEGINNING));
        page.addComponent(new EmptySpace());
        page.addComponent(form, GridLayout.createLayoutData(GridLayout.Alignment.CENTER, GridLayout.Alignment.BEGINNING,
                true, true));
        setComponent(page);
        app.onTick(tick);
        addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window window, KeyStroke key, AtomicBoolean deliver) {
                if (key.getKeyType() == KeyType.Escape) {
                    deliver.set(false); // the lock screen above all must not go away on Escape
                } else if (key.getKeyType() == KeyType.Character && key.isCtrlDown()
                        && (Character.toLowerCase(key.getCharacter()) == 'q' || Character.toLowerCase(key.getCharacter()) == 'c')) {
                    deliver.set(false);
                    app.quit();
                }
            }
        });
    }

    private void tick() {
        if (app.bannerTick()) {
            banner.tick();
        }
        onTick();
    }

    /** Four times a second on the UI thread, while the screen shows. */
    protected void onTick() {
    }

    @Override
    public void close() {
        app.removeTick(tick);
        super.close();
    }
}
