package jarvis.tui.internal;

import java.io.IOException;
import java.nio.file.Path;

import jarvis.client.DaemonConfigFiles;

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

    private final DaemonConfigFiles files;

    public DaemonSettings(Path dataDir) {
        this.files = new DaemonConfigFiles(dataDir);
    }

    public Path file(String pid) {
        return files.file(pid);
    }

    /** The switch's value in the file, else {@code fallback} (the component's default). */
    public boolean get(String pid, String key, boolean fallback) {
        try {
            return files.get(pid, key).map(Boolean::parseBoolean).orElse(fallback);
        } catch (IOException e) {
            return fallback;
        }
    }

    /** Writes the switch (see {@link DaemonConfigFiles#set}). */
    public void set(String pid, String key, boolean value, String comment) throws IOException {
        files.set(pid, key, Boolean.toString(value), comment);
    }
}
