package jarvis.cli.internal;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Wakes a command waiting for a daemon when that daemon makes visible progress: something appears,
 * changes or goes in {@code run/} (pid file, IPC socket, ready file), or the process we started exits.
 * Waiting on these events instead of probing on a timer answers as soon as the daemon is ready.
 * A wait still ends after {@link #RECHECK_NANOS}: a watch can miss events (an overflowing inotify queue,
 * network file systems), and a daemon started by someone else exits without telling us.
 */
final class DaemonProgress implements AutoCloseable {

    static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final BlockingQueue<Boolean> wakes = new LinkedBlockingQueue<>();
    private final WatchService watch;

    DaemonProgress(Path runDir, Optional<ProcessHandle> process) {
        watch = watch(runDir);
        if (watch != null) {
            Thread pump = new Thread(this::pump, "jarvis-run-dir-watch");
            pump.setDaemon(true);
            pump.start();
        }
        process.ifPresent(p -> p.onExit().thenRun(() -> wakes.offer(Boolean.TRUE)));
    }

    private static WatchService watch(Path runDir) {
        WatchService service = null;
        try {
            if (!Files.isDirectory(runDir)) {
                return null;
            }
            service = runDir.getFileSystem().newWatchService();
            runDir.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
            return service;
        } catch (IOException | UnsupportedOperationException e) {
            // Without a watch (or without run/) every wait simply lasts RECHECK_NANOS: slower, still correct.
            closeQuietly(service);
            return null;
        }
    }

    private void pump() {
        try {
            while (true) {
                WatchKey key = watch.take();
                key.pollEvents();
                wakes.offer(Boolean.TRUE);
                if (!key.reset()) {
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: the waiting command is done
        }
    }

    /** Returns after the next sign of progress, at the deadline, or after {@link #RECHECK_NANOS}, whichever is first. */
    void await(long deadlineNanos) {
        long wait = Math.min(RECHECK_NANOS, deadlineNanos - System.nanoTime());
        if (wait <= 0) {
            return;
        }
        try {
            if (wakes.poll(wait, TimeUnit.NANOSECONDS) != null) {
                wakes.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closeQuietly(watch);
    }

    private static void closeQuietly(WatchService service) {
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
