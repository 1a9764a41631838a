package jarvis.identity.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Files only the owner may read, written so that a crash leaves either the old or the new content: a
 * temporary file in the same directory (mode 0600 from its creation), fsync, atomic rename, fsync of the
 * directory. On file systems without POSIX permissions (Windows) the modes are skipped.
 */
final class PrivateFiles {

    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Creates {@code dir} (and missing parents) and gives it mode 0700. */
    static void ensureDirectory(Path dir) throws IOException {
        if (isPosix(existingAncestor(dir))) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
            Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
        } else {
            Files.createDirectories(dir);
        }
    }

    /**
     * Writes {@code data} to {@code target} atomically with mode 0600.
     *
     * @param replace whether an existing {@code target} may be replaced
     * @throws FileAlreadyExistsException if {@code target} exists and {@code replace} is false
     */
    static void write(Path target, byte[] data, boolean replace, SecureRandom random) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!replace && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        // A random name: two writers (or a leftover from a crash) never share a temporary file.
        Path temp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(random.nextLong()) + ".tmp");
        FileAttribute<?>[] attributes = isPosix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                : new FileAttribute<?>[0];
        try {
            try (FileChannel out = FileChannel.open(temp,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
    }

    /** Deletes {@code file} and makes the deletion durable. */
    static void delete(Path file) throws IOException {
        Files.delete(file);
        syncDirectory(file.toAbsolutePath().getParent());
    }

    /**
     * Reads a whole file of at most {@code maxLength} bytes.
     *
     * @throws NoSuchFileException if it does not exist
     * @throws IOException if it is larger (message "larger than N bytes") or unreadable
     */
    static byte[] read(Path file, long maxLength) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size > maxLength) {
                throw new IOException("larger than " + maxLength + " bytes");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            int n;
            do {
                n = in.read(buffer);
            } while (n >= 0 && buffer.hasRemaining());
            if (buffer.hasRemaining()) {
                throw new IOException("changed while being read");
            }
            return buffer.array();
        }
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename or unlink itself durable; not possible on every platform (Windows), hence best effort.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            System.getLogger(PrivateFiles.class.getName()).log(System.Logger.Level.DEBUG,
                    "directory fsync not supported for " + dir + ": " + e);
        }
    }

    private static Path existingAncestor(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }

    private static boolean isPosix(Path existing) {
        return existing != null && Files.getFileAttributeView(existing,
                PosixFileAttributeView.class) != null;
    }
}
