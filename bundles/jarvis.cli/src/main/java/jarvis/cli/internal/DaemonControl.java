package jarvis.cli.internal;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Starts, stops and probes the daemon of one data directory. "Running" means its IPC answers; the
 * pid file ({@code run/jarvisd.pid}) only says which process to wait for or signal, because after a
 * crash it names a dead (or reused) pid. The daemon's own lock on {@code run/jarvisd.lock} is what
 * guarantees one daemon per data directory; this class never tries to be a second lock.
 */
public final class DaemonControl {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final Path install;
    private final Path dataDir;

    public DaemonControl(Path install, Path dataDir) {
        this.install = install;
        this.dataDir = dataDir;
    }

    public Path dataDir() {
        return dataDir;
    }

    Path runDir() {
        return dataDir.resolve("run");
    }

    /** Where a detached daemon's stdout and stderr go (its real log is logs/jarvisd.0.log). */
    public Path outputFile() {
        return dataDir.resolve("logs").resolve("jarvisd.out");
    }

    /** The pid in run/jarvisd.pid if that process is alive; a stale file (dead pid) gives empty. */
    public OptionalLong livePid() {
        OptionalLong pid = pidFile();
        if (pid.isPresent() && ProcessHandle.of(pid.getAsLong()).filter(DaemonControl::isJarvisd).isPresent()) {
            return pid;
        }
        return OptionalLong.empty();
    }

    /**
     * Whether a live process is a jarvisd: after a crash the pid in the file may have been reused by
     * an unrelated process, which must be neither waited for nor sent SIGTERM.
     */
    static boolean isJarvisd(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        Optional<String> commandLine = p.info().commandLine();
        if (commandLine.isPresent()) {
            return commandLine.get().contains("jarvis.launcher.Main");
        }
        // Some systems hide other processes' arguments; the executable is the next best sign.
        return p.info().command().map(c -> c.endsWith("java")).orElse(true);
    }

