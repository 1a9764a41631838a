package jarvis.tui;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.Terminal;

import jarvis.client.ClientOptions;
import jarvis.client.JarvisClient;
import jarvis.tui.internal.App;
import jarvis.tui.internal.Clipboard;

/**
 * The terminal UI on a terminal of the caller's choice: the user's tty ({@link Main}) or a Lanterna
 * virtual terminal in tests. It connects to the daemon of a data directory like every other client.
 */
public final class TerminalUi implements AutoCloseable {

    private final JarvisClient client;
    private final App app;

    private TerminalUi(JarvisClient client, App app) {
        this.client = client;
        this.app = app;
    }

    /**
     * Connects to the daemon of {@code dataDir} and opens the UI on {@code terminal}.
     *
     * @param rawOutput where the clipboard's escape sequence goes (the terminal's raw output)
     */
    public static TerminalUi open(Path dataDir, Terminal terminal, Consumer<byte[]> rawOutput) throws IOException {
        return open(dataDir, terminal, rawOutput, Path.of(System.getProperty("user.home", "/")));
    }

    /**
     * As {@link #open(Path, Terminal, Consumer)}, with the home folder given: the file chooser starts
     * there and relative export paths are taken from it.
     */
    public static TerminalUi open(Path dataDir, Terminal terminal, Consumer<byte[]> rawOutput, Path home)
            throws IOException {
        // Unlocking runs Argon2id in the daemon; a request may wait longer than a command would.
        JarvisClient client = JarvisClient.connect(dataDir, ClientOptions.defaults()
                .withRequestTimeout(java.time.Duration.ofSeconds(60)));
        try {
            App app = new App(client, new TerminalScreen(terminal), new App.Options(dataDir, new Clipboard(rawOutput),
                    Instant::now, ZoneId.systemDefault(), home.toAbsolutePath()));
            app.start();
            return new TerminalUi(client, app);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Completes when the user quit. */
    public CompletableFuture<Void> exited() {
        return app.exited();
    }

    /** Leaves the UI (as Ctrl+Q) and disconnects; the daemon keeps running. */
    @Override
    public void close() {
        app.quit();
        try {
            app.exited().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            // Closing anyway: the terminal is the caller's.
        } finally {
            client.close();
        }
    }
}
