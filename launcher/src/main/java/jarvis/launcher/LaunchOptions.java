package jarvis.launcher;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/** The command line of {@code bin/jarvisd}. */
record LaunchOptions(Optional<Path> dataDir, boolean console, boolean logToConsole, boolean help) {

    static final String USAGE = """
            Usage: jarvisd [--data-dir DIR] [--console] [--log-console]

            Runs the Jarvis daemon in the foreground until SIGTERM or Ctrl+C.

              --data-dir DIR   data directory (default: $JARVIS_HOME, else $XDG_DATA_HOME/jarvis,
                               else ~/.jarvis)
              --console        attach the Gogo console to this terminal; closing it stops the daemon
              --log-console    also write the log to standard error (it always goes to DIR/logs)
              -h, --help       show this help
            """;

    /** Thrown for a command line we cannot run; the message is meant for the user. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static LaunchOptions parse(String... args) throws UsageException {
        Path dataDir = null;
        boolean console = false;
        boolean logToConsole = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--console" -> console = true;
                case "--log-console" -> logToConsole = true;
                case "-h", "--help" -> help = true;
                case "--data-dir" -> {
                    if (i + 1 >= args.length || args[i + 1].isBlank()) {
                        throw new UsageException("--data-dir needs a directory");
                    }
                    dataDir = Paths.get(args[++i]);
                }
                default -> {
                    if (arg.startsWith("--data-dir=") && arg.length() > "--data-dir=".length()) {
                        dataDir = Paths.get(arg.substring("--data-dir=".length()));
                    } else {
                        throw new UsageException("unknown option: " + arg);
                    }
                }
            }
        }
        return new LaunchOptions(Optional.ofNullable(dataDir), console, logToConsole, help);
    }
}
