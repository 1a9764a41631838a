package jarvis.ipc.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The files by which local clients find and authenticate to the daemon, all in {@code <data>/run}
 * (mode 0700): the Unix socket, the TCP port and the TCP token (both mode 0600).
 */
final class RunFiles {

    static final String SOCKET = "jarvisd.sock";
    static final String PORT = "ipc.port";
    static final String TOKEN = "ipc.token";

    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private final boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    RunFiles(Path dataDir) {
        this.dir = dataDir.resolve("run");
    }

    Path socket() {
        return dir.resolve(SOCKET);
    }

    Path port() {
        return dir.resolve(PORT);
    }

    Path token() {
        return dir.resolve(TOKEN);
    }

    /** Creates {@code run/} if needed and makes it private: it is what keeps other users off the socket. */
    void prepare() throws IOException {
        Files.createDirectories(dir);
        if (posix) {
            Files.setPosixFilePermissions(dir, PRIVATE_DIR);
        }
    }

    /** Narrows a file the daemon created (the bound socket) to its owner. */
    void makePrivate(Path file) throws IOException {
        if (posix) {
            Files.setPosixFilePermissions(file, PRIVATE_FILE);
        }
    }

    /** Writes {@code text} atomically to a file that is 0600 from its first byte (a token never sits in a wider file). */
    void writePrivate(Path target, String text) throws IOException {
        Path tmp = posix
                ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(PRIVATE_FILE))
                : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.getLogger(RunFiles.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot delete " + file + ": " + e.getMessage());
        }
    }
}
