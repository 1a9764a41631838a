package jarvis.tui.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Switches of the daemon of one data directory, kept where the daemon reads them: {@code
 * <data>/etc/conf/<pid>.cfg}, which FileInstall turns into ConfigAdmin configurations of that daemon
 * while it runs (as {@code jarvis init --port} does). The IPC has no settings command, and these are
 * the user's own files.
 */
public final class DaemonSettings {

    /** Desktop notifications (the jarvis.notify bundle). */
    public static final String NOTIFY_PID = "jarvis.notify";
    public static final String NOTIFY_KEY = "enabled";
    /** Read receipts (the messaging bundle). */
    public static final String MESSAGING_PID = "jarvis.messaging";
    public static final String RECEIPTS_KEY = "read.receipts";

    private final Path conf;

    public DaemonSettings(Path dataDir) {
        this.conf = dataDir.resolve("etc").resolve("conf");
    }

    public Path file(String pid) {
        return conf.resolve(pid + ".cfg");
    }

    /** The switch's value in the file, else {@code fallback} (the component's default). */
    public boolean get(String pid, String key, boolean fallback) {
        Path file = file(pid);
        if (!Files.isRegularFile(file)) {
            return fallback;
        }
        try {
            Pattern p = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:]\\s*(\\S+)\\s*$");
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Matcher m = p.matcher(line);
                if (m.matches()) {
                    return Boolean.parseBoolean(m.group(1));
                }
            }
        } catch (IOException e) {
            return fallback;
        }
        return fallback;
    }

    /**
     * Replaces the key's line (or appends one), keeping the rest, and writes atomically: FileInstall
     * polls the folder and must never read half a file. The temporary name does not end in .cfg.
     */
    public void set(String pid, String key, boolean value, String comment) throws IOException {
        Path file = file(pid);
        Files.createDirectories(conf);
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        List<String> out = new ArrayList<>();
        Pattern p = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:].*");
        boolean replaced = false;
        for (String l : lines) {
            if (p.matcher(l).matches()) {
                if (!replaced) {
                    out.add(key + " = " + value);
                    replaced = true;
                }
            } else {
                out.add(l);
            }
        }
        if (!replaced) {
            if (lines.isEmpty()) {
                out.add("# " + comment);
            }
            out.add(key + " = " + value);
        }
        Path tmp = conf.resolve("." + pid + ".cfg.tmp");
        Files.write(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
