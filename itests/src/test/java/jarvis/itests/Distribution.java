package jarvis.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The built distribution tarball, unpacked with {@code tar} as a user would. */
final class Distribution {

    private static Path unpacked;

    private Distribution() {
    }

    static Path work() throws IOException {
        return Files.createDirectories(Paths.get(System.getProperty("jarvis.itest.work", "target/itest-work")));
    }

    /** The distribution's root folder, unpacked once per JVM. */
    static synchronized Path unpacked() throws IOException, InterruptedException {
        if (unpacked == null) {
            Path tarball = Paths.get(System.getProperty("jarvis.dist.tarball"));
            if (!Files.isRegularFile(tarball)) {
                throw new IOException("distribution tarball missing: " + tarball + " (build the launcher module)");
            }
            Path dir = Files.createTempDirectory(work(), "dist");
            Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", dir.toString())
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes());
            if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                throw new IOException("tar failed: " + output);
            }
            try (Stream<Path> top = Files.list(dir)) {
                List<Path> roots = top.toList();
                if (roots.size() != 1) {
                    throw new IOException("expected one top folder in the tarball, found " + roots);
                }
                unpacked = roots.get(0);
            }
        }
        return unpacked;
    }

    static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    static List<Path> featureDirs(Path root) throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }
}
