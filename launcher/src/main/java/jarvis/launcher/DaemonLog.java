package jarvis.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The daemon logs through the JDK's logging ({@link System.Logger} in bundles, the OSGi log
 * forwarded by the platform bundle), to rotating files in the data directory and, when asked, to
 * standard error. Levels and the line format come from {@code conf/logging.properties}.
 */
final class DaemonLog {

    static final int FILE_LIMIT_BYTES = 10 * 1024 * 1024;
    static final int FILE_COUNT = 5;

    private DaemonLog() {
    }

    static void configure(Path config, Path logDir, boolean toConsole) throws IOException {
        LogManager manager = LogManager.getLogManager();
        if (Files.isRegularFile(config)) {
            try (InputStream in = Files.newInputStream(config)) {
                manager.readConfiguration(in);
            }
        } else {
            manager.reset();
        }
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        FileHandler file = new FileHandler(logDir.resolve("jarvisd.%g.log").toString(), FILE_LIMIT_BYTES,
                FILE_COUNT, true);
        file.setFormatter(new SimpleFormatter());
        file.setEncoding("UTF-8");
        root.addHandler(file);
        if (toConsole) {
            ConsoleHandler console = new ConsoleHandler();
            console.setFormatter(new SimpleFormatter());
            console.setLevel(java.util.logging.Level.ALL);
            root.addHandler(console);
        }
    }
}
