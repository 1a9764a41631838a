package jarvis.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** {@code bin/jarvisd} of the unpacked tarball, run as a real process the way a user runs it. */
public class DaemonProcessIT {

    private static final long TIMEOUT_SECONDS = 60;

    private Path dist;
    private Path data;
    private Path cache;
    private Process daemon;

    @Before
    public void unpack() throws Exception {
        dist = Distribution.unpacked();
        data = ContainerSetup.newDirectory("daemon-data");
        cache = ContainerSetup.newDirectory("user-cache");
    }

    @After
    public void killLeftovers() {
        if (daemon != null && daemon.isAlive()) {
            daemon.descendants().forEach(ProcessHandle::destroyForcibly);
            daemon.destroyForcibly();
        }
    }

    private ProcessBuilder jarvisd(String... args) {
        List<String> command = new java.util.ArrayList<>();
        command.add(dist.resolve("bin/jarvisd").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JARVIS_HOME");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // The class data archive goes to the user's cache: a private one per test.
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        return pb;
    }

    /** Completes with the first stdout line containing {@code marker}; collects everything into {@code all}. */
    private static CompletableFuture<String> watch(Process p, String marker, StringBuffer all) {
        CompletableFuture<String> found = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    all.append(line).append('\n');
                    if (line.contains(marker)) {
                        found.complete(line);
                    }
                }
                found.completeExceptionally(new IOException("output ended without '" + marker + "':\n" + all));
            } catch (IOException e) {
                found.completeExceptionally(e);
            }
        }, "jarvisd-output");
        reader.setDaemon(true);
        reader.start();
        return found;
    }

    @Test
    public void startsToReadyAndStopsCleanlyOnSigterm() throws Exception {
        daemon = jarvisd("--data-dir", data.toString()).redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        String ready = watch(daemon, "jarvisd ready", output).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertFalse("bundles not active: " + ready, ready.contains("NOT active"));

        Path readyFile = data.resolve("run/jarvisd.ready");
        Properties status = new Properties();
        try (var in = Files.newInputStream(readyFile)) {
            status.load(in);
        }
        assertEquals(Long.toString(daemon.pid()), status.getProperty("pid"));
        assertEquals("", status.getProperty("inactiveBundles"));
        assertTrue(Integer.parseInt(status.getProperty("activeBundles")) >= 15);
        assertEquals(daemon.pid() + "", Files.readString(data.resolve("run/jarvisd.pid")).trim());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertTrue(Files.readString(data.resolve("logs/jarvisd.0.log")).contains("jarvisd ready"));

        List<ProcessHandle> family = daemon.descendants().toList();
        daemon.destroy(); // SIGTERM
        assertTrue("jarvisd did not stop within the timeout", daemon.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals("exit code after SIGTERM; output:\n" + output, 0, daemon.exitValue());
        for (ProcessHandle p : family) {
            assertFalse("process left behind: " + p.pid(), p.isAlive());
        }
        assertFalse("ready file left behind", Files.exists(readyFile));
        assertFalse("pid file left behind", Files.exists(data.resolve("run/jarvisd.pid")));
    }

    @Test
    public void secondDaemonOnTheSameDataDirectoryIsRefused() throws Exception {
        daemon = jarvisd("--data-dir", data.toString()).redirectErrorStream(true).start();
        watch(daemon, "jarvisd ready", new StringBuffer()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        Process second = jarvisd("--data-dir", data.toString()).redirectErrorStream(true).start();
        assertTrue(second.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(out, 1, second.exitValue());
        assertTrue(out, out.contains("another jarvisd (pid " + daemon.pid() + ") is running"));
        assertTrue("the first daemon must keep running", daemon.isAlive());

        daemon.destroy();
        assertTrue(daemon.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, daemon.exitValue());
    }

    @Test
    public void consoleRunsCommandsAndExitsWithItsInput() throws Exception {
        daemon = jarvisd("--console", "--data-dir", data.toString()).redirectErrorStream(true).start();
        daemon.getOutputStream().write("lb\nfeature:list\n".getBytes(StandardCharsets.UTF_8));
        daemon.getOutputStream().close();
        assertTrue(daemon.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        String out = new String(daemon.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(out, 0, daemon.exitValue());
        assertTrue(out, out.contains("Jarvis platform"));
        assertTrue(out, out.contains("jarvis-transport-tcp  installed  optional"));
        long bundleLines = out.lines().filter(l -> l.matches("\\s*\\d+\\|.*")).count();
        long activeLines = out.lines().filter(l -> l.matches("\\s*\\d+\\|Active .*")).count();
        assertTrue(out, bundleLines >= 15);
        assertEquals("every bundle listed by lb is Active:\n" + out, bundleLines, activeLines);
    }

    @Test
    public void unknownOptionIsAUsageError() throws Exception {
        Process p = jarvisd("--bogus").redirectErrorStream(true).start();
        assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(out, 2, p.exitValue());
        assertTrue(out, out.contains("unknown option: --bogus"));
        assertTrue(out, out.contains("Usage: jarvisd"));
    }

    @Test
    public void dataDirectoryThatIsAFileIsReported() throws Exception {
        Path file = Files.writeString(data.resolve("not-a-dir"), "x");
        Process p = jarvisd("--data-dir", file.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(out, 1, p.exitValue());
        assertTrue(out, out.contains("is not a directory"));
    }

    @Test
    public void featureChoiceSurvivesARestart() throws Exception {
        Process first = jarvisd("--console", "--data-dir", data.toString()).redirectErrorStream(true).start();
        first.getOutputStream().write("feature:uninstall jarvis-transport-tcp\n".getBytes(StandardCharsets.UTF_8));
        first.getOutputStream().close();
        assertTrue(first.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        String out = new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out, out.contains("feature jarvis-transport-tcp uninstalled"));

        Process second = jarvisd("--console", "--data-dir", data.toString()).redirectErrorStream(true).start();
        second.getOutputStream().write("feature:list\nlb\n".getBytes(StandardCharsets.UTF_8));
        second.getOutputStream().close();
        assertTrue(second.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        String listed = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(listed, listed.contains("jarvis-transport-tcp  available  optional"));
        assertFalse(listed, listed.contains("Jarvis TCP transport"));
    }

    private void startAndStop() throws Exception {
        Path stderr = Files.createTempFile(cache, "stderr", ".txt");
        daemon = jarvisd("--data-dir", data.toString()).redirectError(stderr.toFile()).start();
        StringBuffer output = new StringBuffer();
        watch(daemon, "jarvisd ready", output).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        daemon.destroy();
        assertTrue(daemon.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals("exit code; output:\n" + output, 0, daemon.exitValue());
        assertEquals("nothing on stderr", "", Files.readString(stderr));
    }

    private List<String> archives() throws IOException {
        Path dir = cache.resolve("jarvis");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    public void classDataArchiveIsWrittenAdoptedAndADamagedOneIsIgnored() throws Exception {
        startAndStop();
        List<String> first = archives();
        assertEquals("one dump named after the first daemon's pid: " + first, 1, first.size());
        assertTrue(first.get(0), first.get(0).endsWith("." + daemon.pid() + ".jsa"));

        startAndStop();
        List<String> second = archives();
        assertEquals("the dump was adopted as the archive: " + second, 1, second.size());
        assertTrue(second.get(0), second.get(0).matches("jarvisd-\\d+\\.jsa"));

        Path archive = cache.resolve("jarvis").resolve(second.get(0));
        archive.toFile().setWritable(true);
        try (var file = new java.io.RandomAccessFile(archive.toFile(), "rw")) {
            file.seek(file.length() / 2);
            file.write(new byte[4096]);
        }
        startAndStop();
    }
}
