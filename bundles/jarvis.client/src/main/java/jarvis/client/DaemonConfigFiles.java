package jarvis.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings of the daemon of one data directory, where that daemon reads them: {@code <data>/etc/conf/<pid>.cfg},
 * which FileInstall turns into ConfigAdmin configurations (and applies while the daemon runs, within its poll
 * interval). The files are the user's own: a change keeps every other line of the file.
 */
public final class DaemonConfigFiles {

    private final Path conf;

    public DaemonConfigFiles(Path dataDir) {
        this.conf = dataDir.resolve("etc").resolve("conf");
    }

    public Path file(String pid) {
        return conf.resolve(pid + ".cfg");
    }

    /** The key's value in the pid's file, if the file sets it. */
    public Optional<String> get(String pid, String key) throws IOException {
        Path file = file(pid);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Pattern p = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:]\\s*(.*?)\\s*$");
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /**
     * Replaces the key's line (or appends one; a new file starts with {@code comment}), keeping the rest of the
     * file, and writes atomically: FileInstall polls the folder and must never read half a file. The temporary
     * name does not end in .cfg, so FileInstall ignores it.
     */
    public void set(String pid, String key, String value, String comment) throws IOException {
        Path file = file(pid);
        Files.createDirectories(conf);
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        List<String> out = new ArrayList<>();
        Pattern line = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:].*");
        boolean replaced = false;
        for (String l : lines) {
            if (line.matcher(l).matches()) {
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
