package jarvis.tui.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.googlecode.lanterna.gui2.AsynchronousTextGUIThread;
import com.googlecode.lanterna.gui2.DefaultWindowManager;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.SeparateTextGUIThread;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.screen.Screen;

import jarvis.client.Event;
import jarvis.client.JarvisClient;

/**
 * The terminal UI of one daemon: decides which screen shows (create, unlock/lock, main), turns the
 * daemon's events into screen updates, and owns the UI thread, the ticker and the way out.
 *
 * <p>Threads: every model change and every component call happens on Lanterna's UI thread. Client
 * events, state changes and request completions hop onto it with {@link #ui}; nothing on the UI thread
 * waits for the daemon.
 */
public final class App {

    /**
     * How the UI is set up: where the daemon's data is, the clipboard, the clock (tests may fix it), and
     * the user's home folder, where the file chooser starts and relative export paths are taken from.
     */
    public record Options(Path dataDir, Clipboard clipboard, Supplier<Instant> clock, ZoneId zone, Path home) {
    }

    static final long TICK_MILLIS = 250;

    private final JarvisClient client;
    private final Screen screen;
    private final Options options;
    private final Daemon daemon;
    private final Groups groups;
    private final Roster roster = new Roster();
    private final DaemonSettings settings;
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    private final List<Runnable> tickers = new CopyOnWriteArrayList<>();
    private MultiWindowTextGUI gui;
    private ScheduledExecutorService ticker;
    private MainScreen main;
    private Window top;
    private boolean groupsAvailable = true;
    private boolean locked;
    private volatile boolean stopping;
    private long ticks;

    public App(JarvisClient client, Screen screen, Options options) {
        this.client = client;
        this.screen = screen;
        this.options = options;
        this.daemon = new Daemon(client);
        this.groups = new Groups(client);
        this.settings = new DaemonSettings(options.dataDir());
    }

