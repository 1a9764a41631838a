package jarvis.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Connects to a daemon's Unix socket from a separate JVM, optionally as another user ({@code nobody}, through
 * {@code setpriv}, which needs root). The probe is a single-file Java program: it prints {@code CONNECTED} or
 * {@code REFUSED <reason>}.
 */
final class OtherUser {

    static final int NOBODY = 65534;

    private static final String PROBE = """
            import java.net.StandardProtocolFamily;
            import java.net.UnixDomainSocketAddress;
            import java.nio.channels.SocketChannel;
            import java.nio.file.Path;

            public class Probe {
                public static void main(String[] args) {
                    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                        c.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
                        System.out.println("CONNECTED");
                    } catch (Exception e) {
                        System.out.println("REFUSED " + e);
                    }
                }
            }
            """;

    private OtherUser() {
    }

    /** Whether this test can run a process as another user: root with {@code setpriv} on the PATH. */
    static Optional<Path> setpriv() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.empty();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Paths.get(dir, "setpriv");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The probe's answer when run as this user ({@code asNobody} false) or as {@code nobody}. */
    static String connect(Path socket, boolean asNobody) throws IOException, InterruptedException {
        // A folder every user can read, outside the data directory the probe is kept out of.
        Path dir = Files.createTempDirectory("jarvis-probe", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path probe = dir.resolve("Probe.java");
        Files.writeString(probe, PROBE, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> command = new ArrayList<>();
        if (asNobody) {
            command.addAll(List.of(setpriv().orElseThrow().toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY,
                    "--clear-groups", "--"));
        }
        command.addAll(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", probe.toString(), socket.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the socket probe did not finish within 60 s");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            Files.deleteIfExists(probe);
            Files.deleteIfExists(dir);
        }
    }
}
