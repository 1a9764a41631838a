package jarvis.launcher;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The daemon's data directory: identity, store, settings, logs, run files and the framework cache.
 * Private to the user (0700), because everything in it belongs to one account.
 */
final class DataDirectory {

    static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path root;

    private DataDirectory(Path root) {
        this.root = root;
    }

    /** {@code --data-dir}, else {@code $JARVIS_HOME}, else {@code $XDG_DATA_HOME/jarvis}, else {@code ~/.jarvis}. */
    static Path locate(Optional<Path> option, Map<String, String> env, String userHome) {
        if (option.isPresent()) {
            return option.get().toAbsolutePath().normalize();
        }
        String home = env.get("JARVIS_HOME");
        if (home != null && !home.isBlank()) {
            return Paths.get(home).toAbsolutePath().normalize();
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Paths.get(xdg, "jarvis").toAbsolutePath().normalize();
        }
        return Paths.get(userHome, ".jarvis").toAbsolutePath().normalize();
    }

    /** Creates the directory and its parts if needed and makes the root private. */
    static DataDirectory prepare(Path root) throws IOException {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new IOException("data directory " + root + " exists and is not a directory");
        }
        Files.createDirectories(root);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(root, PRIVATE_DIR);
        }
        DataDirectory dir = new DataDirectory(root);
        for (Path p : new Path[] {dir.logs(), dir.run(), dir.etc(), dir.etc().resolve("conf")}) {
            Files.createDirectories(p);
        }
        return dir;
    }

    Path root() {
        return root;
    }

    Path logs() {
        return root.resolve("logs");
    }

    Path run() {
        return root.resolve("run");
    }

    Path etc() {
        return root.resolve("etc");
    }

    /** The OSGi framework cache: rebuilt at every start, never holds user data. */
    Path cache() {
        return root.resolve("cache");
    }
}
