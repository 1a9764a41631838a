package jarvis.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.logging.Level;
import java.util.logging.Logger;

import sun.misc.Signal;

/**
 * {@code bin/jarvisd}: runs the daemon in the foreground. SIGTERM, SIGINT and SIGHUP stop it
 * cleanly with exit code 0; the JVM's default handling would exit with 128 + signal instead.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (LaunchOptions.UsageException e) {
            System.err.println("jarvisd: " + e.getMessage());
            System.err.print(LaunchOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            System.out.print(LaunchOptions.USAGE);
            return 0;
        }
        Path install = installDirectory();
        DataDirectory data;
        try {
            data = DataDirectory.prepare(DataDirectory.locate(options.dataDir(), System.getenv(),
                    System.getProperty("user.home")));
            DaemonLog.configure(install.resolve("conf").resolve("logging.properties"), data.logs(),
                    options.logToConsole());
        } catch (IOException | RuntimeException e) {
            System.err.println("jarvisd: cannot prepare the data directory: " + e.getMessage());
            return 1;
        }
        Logger log = Logger.getLogger(Main.class.getName());
        try (DaemonLock lock = DaemonLock.acquire(data.run())) {
            Daemon daemon = new Daemon(install, data, options);
            for (String signal : new String[] {"TERM", "INT", "HUP"}) {
                Signal.handle(new Signal(signal), s -> daemon.requestStop());
            }
            // Any other way out of the JVM (System.exit from a bundle, a fatal error) still stops cleanly.
            Thread hook = new Thread(() -> {
                daemon.requestStop();
                daemon.awaitStopped();
            }, "jarvisd-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            log.info("jarvisd starting: install " + install + ", data " + data.root());
            int code = daemon.run();
            Runtime.getRuntime().removeShutdownHook(hook);
            return code;
        } catch (IOException e) {
            System.err.println("jarvisd: " + e.getMessage());
            log.log(Level.SEVERE, e.getMessage(), e);
            return 1;
        } catch (Exception e) {
            System.err.println("jarvisd: start-up failed: " + e);
            log.log(Level.SEVERE, "start-up failed", e);
            return 1;
        }
    }

    /** {@code -Djarvis.install} (set by bin/jarvisd), else the folder above the launcher jar's lib/. */
    static Path installDirectory() {
        String prop = System.getProperty("jarvis.install");
        if (prop != null && !prop.isBlank()) {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        try {
            Path jar = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = Files.isDirectory(jar) ? jar : jar.getParent();
            return lib.getParent().toAbsolutePath().normalize();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot locate the installation", e);
        }
    }
}
