package jarvis.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Settings of one daemon: {@code <data>/etc/conf/*.cfg}, which FileInstall turns into ConfigAdmin
 * configurations of the daemon of that data directory (and applies to it while it runs, within its
 * poll interval). Settings for every daemon of an installation stay in its {@code conf/}.
 */
public final class DaemonConfig {

    static final String TRANSPORT_PID = "jarvis.transport.tcp";
    static final String CONTACTS_PID = "jarvis.contacts";

    private final Path conf;

    public DaemonConfig(Path dataDir) {
        this.conf = dataDir.resolve("etc").resolve("conf");
    }

    public Path file(String pid) {
        return conf.resolve(pid + ".cfg");
    }

    /** Sets {@code transport.listen}; {@code advertised} (may be null) becomes {@code advertised.endpoints}. */
    public void setP2p(String listen, String advertised) throws CliException {
        set(TRANSPORT_PID, "transport.listen", listen,
                "The P2P listen endpoint of this daemon (jarvis init --port).");
        if (advertised != null) {
            set(CONTACTS_PID, "advertised.endpoints", advertised,
                    "Where peers reach us; put into our link code (jarvis init --port / --advertise).");
        }
    }

    /**
     * Replaces the key's line (or appends one), keeping the rest of the file, and writes atomically:
     * FileInstall polls the folder and must never read half a file. The temporary name does not end in
     * .cfg, so FileInstall ignores it.
     */
    void set(String pid, String key, String value, String comment) throws CliException {
        Path file = file(pid);
        try {
            Files.createDirectories(conf);
            List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
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
        } catch (IOException e) {
            throw new CliException(ExitCode.ERROR, "cannot write " + file + ": "
                    + e.getMessage(), e);
        }
    }
}
