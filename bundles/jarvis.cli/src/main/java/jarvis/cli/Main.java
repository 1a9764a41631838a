package jarvis.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

import jarvis.cli.internal.Args;
import jarvis.cli.internal.CliException;
import jarvis.cli.internal.Commands;
import jarvis.cli.internal.DataDir;
import jarvis.cli.internal.ExitCode;
import jarvis.cli.internal.Output;

/** {@code bin/jarvis}: the user's command for the daemon (docs/cli.md). */
public final class Main {

    /** Long enough for a cold daemon start on a slow machine, and for Argon2id on unlock. */
    static final int DEFAULT_TIMEOUT_SECONDS = 60;

    private Main() {
    }

    public static void main(String[] argv) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        int code = run(argv, out, err);
        out.flush();
        err.flush();
        // exit, not return: the client library's threads must not keep a finished command alive.
        System.exit(code);
    }

    static int run(String[] argv, PrintStream stdout, PrintStream stderr) {
        boolean json = false;
        for (String a : argv) {
            if (a.equals("--")) {
                break;
            }
            json |= a.equals("--json");
        }
        Output out = new Output(json, stdout, stderr);
        try {
            Args args = Args.parse(argv);
            if (args.flag("help")) {
                out.result(out.object().put("usage", Commands.USAGE), Commands.USAGE);
                return ExitCode.OK;
            }
            int seconds = args.intOption("timeout", 1, 3600).orElse(DEFAULT_TIMEOUT_SECONDS);
            Path dataDir = DataDir.locate(args.option("data-dir").orElse(null), System.getenv(),
                    System.getProperty("user.home"));
            return new Commands(args, out, install(), dataDir, Duration.ofSeconds(seconds), System.console(), System.in)
                    .run();
        } catch (Commands.Reported e) {
            return e.exitCode();
        } catch (CliException e) {
            out.failure(e, null);
            if (e.exitCode() == ExitCode.USAGE && !json) {
                stderr.println("Run 'jarvis --help' for the commands and options.");
            }
            return e.exitCode();
        } catch (RuntimeException e) {
            out.failure(new CliException(ExitCode.ERROR, "internal error: " + e), null);
            return ExitCode.ERROR;
        }
    }

    /** {@code -Djarvis.install} (set by bin/jarvis), else the folder two levels above lib/cli/. */
    static Path install() {
        String prop = System.getProperty("jarvis.install");
        if (prop != null && !prop.isBlank()) {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        try {
            Path jar = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent().getParent();
        } catch (Exception e) {
            return Paths.get("").toAbsolutePath();
        }
    }
}
