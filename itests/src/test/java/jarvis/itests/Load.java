package jarvis.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/** The machine's load average, printed beside every figure a system test reports (runs share the cores). */
final class Load {

    private Load() {
    }

    static String now() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2] + " on " + Runtime.getRuntime().availableProcessors() + " cores";
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
