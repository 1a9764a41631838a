package jarvis.itests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One unpacked installation of the distribution tarball with its own {@code conf/*.cfg}, and
 * {@code bin/jarvis} run as a real process against one data directory. Two daemons on one machine
 * need different P2P ports, and the port is an installation setting (docs/cli.md), hence one
 * installation per daemon.
 */
final class CliInstall {

    /** Every command is bounded; a daemon start is the slowest (a cold JVM plus the framework). */
    static final long COMMAND_TIMEOUT_SECONDS = 90;

    final Path root;
    final Path data;
    private final Path cache;

    private CliInstall(Path root, Path data, Path cache) {
        this.root = root;
        this.data = data;
        this.cache = cache;
    }

    /** Unpacks the tarball into a fresh folder (a private copy: tests write its conf/). */
    static CliInstall unpack(String name, Path cache) throws Exception {
        return unpack(name, cache, Files.createTempDirectory(Distribution.work(), "data-" + name));
    }

    /** As {@link #unpack(String, Path)}, with the data directory given (for example on a small file system). */
    static CliInstall unpack(String name, Path cache, Path data) throws Exception {
        Path tarball = Paths.get(System.getProperty("jarvis.dist.tarball"));
        if (!Files.isRegularFile(tarball)) {
            throw new IOException("distribution tarball missing: " + tarball + " (build the launcher module)");
        }
        Path dir = Files.createTempDirectory(Distribution.work(), "install-" + name);
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
            throw new IOException("tar failed: " + output);
        }
        Path root;
        try (Stream<Path> top = Files.list(dir)) {
            root = top.findFirst().orElseThrow(() -> new IOException("empty tarball"));
        }
        return new CliInstall(root, data, cache);
    }

    void writeConf(String pid, String... lines) throws IOException {
        Files.write(root.resolve("conf").resolve(pid + ".cfg"), List.of(lines), StandardCharsets.UTF_8);
    }

    /** A free loopback port (free now; the daemon binds it moments later). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The result of one {@code bin/jarvis} run. */
    record Result(int code, String out, String err) {

        String field(String name) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"([^\"]*)\"").matcher(out);
            if (!m.find()) {
                throw new AssertionError("no \"" + name + "\" in " + this);
            }
            return m.group(1);
        }

        int count(String text) {
            int n = 0;
            for (int i = out.indexOf(text); i >= 0; i = out.indexOf(text, i + 1)) {
                n++;
            }
            return n;
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    /** Starts {@code bin/jarvis --data-dir DATA ARGS}; {@code stdin} (may be null) is written and closed. */
    Process start(String stdin, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("bin/jarvis").toString());
        command.add("--data-dir");
        command.add(data.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JARVIS_HOME");
        pb.environment().remove("JARVIS_JAVA_OPTS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // The daemon's class data archive goes to the user's cache: a private one per test.
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        Path out = Files.createTempFile(cache, "out", ".txt");
        Path err = Files.createTempFile(cache, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        outputs.put(p, new Path[] {out, err});
        return p;
    }

    private final java.util.Map<Process, Path[]> outputs = new java.util.concurrent.ConcurrentHashMap<>();

    Result await(Process p) throws Exception {
        if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/jarvis did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
        }
        Path[] files = outputs.remove(p);
        return new Result(p.exitValue(), Files.readString(files[0]).trim(), Files.readString(files[1]).trim());
    }

    Result run(String... args) throws Exception {
        return await(start(null, args));
    }

    Result runWithInput(String stdin, String... args) throws Exception {
        return await(start(stdin, args));
    }

    /** Every live jarvisd process of this data directory (found by its command line, not by files). */
    List<ProcessHandle> daemons() {
        String marker = "--data-dir " + data;
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("jarvis.launcher.Main") && c.contains(marker))
                        .orElse(false))
                .toList();
    }

    long pidFromFile() throws IOException {
        return Long.parseLong(Files.readString(data.resolve("run/jarvisd.pid")).trim());
    }
}