    /** The pid written in run/jarvisd.pid, alive or not. */
    public OptionalLong pidFile() {
        try {
            String text = Files.readString(runDir().resolve("jarvisd.pid"), StandardCharsets.US_ASCII).trim();
            return OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Whether the daemon's IPC answers a ping now. */
    public boolean answers() {
        try (Ipc ipc = Ipc.tryConnect(dataDir, PROBE_TIMEOUT)) {
            if (ipc == null) {
                return false;
            }
            return "pong".equals(ipc.call("ping").path("message").asText());
        } catch (CliException e) {
            return false;
        }
    }

    /** What {@link #start} found or did. */
    public record Started(boolean alreadyRunning, OptionalLong pid, long millis) {
    }

    /**
     * Starts {@code bin/jarvisd} detached unless a daemon answers already, and waits until its IPC
     * answers. Two of these at once start two processes; the daemon's lock makes one of them exit,
     * and both callers then see the survivor answer, so both succeed.
     */
    public Started start(Duration timeout) throws CliException {
        long begin = System.nanoTime();
        if (answers()) {
            return new Started(true, livePid(), 0);
        }
        // A live pid without IPC: a daemon still starting (or one without the IPC feature). Do not
        // start another, which would only be refused by its lock; wait for this one instead.
        OptionalLong starting = livePid();
        Process child = null;
        long outputStart = 0;
        if (starting.isEmpty()) {
            Path jarvisd = install.resolve("bin").resolve("jarvisd");
            if (!Files.isExecutable(jarvisd)) {
                throw new CliException(ExitCode.ERROR, "cannot start the daemon: " + jarvisd + " is missing");
            }
            try {
                prepareDirs();
                Path out = outputFile();
                outputStart = Files.exists(out) ? Files.size(out) : 0;
                List<String> command = new ArrayList<>();
                // A new session: the daemon must not get the terminal's SIGHUP or Ctrl+C meant for
                // this command, nor keep our stdout open (a caller reading it to EOF would hang).
                setsid().ifPresent(command::add);
                command.add(jarvisd.toString());
                command.add("--data-dir");
                command.add(dataDir.toString());
                ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                        .redirectErrorStream(true);
                child = pb.start();
            } catch (IOException e) {
                throw new CliException(ExitCode.ERROR, "cannot start jarvisd: " + e.getMessage(), e);
            }
        }
        long deadline = begin + timeout.toNanos();
        Optional<ProcessHandle> waitedFor = child != null ? Optional.of(child.toHandle())
                : ProcessHandle.of(starting.orElse(-1));
        try (DaemonProgress progress = new DaemonProgress(runDir(), waitedFor)) {
            return awaitAnswer(begin, deadline, child, outputStart, progress);
        }
    }

    private Started awaitAnswer(long begin, long deadline, Process child, long outputStart, DaemonProgress progress)
            throws CliException {
        while (System.nanoTime() < deadline) {
            if (answers()) {
                OptionalLong pid = livePid();
                // Ours exited but one answers: a concurrent start won the lock. Still a success.
                boolean ours = child != null && (pid.isPresent() ? pid.getAsLong() == child.pid() : child.isAlive());
                return new Started(!ours, pid, (System.nanoTime() - begin) / 1_000_000);
            }
            if (child != null && !child.isAlive() && child.exitValue() != 0 && livePid().isEmpty()) {
                throw new CliException(ExitCode.ERROR, "jarvisd exited with code " + child.exitValue()
                        + ":\n" + tail(outputStart) + "(see " + dataDir.resolve("logs") + ")");
            }
            if (child == null && livePid().isEmpty() && !answers()) {
                // The daemon we were waiting for went away without answering; start one ourselves.
                return start(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            progress.await(deadline);
        }
        long timeoutSeconds = TimeUnit.NANOSECONDS.toSeconds(deadline - begin);
        throw new CliException(ExitCode.ERROR, "jarvisd did not answer within " + timeoutSeconds
                + " s (see " + dataDir.resolve("logs") + ")" + (child != null ? ":\n" + tail(outputStart) : ""));
    }

    /** What {@link #stop} did. */
    public record Stopped(boolean wasRunning, OptionalLong pid, boolean signalled) {
    }

    /**
     * Asks the daemon to shut down over IPC and waits for its process to exit; if it does not (or
     * only the pid answers), sends SIGTERM, which the daemon also turns into a clean stop.
     */
    public Stopped stop(Duration timeout) throws CliException {
        OptionalLong pid = livePid();
        boolean asked = false;
        try (Ipc ipc = Ipc.tryConnect(dataDir, PROBE_TIMEOUT)) {
            if (ipc != null) {
                ipc.call("shutdown");
                asked = true;
            }
        } catch (CliException e) {
            // The connection closing as the daemon stops is expected; the wait below decides.
            asked = true;
        }
        if (!asked && pid.isEmpty()) {
            return new Stopped(false, OptionalLong.empty(), false);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        if (asked && waitGone(pid, deadline)) {
            return new Stopped(true, pid, false);
        }
        if (pid.isEmpty()) {
            throw new CliException(ExitCode.ERROR, "jarvisd accepted the shutdown but still answers after "
                    + timeout.toSeconds() + " s, and run/jarvisd.pid names no live process");
        }
        ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroy); // SIGTERM
        if (waitGone(pid, System.nanoTime() + timeout.toNanos())) {
            return new Stopped(true, pid, true);
        }
        throw new CliException(ExitCode.ERROR, "jarvisd (pid " + pid.getAsLong() + ") did not stop within "
                + 2 * timeout.toSeconds() + " s, even after SIGTERM");
    }

    /** Waits for the daemon's process to exit (its exit event), or without a pid until its IPC stops answering. */
    private boolean waitGone(OptionalLong pid, long deadline) {
        if (pid.isPresent()) {
            Optional<ProcessHandle> process = ProcessHandle.of(pid.getAsLong()).filter(DaemonControl::isJarvisd);
            if (process.isEmpty()) {
                return true;
            }
            try {
                process.get().onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                return !process.get().isAlive();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        try (DaemonProgress progress = new DaemonProgress(runDir(), Optional.empty())) {
            while (System.nanoTime() < deadline) {
                if (!answers()) {
                    return true;
                }
                progress.await(deadline);
            }
        }
        return false;
    }

    /** The daemon's ready file (pid, start-up time, bundles), if present. */
    public Optional<String> readyFile() {
        try {
            return Optional.of(Files.readString(runDir().resolve("jarvisd.ready"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Status of the daemon process for {@code jarvis daemon status} and {@code jarvis status}. */
    public JsonNode describe(Output output) {
        var node = output.object();
        node.put("data_dir", dataDir.toString());
        boolean answers = answers();
        OptionalLong pid = livePid();
        node.put("running", answers);
        if (pid.isPresent()) {
            node.put("pid", pid.getAsLong());
        } else {
            node.putNull("pid");
        }
        node.put("state", answers ? "running" : pid.isPresent() ? "not_answering" : "stopped");
        OptionalLong stale = pidFile();
        node.put("stale_pid_file", !answers && pid.isEmpty() && stale.isPresent());
        return node;
    }

    private void prepareDirs() throws IOException {
        // Private like the daemon makes it (0700): the log may name contacts. run/ is made here so that
        // the start can watch it for the daemon's pid file, socket and ready file.
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        for (Path dir : new Path[] {dataDir, dataDir.resolve("logs"), runDir()}) {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                if (posix) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                }
            }
        }
    }

    private String tail(long from) {
        Path out = outputFile();
        try (RandomAccessFile f = new RandomAccessFile(out.toFile(), "r")) {
            long start = Math.max(from, f.length() - 4096);
            f.seek(start);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<String> setsid() {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(path == null ? List.of() : List.of(path.split(File.pathSeparator)));
        dirs.add("/usr/bin");
        dirs.add("/bin");
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
