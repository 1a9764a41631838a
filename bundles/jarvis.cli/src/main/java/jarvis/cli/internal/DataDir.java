package jarvis.cli.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/** Where the daemon's data directory is: the same rule as bin/jarvisd, so both name the same daemon. */
public final class DataDir {

    private DataDir() {
    }

    /** {@code --data-dir}, else {@code $JARVIS_HOME}, else {@code $XDG_DATA_HOME/jarvis}, else {@code ~/.jarvis}. */
    public static Path locate(String option, Map<String, String> env, String userHome) {
        Path dir;
        if (option != null && !option.isBlank()) {
            dir = Paths.get(option);
        } else if (nonBlank(env.get("JARVIS_HOME"))) {
            dir = Paths.get(env.get("JARVIS_HOME"));
        } else if (nonBlank(env.get("XDG_DATA_HOME"))) {
            dir = Paths.get(env.get("XDG_DATA_HOME"), "jarvis");
        } else {
            dir = Paths.get(userHome, ".jarvis");
        }
        // Absolute: the path is handed to a detached daemon whose working directory may differ.
        return dir.toAbsolutePath().normalize();
    }

    private static boolean nonBlank(String s) {
        return s != null && !s.isBlank();
    }
}