    /** Takes over the screen, starts the UI thread and shows the first screen. */
    public void start() throws IOException {
        screen.startScreen();
        gui = new MultiWindowTextGUI(new SeparateTextGUIThread.Factory(), screen, new DefaultWindowManager(),
                null, new EmptySpace(Palette.BACKGROUND));
        gui.setTheme(Palette.theme());
        gui.getGUIThread().setExceptionHandler(new com.googlecode.lanterna.gui2.TextGUIThread.ExceptionHandler() {
            @Override
            public boolean onIOException(IOException e) {
                quit(); // the terminal is gone
                return true;
            }

            @Override
            public boolean onRuntimeException(RuntimeException e) {
                System.getLogger(App.class.getName()).log(System.Logger.Level.ERROR, "terminal UI error", e);
                return false; // a bug in one handler must not end the session
            }
        });
        ((AsynchronousTextGUIThread) gui.getGUIThread()).start();
        client.onEvent(e -> ui(() -> handle(e)));
        client.onStateChange(s -> ui(() -> connection(s)));
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jarvis-tui-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(() -> ui(this::tick), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        ui(this::decide);
    }

    /** Completes when the user has quit (Ctrl+Q) or the terminal went away. */
    public CompletableFuture<Void> exited() {
        return exited;
    }

    // --- for the screens ---

    public MultiWindowTextGUI gui() {
        return gui;
    }

    public Daemon daemon() {
        return daemon;
    }

    public Groups groups() {
        return groups;
    }

    public Roster roster() {
        return roster;
    }

    public DaemonSettings settings() {
        return settings;
    }

    public Options options() {
        return options;
    }

    public Instant now() {
        return options.clock().get();
    }

    public boolean groupsAvailable() {
        return groupsAvailable;
    }

    /** Runs on the UI thread (now if already there). Ignored once the UI has stopped. */
    public void ui(Runnable action) {
        if (stopping || gui == null) {
            return;
        }
        try {
            gui.getGUIThread().invokeLater(action);
        } catch (IllegalStateException e) {
            // The UI thread has stopped: nothing left to update.
        }
    }

    /** When {@code future} completes, runs {@code ok} or {@code failed} on the UI thread. */
    public <T> void after(CompletableFuture<T> future, Consumer<T> ok, Consumer<Throwable> failed) {
        future.whenComplete((value, error) -> ui(() -> {
            if (error == null) {
                ok.accept(value);
            } else {
                failed.accept(error);
            }
        }));
    }

    /** As {@link #after}, failures shown in a dialog titled {@code what}. */
    public <T> void after(CompletableFuture<T> future, Consumer<T> ok, String what) {
        after(future, ok, e -> Dialog.notice(this, what, Daemon.reason(e)));
    }

    /** Adds something that moves with the ticker (four times a second, on the UI thread). */
    public void onTick(Runnable action) {
        tickers.add(action);
    }

    public void removeTick(Runnable action) {
        tickers.remove(action);
    }

    // --- which screen ---

    /** Asks the daemon where the identity stands and shows the matching screen. */
    void decide() {
        after(daemon.status(), status -> {
            String state = status.path("identity").path("state").asText();
            switch (state) {
                case "none" -> showCreate();
                case "locked" -> showLock();
                case "unlocked" -> showMain();
                default -> showTop(new MessageScreen(this, "The daemon has no identity service: "
                        + SafeText.line(state)));
            }
        }, e -> showTop(new MessageScreen(this, "The daemon did not answer: " + Daemon.reason(e))));
    }

    void showCreate() {
        locked = true;
        closeEverything();
        roster.clear();
        showTop(new CreateIdentityScreen(this));
    }

    /** The lock: every window goes (their content too), and only the password brings them back. */
    public void showLock() {
        if (locked && top instanceof UnlockScreen) {
            return;
        }
        locked = true;
        closeEverything();
        roster.clear();
        main = null;
        showTop(new UnlockScreen(this));
    }

    /** Ctrl+L: the daemon drops the keys, then the screen locks (the lock screen shows even if the daemon is away). */
    public void lockNow() {
        showLock();
        daemon.lock().exceptionally(e -> null);
    }

    /** The identity is unlocked: the main screen with everything loaded afresh. */
    public void showMain() {
        locked = false;
        closeEverything();
        main = new MainScreen(this);
        showTop(main);
        main.reload();
    }

    /**
     * The main screen, if {@code screen} is still the one showing. The answer to our own create and the
     * daemon's event both say the identity is there; whichever comes second must not close what the
     * user opened in between.
     */
    void showMainInstead(Window screen) {
        if (top == screen) {
            showMain();
        }
    }

    private void showTop(Window window) {
        if (top != null && top.getTextGUI() != null) {
            top.close();
        }
        top = window;
        gui.addWindow(window);
        gui.setActiveWindow(window);
    }

    private void closeEverything() {
        for (Window w : new ArrayList<>(gui.getWindows())) {
            w.close();
        }
        top = null;
    }

    /**
     * Ctrl+Q: leaves the UI. The daemon keeps running and stays unlocked, so messages keep arriving while
     * no UI is open; Ctrl+L is the way to lock.
     */
    public void quit() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        Thread closer = new Thread(() -> {
            AsynchronousTextGUIThread thread = (AsynchronousTextGUIThread) gui.getGUIThread();
            thread.stop();
            try {
                if (Thread.currentThread() != thread.getThread()) {
                    thread.waitForStop(5, TimeUnit.SECONDS);
                }
                screen.stopScreen();
            } catch (IOException e) {
                // The terminal is gone already; nothing to restore.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exited.complete(null);
            }
        }, "jarvis-tui-exit");
        closer.setDaemon(true);
        closer.start();
    }

    // --- the daemon's news ---

    private void connection(JarvisClient.State state) {
        switch (state) {
            case DISCONNECTED -> {
                roster.setDaemonAway(true);
                if (main != null) {
                    main.refresh();
                }
            }
            case CONNECTED -> {
                roster.setDaemonAway(false);
                // The daemon may have restarted (locked) or been locked meanwhile: ask again.
                after(daemon.status(), status -> {
                    String s = status.path("identity").path("state").asText();
                    if ("unlocked".equals(s) && !locked && main != null) {
                        main.reload();
                    } else if ("locked".equals(s)) {
                        showLock();
                    } else if ("none".equals(s)) {
                        showCreate();
                    } else if (main != null) {
                        main.refresh();
                    }
                }, e -> { });
            }
            case CLOSED -> quit();
            default -> { }
        }
    }

    private void handle(Event e) {
        JsonNode data = e.data();
        switch (e.name()) {
            case "identity_locked" -> showLock();
            case "identity_deleted" -> showCreate();
            // Created or imported by another client while this UI waits to create one: nothing left to create.
            case "identity_unlocked" -> {
                if (top instanceof CreateIdentityScreen create) {
                    showMainInstead(create);
                }
            }
            default -> {
                if (main != null && !locked) {
                    main.handle(e.name(), data);
                }
            }
        }
    }

    private void tick() {
        ticks++;
        for (Runnable r : tickers) {
            r.run();
        }
        if (main != null && ticks % 40 == 0) {
            main.minute();
        }
    }

    boolean bannerTick() {
        return ticks % 2 == 0;
    }

    void setGroupsAvailable(boolean available) {
        groupsAvailable = available;
    }

    boolean locked() {
        return locked;
    }

    MainScreen main() {
        return main;
    }
}
