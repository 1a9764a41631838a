package jarvis.platform.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One feature as the distribution carries it: a folder named after the feature holding its bundle
 * jars and an optional {@code feature.properties} with a description. Folders under {@code bundle/}
 * are required features; folders under {@code features/} are optional.
 */
record FeatureFolder(String name, Path dir, boolean required, String description, List<BundleFile> bundles) {

    static final String DESCRIPTOR = "feature.properties";

    static FeatureFolder read(Path dir, boolean required) throws IOException {
        return read(dir, required, BundleFile::read);
    }

    /** Reads a folder, taking each jar's identity from {@code reader} (which may cache it). */
    static FeatureFolder read(Path dir, boolean required, JarReader reader) throws IOException {
        String description = "";
        Path descriptor = dir.resolve(DESCRIPTOR);
        if (Files.isRegularFile(descriptor)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(descriptor)) {
                p.load(in);
            }
            description = p.getProperty("description", "").trim();
        }
        List<BundleFile> bundles = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .sorted(Comparator.comparing(Path::getFileName)).toList()) {
                bundles.add(reader.read(jar));
            }
        }
        return new FeatureFolder(dir.getFileName().toString(), dir, required, description, List.copyOf(bundles));
    }

    /** How a jar's bundle identity is read. */
    @FunctionalInterface
    interface JarReader {
        BundleFile read(Path jar) throws IOException;
    }

    List<String> fileNames() {
        return bundles.stream().map(b -> b.path().getFileName().toString()).toList();
    }
}
