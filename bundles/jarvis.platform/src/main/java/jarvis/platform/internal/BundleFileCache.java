package jarvis.platform.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers each jar's bundle identity until the file changes (size or modification time), so
 * listing features does not reopen every jar of the distribution each time.
 */
final class BundleFileCache {

    private record Entry(long size, FileTime modified, BundleFile bundle) {
    }

    private final Map<Path, Entry> entries = new ConcurrentHashMap<>();

    BundleFile read(Path jar) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(jar, BasicFileAttributes.class);
        Entry e = entries.get(jar);
        if (e != null && e.size() == attrs.size() && e.modified().equals(attrs.lastModifiedTime())) {
            return e.bundle();
        }
        BundleFile bundle = BundleFile.read(jar);
        entries.put(jar, new Entry(attrs.size(), attrs.lastModifiedTime(), bundle));
        return bundle;
    }
}
