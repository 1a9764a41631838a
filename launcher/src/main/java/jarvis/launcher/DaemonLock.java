package jarvis.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One daemon per data directory: an OS file lock (released by the kernel even on {@code kill -9},
 * so a stale pid file never blocks a start) plus a pid file for humans and scripts.
 */
final class DaemonLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;
    private final Path pidFile;

    private DaemonLock(FileChannel channel, FileLock lock, Path pidFile) {
        this.channel = channel;
        this.lock = lock;
        this.pidFile = pidFile;
    }

    /**
     * @throws IOException with a user-facing message when another daemon holds the directory
     */
    static DaemonLock acquire(Path runDir) throws IOException {
        Path lockFile = runDir.resolve("jarvisd.lock");
        Path pidFile = runDir.resolve("jarvisd.pid");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very JVM: just as taken
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            String pid = Files.exists(pidFile) ? Files.readString(pidFile, StandardCharsets.US_ASCII).trim() : "?";
            throw new IOException("another jarvisd (pid " + pid + ") is running with data directory "
                    + runDir.getParent());
        }
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        return new DaemonLock(channel, lock, pidFile);
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(pidFile);
        lock.release();
        channel.close();
    }
}
