package jarvis.cli.internal;

import java.io.IOException;
import java.nio.file.Path;

import jarvis.client.DaemonConfigFiles;

/**
 * Settings of one daemon: {@code <data>/etc/conf/*.cfg}, which FileInstall turns into ConfigAdmin
 * configurations of the daemon of that data directory (and applies to it while it runs, within its
 * poll interval). Settings for every daemon of an installation stay in its {@code conf/}.
 */
public final class DaemonConfig {

    static final String TRANSPORT_PID = "jarvis.transport.tcp";
    static final String CONTACTS_PID = "jarvis.contacts";

    private final DaemonConfigFiles files;

    public DaemonConfig(Path dataDir) {
        this.files = new DaemonConfigFiles(dataDir);
    }

    public Path file(String pid) {
        return files.file(pid);
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

    void set(String pid, String key, String value, String comment) throws CliException {
        try {
            files.set(pid, key, value, comment);
        } catch (IOException e) {
            throw new CliException(ExitCode.ERROR, "cannot write " + file(pid) + ": " + e.getMessage(), e);
        }
    }
}
