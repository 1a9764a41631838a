package jarvis.tui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import jarvis.tui.internal.JarvisTerminal;

/**
 * The terminal UI on the user's terminal; {@code bin/jarvis} with no command calls {@link #run} after
 * making sure the daemon runs.
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs the UI until the user quits.
     *
     * @return the exit code: 0
     * @throws IOException if the terminal cannot be set up or no daemon answers for {@code dataDir}
     */
    public static int run(Path dataDir) throws IOException {
        JarvisTerminal terminal = new JarvisTerminal();
        try (TerminalUi ui = TerminalUi.open(dataDir, terminal, terminal::writeRaw)) {
            ui.exited().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IOException("the terminal UI failed: " + e.getCause(), e.getCause());
        } finally {
            terminal.close();
        }
        return 0;
    }
}
